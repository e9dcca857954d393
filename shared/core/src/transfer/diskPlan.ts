/**
 * How much of a download a browser keeps in memory, and how often one streamed to disk commits
 * what it has, sized by the device's memory (`navigator.deviceMemory`, GiB, rounded to a power
 * of two by the browser; Chrome and Edge report 0.25 to 8, Firefox and Safari nothing).
 *
 * A file kept in memory costs its size at least twice while it is assembled and saved, so the
 * limit is 1/64 of the device's memory: 64 MiB from 4 GiB up (and when the browser does not
 * say), 16 MiB on a 1 GiB phone, 4 MiB at the least. A file above the limit streams to disk and
 * can resume after a reload; its commit points scale with the limit so that the smallest file
 * streamed to disk still commits a few times before it ends (16 MiB segments would leave a
 * 10 MiB download on a low-memory phone with nothing to resume from).
 */
const MiB = 1024 * 1024;

export interface DiskPlan {
  /** files up to this size are assembled in memory (no resume) */
  inMemoryBytes: number;
  /** an origin-private-file-system download commits a segment of this size (resumableSinks) */
  segmentBytes: number;
  /** a download into a picked file commits first at this size, then each time it doubled */
  checkpointBytes: number;
  /**
   * the same for a folder's file saved into a directory: lower, a folder's files are often
   * mid-sized and one this small costs little to fetch again
   */
  folderCheckpointBytes: number;
}

export const IN_MEMORY_BYTES = 64 * MiB;
const LEAST_IN_MEMORY_BYTES = 4 * MiB;
/** in-memory bytes per GiB of device memory */
const PER_GIB = 16 * MiB;

/** The plan for a device reporting `deviceMemoryGiB` (anything else than a positive number: unknown). */
export function diskPlan(deviceMemoryGiB: unknown): DiskPlan {
  const known =
    typeof deviceMemoryGiB === 'number' && Number.isFinite(deviceMemoryGiB) && deviceMemoryGiB > 0;
  const scaled = known ? Math.floor(deviceMemoryGiB * PER_GIB) : IN_MEMORY_BYTES;
  const inMemoryBytes = Math.min(IN_MEMORY_BYTES, Math.max(LEAST_IN_MEMORY_BYTES, scaled));
  return {
    inMemoryBytes,
    segmentBytes: inMemoryBytes / 4,
    checkpointBytes: inMemoryBytes / 2,
    folderCheckpointBytes: inMemoryBytes / 8,
  };
}

/** The plan for this device (`navigator.deviceMemory`; the default plan where there is none). */
export function devicePlan(): DiskPlan {
  const nav = globalThis.navigator as { deviceMemory?: unknown } | undefined;
  return diskPlan(nav?.deviceMemory);
}
