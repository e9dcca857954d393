/**
 * Browser sinks whose written bytes outlive the page, so a download continues after a reload or
 * a crash (sink.resume; the record that points here is in resumeStore.ts).
 *
 * A FileSystemWritableFileStream writes to a swap file and only replaces the real file on
 * close(): a tab that dies mid-way keeps nothing. So what survives is what was closed:
 * - origin private file system: the file is a run of segment files `<base>.0`, `<base>.1`, ...
 *   each closed (committed) once it holds SEGMENT_BYTES; a crash loses at most the open one.
 *   The finished file is the Blob of the segments (disk-backed, read lazily), so nothing is
 *   copied. Reopening an existing partial with keepExistingData would copy the whole file on
 *   every checkpoint; segments copy nothing.
 * - a file the user picked (showSaveFilePicker): one file, so a checkpoint is close() and a new
 *   createWritable({ keepExistingData: true }) plus seek, which copies what is there: checkpoints
 *   come each time the file has doubled (from CHECKPOINT_MIN_BYTES), so the copying stays under
 *   the file's size and a crash loses at most half of what was received.
 */
import type { FileSink, ReceivedFile, SinkResume } from './sink';
import { blobSource } from './source';

export const SEGMENT_BYTES = 16 * 1024 * 1024;
export const CHECKPOINT_MIN_BYTES = 32 * 1024 * 1024;

export type PartialPlace = { kind: 'opfs'; base: string } | { kind: 'handle'; handle: unknown };

export interface ResumableWritable {
  write(
    data: Uint8Array | { type: 'seek'; position: number } | { type: 'truncate'; size: number },
  ): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
export interface ResumableHandle {
  readonly name: string;
  createWritable(options?: { keepExistingData?: boolean }): Promise<ResumableWritable>;
  getFile(): Promise<File>;
}
export interface OpfsDirectory {
  getFileHandle(name: string, o: { create: boolean }): Promise<ResumableHandle>;
  removeEntry(name: string): Promise<void>;
}

const segName = (base: string, n: number) => `${base}.${n}`;

/** Deletes every segment of a partial (declined, cancelled, forgotten). */
export async function removeSegments(dir: OpfsDirectory, base: string): Promise<void> {
  for (let n = 0; ; n++) {
    try {
      await dir.removeEntry(segName(base, n));
    } catch {
      return;
    }
  }
}

/** A download into OPFS segments under `base`, continuing whatever segments are there. */
export async function openSegmentSink(
  dir: OpfsDirectory,
  base: string,
  file: { name: string; mime: string },
  segmentBytes = SEGMENT_BYTES,
): Promise<FileSink> {
  const segs: { handle: ResumableHandle; size: number }[] = [];
  for (;;) {
    const handle = await dir
      .getFileHandle(segName(base, segs.length), { create: false })
      .catch(() => null);
    if (!handle) break;
    segs.push({ handle, size: (await handle.getFile()).size });
  }
  const existing = segs.reduce((n, s) => n + s.size, 0);
  let current: { w: ResumableWritable; size: number } | null = null;
  let durable = existing;
  let onDurable: (bytes: number) => void = () => {};
  const whole = async () => new Blob(await Promise.all(segs.map((s) => s.handle.getFile())));

  const commit = async () => {
    if (!current) return;
    const c = current;
    current = null;
    await c.w.close();
    segs[segs.length - 1]!.size = c.size;
    durable = segs.reduce((n, s) => n + s.size, 0);
    onDurable(durable);
  };
  const resume: SinkResume = {
    place: { kind: 'opfs', base } satisfies PartialPlace,
    existing,
    read: async (offset, length) =>
      new Uint8Array(await (await whole()).slice(offset, offset + length).arrayBuffer()),
    async keep(bytes) {
      let start = 0;
      let n = 0;
      for (; n < segs.length && start + segs[n]!.size <= bytes; n++) start += segs[n]!.size;
      // the segment `bytes` falls in (if any) is cut there and written on; later ones go
      const cut = n < segs.length && bytes > start ? segs[n] : undefined;
      for (let k = segs.length - 1; k >= n + (cut ? 1 : 0); k--) {
        await dir.removeEntry(segName(base, k));
        segs.pop();
      }
      if (cut) {
        const w = await cut.handle.createWritable({ keepExistingData: true });
        await w.write({ type: 'truncate', size: bytes - start });
        await w.write({ type: 'seek', position: bytes - start });
        current = { w, size: bytes - start };
      }
      durable = bytes;
    },
    onDurable: (fn) => void (onDurable = fn),
    suspend() {
      // commits the open segment if the page lives long enough; the record catches up later
      void current?.w.close().catch(() => undefined);
    },
  };
  return {
    async write(data) {
      if (!current) {
        const handle = await dir.getFileHandle(segName(base, segs.length), { create: true });
        segs.push({ handle, size: 0 });
        current = { w: await handle.createWritable({ keepExistingData: false }), size: 0 };
      }
      await current.w.write(data);
      current.size += data.length;
      if (current.size >= segmentBytes) await commit();
    },
    async close(): Promise<ReceivedFile> {
      await commit();
      const blob = new Blob([await whole()], { type: file.mime });
      return { blob: async () => blob, savedToDisk: false, source: blobSource(blob, file.name) };
    },
    async abort() {
      await current?.w.abort().catch(() => undefined);
      current = null;
      await removeSegments(dir, base);
    },
    resume,
  };
}

/**
 * A download into a file the user picked, resumable from its last checkpoint. `continuing`:
 * the handle comes from a record (its content is an earlier partial), else it starts empty.
 */
export async function openHandleSink(
  handle: ResumableHandle,
  continuing: boolean,
  checkpointMin = CHECKPOINT_MIN_BYTES,
): Promise<FileSink> {
  const existing = continuing ? (await handle.getFile()).size : 0;
  let w: ResumableWritable | null = null;
  let at = 0;
  let durable = 0;
  let onDurable: (bytes: number) => void = () => {};
  const reopen = async (position: number, keepData: boolean) => {
    w = await handle.createWritable({ keepExistingData: keepData });
    if (keepData) {
      await w.write({ type: 'truncate', size: position });
      await w.write({ type: 'seek', position });
    }
    at = position;
  };
  const resume: SinkResume = {
    place: { kind: 'handle', handle } satisfies PartialPlace,
    existing,
    read: async (offset, length) =>
      new Uint8Array(await (await handle.getFile()).slice(offset, offset + length).arrayBuffer()),
    async keep(bytes) {
      await reopen(bytes, true);
      durable = bytes;
    },
    onDurable: (fn) => void (onDurable = fn),
    suspend: () => void w?.close().catch(() => undefined),
  };
  return {
    async write(data) {
      if (!w) await reopen(0, false);
      await w!.write(data);
      at += data.length;
      if (at >= Math.max(checkpointMin, durable * 2)) {
        await w!.close();
        durable = at;
        onDurable(durable);
        await reopen(at, true);
      }
    },
    async close() {
      if (!w) await reopen(0, false);
      await w!.close();
      const f = await handle.getFile();
      return {
        blob: async () => handle.getFile(),
        savedToDisk: true,
        source: blobSource(f, f.name),
      };
    },
    async abort() {
      await w?.abort().catch(() => undefined);
      w = null;
    },
    resume,
  };
}
