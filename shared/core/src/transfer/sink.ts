/**
 * Where a receiver writes verified bytes, in file order. Sinks:
 * - makeMemorySink: small files, assembled as a Blob (browsers page large Blobs to disk; the
 *   parts are folded into one Blob every few MiB so we never hold many small arrays).
 * - makeWritableSink: a FileSystemFileHandle's createWritable() stream. Used with
 *   showSaveFilePicker (File System Access API: straight to the user's disk) and with the origin
 *   private file system (navigator.storage.getDirectory(): disk-backed, then "Save" downloads
 *   the disk-backed File). Either way a 2 GiB file never sits in RAM.
 * - makeDiscardSink: counts bytes only (benchmarks).
 */
import type { FileSource } from './source';
import { blobSource } from './source';

export interface ReceivedFile {
  /** the bytes as a Blob (disk-backed for the file-system sinks); null if not kept */
  blob(): Promise<Blob | null>;
  /** already written to a place the user chose (Save is then not needed) */
  savedToDisk: boolean;
  /** where it can be re-read from, to serve other peers (swarm); null if not re-readable */
  source: FileSource | null;
}

export interface FileSink {
  /** Appends bytes in file order; the sink may keep `data` (the caller does not reuse it). */
  write(data: Uint8Array): Promise<void>;
  /** Every byte is written and verified. */
  close(): Promise<ReceivedFile>;
  /** The transfer failed or was cancelled: drop what was written. Idempotent. */
  abort(): Promise<void>;
  /** present when what is written survives this session (resume after a reload or a crash) */
  readonly resume?: SinkResume;
}

/**
 * The part of a sink that outlives the session. `existing` bytes were written by an earlier
 * session; the receiver reads them back and checks them block by block, then calls keep() with
 * the verified prefix (the rest is dropped) before its first write, which appends after it.
 */
export interface SinkResume {
  /** structured-cloneable: where the partial is (kept in the resume record) */
  readonly place: unknown;
  readonly existing: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  keep(bytes: number): Promise<void>;
  /** `fn(bytes)` each time the written prefix that would survive a crash grows */
  onDurable(fn: (bytes: number) => void): void;
  /** the session ends (reload, crash, leave): keep what is durable; synchronous, best effort */
  suspend(): void;
}

/** Fold parts into one Blob every this many bytes. */
const FOLD_BYTES = 8 * 1024 * 1024;

export function makeMemorySink(name: string, type: string): FileSink {
  let parts: BlobPart[] = [];
  let partBytes = 0;
  let blob = new Blob([], { type });
  return {
    async write(data) {
      parts.push(data as Uint8Array<ArrayBuffer>);
      partBytes += data.length;
      if (partBytes >= FOLD_BYTES) {
        blob = new Blob([blob, ...parts], { type });
        parts = [];
        partBytes = 0;
      }
    },
    async close() {
      const whole = new Blob([blob, ...parts], { type });
      parts = [];
      return { blob: async () => whole, savedToDisk: false, source: blobSource(whole, name) };
    },
    async abort() {
      parts = [];
      blob = new Blob([]);
    },
  };
}

/** What we use of FileSystemFileHandle (typed here: not every DOM lib version has it). */
export interface WritableFileHandle {
  readonly name: string;
  createWritable(options?: { keepExistingData?: boolean }): Promise<{
    write(data: Uint8Array): Promise<void>;
    close(): Promise<void>;
    abort(): Promise<void>;
  }>;
  getFile(): Promise<File>;
}

export function makeWritableSink(
  handle: WritableFileHandle,
  options: { savedToDisk: boolean; remove?: () => Promise<void> },
): FileSink {
  const writable = handle.createWritable({ keepExistingData: false });
  let aborted = false;
  return {
    async write(data) {
      await (await writable).write(data);
    },
    async close() {
      await (await writable).close();
      const file = await handle.getFile();
      return {
        blob: async () => handle.getFile(),
        savedToDisk: options.savedToDisk,
        source: blobSource(file, file.name),
      };
    },
    async abort() {
      if (aborted) return;
      aborted = true;
      await (await writable).abort().catch(() => undefined);
      await options.remove?.().catch(() => undefined);
    },
  };
}

export function makeDiscardSink(): FileSink & { bytes(): number } {
  let n = 0;
  return {
    write: async (data) => void (n += data.length),
    close: async () => ({ blob: async () => null, savedToDisk: false, source: null }),
    abort: async () => undefined,
    bytes: () => n,
  };
}
