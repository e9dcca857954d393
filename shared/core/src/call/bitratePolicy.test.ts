import { describe, expect, it } from 'vitest';
import {
  ENCODING_FLOOR,
  encodingFor,
  UPLINK_BUDGET,
  QUALITY_UPGRADE_HOLD_MS,
  CPU_RELEASE_HOLD_MS,
  settleCpu,
  settleQuality,
  type SettledQuality,
} from './bitratePolicy';
import type { Quality } from './quality';

describe('encodingFor', () => {
  it.each([
    // kind, receivers, quality, maxBitrate, scaleResolutionDownBy, maxFramerate
    ['camera', 1, 'good', 1_500_000, 1, 30],
    ['camera', 2, 'good', 900_000, 1, 30],
    ['camera', 3, 'good', 600_000, 1.5, 24],
    ['camera', 4, 'good', 450_000, 2, 20],
    ['camera', 5, 'good', 300_000, 2, 15],
    ['camera', 6, 'good', 300_000, 2, 15],
    ['camera', 8, 'good', 250_000, 2, 15],
    ['camera', 0, 'good', 1_500_000, 1, 30],
    ['camera', 2, 'unknown', 900_000, 1, 30],
    ['camera', 2, 'fair', 540_000, 1, 30],
    ['camera', 2, 'poor', 315_000, 2, 15],
    ['camera', 5, 'poor', 105_000, 4, 15],
    ['screen', 1, 'good', 2_500_000, 1, 15],
    ['screen', 2, 'good', 2_000_000, 1, 12],
    ['screen', 4, 'good', 1_000_000, 1, 8],
    ['screen', 5, 'good', 800_000, 1, 5],
    ['screen', 2, 'fair', 1_200_000, 1, 7],
    ['screen', 5, 'poor', 350_000, 1, 5],
  ] as const)('%s to %i receivers on a %s link', (kind, n, q, maxBitrate, scale, fps) => {
    expect(encodingFor(kind, n, q)).toEqual({
      maxBitrate,
      scaleResolutionDownBy: scale,
      maxFramerate: fps,
    });
  });

  it('never goes up as receivers are added or quality drops, and never under the floor', () => {
    const qualities: Quality[] = ['good', 'fair', 'poor'];
    for (const kind of ['camera', 'screen'] as const)
      for (let n = 1; n <= 8; n++)
        for (let qi = 0; qi < qualities.length; qi++) {
          const e = encodingFor(kind, n, qualities[qi]!);
          const more = encodingFor(kind, n + 1, qualities[qi]!);
          expect(more.maxBitrate).toBeLessThanOrEqual(e.maxBitrate);
          expect(more.maxFramerate).toBeLessThanOrEqual(e.maxFramerate);
          expect(more.scaleResolutionDownBy).toBeGreaterThanOrEqual(e.scaleResolutionDownBy);
          const worse = encodingFor(kind, n, qualities[Math.min(qi + 1, 2)]!);
          expect(worse.maxBitrate).toBeLessThanOrEqual(e.maxBitrate);
          expect(e.maxBitrate).toBeGreaterThanOrEqual(ENCODING_FLOOR.maxBitrate);
          expect(e.maxFramerate).toBeGreaterThanOrEqual(ENCODING_FLOOR.maxFramerate);
          // a shared screen keeps its resolution whatever happens
          if (kind === 'screen') expect(e.scaleResolutionDownBy).toBe(1);
        }
  });
});

