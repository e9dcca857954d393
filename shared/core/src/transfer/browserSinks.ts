/**
 * Picks where an accepted file goes in a browser (call it from the Accept click: the save
 * picker needs the user gesture).
 *
 * - small files (<= the device's in-memory limit, diskPlan.ts): assembled in memory, saved with
 *   a download link later;
 * - larger, with the File System Access API (Chrome, Edge): the user picks the destination and
 *   bytes stream straight to it (showSaveFilePicker -> createWritable), with checkpoints so a
 *   reload can continue in the same file (resumableSinks.ts);
 * - larger, without it but with a writable origin private file system (recent Firefox/Safari):
 *   streamed to that disk-backed store in committed segments; "Save" then downloads them;
 * - otherwise in memory up to FILE_MEMORY_SINK_MAX_BYTES, refused above with a plain message.
 * There is no service-worker download stream: the OPFS path covers the same need with less
 * machinery. reopenSink() continues a download an earlier page kept (its resume record).
 */
import { FILE_MEMORY_SINK_MAX_BYTES } from '@peerboard/protocol';
import { devicePlan, type DiskPlan } from './diskPlan';
import {
  openHandleSink,
  openSegmentSink,
  removeSegments,
  type OpfsDirectory,
  type PartialPlace,
  type ResumableHandle,
} from './resumableSinks';
import type { ResumeRecord } from './resumeStore';
import { makeMemorySink, type FileSink } from './sink';
import { tooBigForMemory } from './transfers';

interface PickerWindow {
  showSaveFilePicker?: (o: { suggestedName?: string }) => Promise<ResumableHandle>;
}
type PermissionHandle = ResumableHandle & {
  queryPermission?: (o: { mode: 'readwrite' }) => Promise<PermissionState>;
  requestPermission?: (o: { mode: 'readwrite' }) => Promise<PermissionState>;
};
type ListableDirectory = OpfsDirectory & { keys?: () => AsyncIterable<string> };

export class PickerClosed extends Error {
  constructor() {
    super('You closed the save dialog, so the file was not accepted.');
  }
}

async function opfs(): Promise<ListableDirectory | null> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage as
    { getDirectory?: () => Promise<ListableDirectory> } | undefined;
  return typeof storage?.getDirectory === 'function' ? storage.getDirectory() : null;
}

export async function chooseSink(
  file: { id: string; name: string; size: number; mime: string },
  plan: DiskPlan = devicePlan(),
): Promise<FileSink> {
  if (file.size <= plan.inMemoryBytes) return makeMemorySink(file.name, file.mime);
  const w = globalThis as unknown as PickerWindow;
  if (typeof w.showSaveFilePicker === 'function') {
    try {
      const handle = await w.showSaveFilePicker({ suggestedName: file.name });
      return await openHandleSink(handle, false, plan.checkpointBytes);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw new PickerClosed();
      // a picker that is blocked (e.g. no user gesture) falls through to the other sinks
    }
  }
  try {
    const dir = await opfs();
    if (dir) return await openSegmentSink(dir, `peerboard-${file.id}`, file, plan.segmentBytes);
  } catch {
    // no usable private file system (private browsing, quota): fall back to memory
  }
  if (file.size <= FILE_MEMORY_SINK_MAX_BYTES) return makeMemorySink(file.name, file.mime);
  throw new Error(tooBigForMemory());
}

/**
 * The sink an earlier page left for this download (call it from the Accept click: the browser
 * may ask again for permission to write to a picked file). `note` says plainly when it cannot
 * continue and the file restarts from the beginning.
 */
export async function reopenSink(
  file: { name: string; mime: string },
  kept: ResumeRecord,
  plan: DiskPlan = devicePlan(),
): Promise<{ sink: FileSink | null; note: string | null }> {
  const restart = (why: string) => ({
    sink: null,
    note: `This file restarts from the beginning: ${why}`,
  });
  const place = kept.place as PartialPlace | null;
  try {
    if (place?.kind === 'opfs') {
      const dir = await opfs();
      if (!dir) return restart('this browser no longer has the part it kept.');
      const sink = await openSegmentSink(dir, place.base, file, plan.segmentBytes);
      return sink.resume!.existing > 0
        ? { sink, note: null }
        : restart('this browser no longer has the part it kept.');
    }
    if (place?.kind === 'handle') {
      const handle = place.handle as PermissionHandle;
      let allowed = await handle.queryPermission?.({ mode: 'readwrite' });
      if (allowed === 'prompt') allowed = await handle.requestPermission?.({ mode: 'readwrite' });
      if (allowed !== 'granted')
        return restart(
          `the browser did not allow continuing in the file you chose (${handle.name}).`,
        );
      return { sink: await openHandleSink(handle, true, plan.checkpointBytes), note: null };
    }
  } catch (e) {
    return restart(
      `the part kept earlier could not be opened (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  return restart('the part kept earlier is not where it was.');
}

/** Deletes the partial bytes at a resume record's place (OPFS only: a picked file stays). */
export async function discardPartial(place: unknown): Promise<void> {
  const p = place as PartialPlace | null;
  if (p?.kind !== 'opfs') return;
  const dir = await opfs();
  if (dir) await removeSegments(dir, p.base);
}

/**
 * Removes files an earlier page left in the origin private file system: a received file is only
 * kept for the page that received it, an unfinished one only while a resume record (`keep`:
 * their bases) points at it. Best effort.
 */
export async function clearStaleOpfsFiles(keep: ReadonlySet<string> = new Set()): Promise<void> {
  try {
    const dir = await opfs();
    if (!dir?.keys) return;
    const stale: string[] = [];
    for await (const name of dir.keys())
      if (name.startsWith('peerboard-') && !keep.has(name.replace(/\.\d+$/, ''))) stale.push(name);
    for (const name of stale) await dir.removeEntry(name).catch(() => undefined);
  } catch {
    // nothing to clean or no access
  }
}

/** The OPFS bases resume records point at (for clearStaleOpfsFiles). */
export function keptBases(places: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const p of places as (PartialPlace | null)[]) if (p?.kind === 'opfs') out.add(p.base);
  return out;
}
