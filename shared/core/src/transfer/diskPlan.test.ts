import { describe, expect, test } from 'vitest';
import { devicePlan, diskPlan, IN_MEMORY_BYTES } from './diskPlan';

const MiB = 1024 * 1024;

describe('diskPlan: what a download keeps in memory, by device memory', () => {
  test('a device with 4 GiB or more (Chrome reports at most 8) keeps files up to 64 MiB in memory, 16 MiB segments, first checkpoint at 32 MiB (8 MiB for a folder file)', () => {
    for (const gib of [4, 8, 32])
      expect(diskPlan(gib)).toEqual({
        inMemoryBytes: 64 * MiB,
        segmentBytes: 16 * MiB,
        checkpointBytes: 32 * MiB,
        folderCheckpointBytes: 8 * MiB,
      });
  });

  test('a low-memory phone streams to disk sooner, and commits in proportion', () => {
    expect(diskPlan(2)).toEqual({
      inMemoryBytes: 32 * MiB,
      segmentBytes: 8 * MiB,
      checkpointBytes: 16 * MiB,
      folderCheckpointBytes: 4 * MiB,
    });
    expect(diskPlan(1).inMemoryBytes).toBe(16 * MiB);
    expect(diskPlan(0.5)).toEqual({
      inMemoryBytes: 8 * MiB,
      segmentBytes: 2 * MiB,
      checkpointBytes: 4 * MiB,
      folderCheckpointBytes: 1 * MiB,
    });
    expect(diskPlan(0.25).inMemoryBytes).toBe(4 * MiB);
  });

  test('never below 4 MiB, whatever the device says', () => {
    expect(diskPlan(0.1).inMemoryBytes).toBe(4 * MiB);
    expect(diskPlan(Number.MIN_VALUE).inMemoryBytes).toBe(4 * MiB);
  });

  test('a browser that does not say (Firefox, Safari) or says nonsense gets the default', () => {
    for (const v of [undefined, null, 0, -1, NaN, Infinity, '0.25', {}])
      expect(diskPlan(v).inMemoryBytes).toBe(IN_MEMORY_BYTES);
  });

  test('devicePlan reads navigator.deviceMemory', () => {
    const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    const as = (value: unknown) =>
      Object.defineProperty(globalThis, 'navigator', { value, configurable: true });
    try {
      as({ deviceMemory: 0.5 });
      expect(devicePlan().inMemoryBytes).toBe(8 * MiB);
      as({});
      expect(devicePlan().inMemoryBytes).toBe(IN_MEMORY_BYTES);
      as(undefined);
      expect(devicePlan().inMemoryBytes).toBe(IN_MEMORY_BYTES);
    } finally {
      if (had) Object.defineProperty(globalThis, 'navigator', had);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });
});