describe('encodingFor with a CPU-limited encoder (a busy machine, not a poor link)', () => {
  it('keeps the bitrate and lowers the encoding work instead', () => {
    for (let n = 1; n <= 6; n++)
      for (const q of ['good', 'fair', 'poor'] as const) {
        const free = encodingFor('camera', n, q);
        const busy = encodingFor('camera', n, q, true);
        expect(busy.maxBitrate).toBe(free.maxBitrate);
        expect(busy.scaleResolutionDownBy).toBe(Math.min(4, free.scaleResolutionDownBy * 2));
        expect(busy.maxFramerate).toBe(Math.min(free.maxFramerate, 15));
        const screen = encodingFor('screen', n, q);
        const busyScreen = encodingFor('screen', n, q, true);
        expect(busyScreen.maxBitrate).toBe(screen.maxBitrate);
        expect(busyScreen.scaleResolutionDownBy).toBe(1); // text stays readable
        expect(busyScreen.maxFramerate).toBeLessThanOrEqual(screen.maxFramerate);
        expect(busyScreen.maxFramerate).toBeGreaterThanOrEqual(ENCODING_FLOOR.maxFramerate);
      }
    expect(encodingFor('camera', 1, 'good', true)).toEqual({
      maxBitrate: 1_500_000,
      scaleResolutionDownBy: 2,
      maxFramerate: 15,
    });
  });

  it('settleCpu: a limit applies at once and is released only after a quiet hold', () => {
    const H = CPU_RELEASE_HOLD_MS;
    const seq: [number, boolean][] = [
      [0, false],
      [2000, true],
      [4000, false],
      [2000 + H - 1, false],
      [2000 + H, false],
      [2000 + H + 2000, true],
    ];
    let last: number | null = null;
    const applied = seq.map(([t, on]) => {
      const r = settleCpu(last, on, t);
      last = r.lastLimitedAt;
      return r.applied;
    });
    expect(applied).toEqual([false, true, true, true, false, true]);
  });
});

describe('uplink budget', () => {
  it('a crowd of receivers cannot push the total upload past the budget (up to the floor)', () => {
    for (const kind of ['camera', 'screen'] as const)
      for (let n = 1; n <= 40; n++)
        for (const q of ['good', 'fair', 'poor'] as const) {
          const total = n * encodingFor(kind, n, q).maxBitrate;
          expect(total).toBeLessThanOrEqual(
            Math.max(UPLINK_BUDGET[kind], n * ENCODING_FLOOR.maxBitrate),
          );
        }
    // the floor takes over only past 20 camera receivers
    expect(20 * encodingFor('camera', 20, 'good').maxBitrate).toBe(UPLINK_BUDGET.camera);
  });
});

describe('settleQuality (hysteresis)', () => {
  const run = (samples: [number, Quality][]): Quality[] => {
    let s: SettledQuality | null = null;
    return samples.map(([t, q]) => (s = settleQuality(s, q, t)).applied);
  };
  const H = QUALITY_UPGRADE_HOLD_MS;

  it('applies a worse quality at once', () => {
    expect(
      run([
        [0, 'good'],
        [2000, 'poor'],
      ]),
    ).toEqual(['good', 'poor']);
    expect(
      run([
        [0, 'good'],
        [2000, 'fair'],
        [4000, 'poor'],
      ]),
    ).toEqual(['good', 'fair', 'poor']);
  });

  it('applies a better quality only after it held for the whole hold', () => {
    expect(
      run([
        [0, 'poor'],
        [2000, 'good'],
        [2000 + H - 1, 'good'],
        [2000 + H, 'good'],
      ]),
    ).toEqual(['poor', 'poor', 'poor', 'good']);
  });

  it('a dip during the hold restarts it', () => {
    expect(
      run([
        [0, 'poor'],
        [2000, 'good'],
        [4000, 'poor'],
        [6000, 'good'],
        [2000 + H, 'good'],
        [6000 + H, 'good'],
      ]),
    ).toEqual(['poor', 'poor', 'poor', 'poor', 'poor', 'good']);
  });

  it('after the hold applies the worst quality seen during it', () => {
    expect(
      run([
        [0, 'poor'],
        [1000, 'fair'],
        [2000, 'good'],
        [1000 + H, 'good'],
      ]),
    ).toEqual(['poor', 'poor', 'poor', 'fair']);
  });

  it('a link that flaps between fair and good every poll stays on fair', () => {
    const samples: [number, Quality][] = [];
    for (let i = 0; i < 30; i++) samples.push([i * 2000, i % 2 ? 'good' : 'fair']);
    expect(new Set(run(samples))).toEqual(new Set(['fair']));
  });
});
