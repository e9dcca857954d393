/**
 * Picks where an accepted file goes in a browser (call it from the Accept click: the save
 * picker needs the user gesture).
 *
 * - small files (<= IN_MEMORY_BYTES): assembled in memory, saved with a download link later;
 * - larger, with the File System Access API (Chrome, Edge): the user picks the destination and
 *   bytes stream straight to it (showSaveFilePicker -> createWritable);
 * - larger, without it but with a writable origin private file system (recent Firefox/Safari):
 *   streamed to that disk-backed store; "Save" then downloads the disk-backed File;
 * - otherwise in memory up to FILE_MEMORY_SINK_MAX_BYTES, refused above with a plain message.
 * There is no service-worker download stream: the OPFS path covers the same need with less
 * machinery.
 */
import { FILE_MEMORY_SINK_MAX_BYTES } from '@peerboard/protocol';
import { makeMemorySink, makeWritableSink, type FileSink, type WritableFileHandle } from './sink';
import { tooBigForMemory } from './transfers';

export const IN_MEMORY_BYTES = 64 * 1024 * 1024;

interface PickerWindow {
  showSaveFilePicker?: (o: { suggestedName?: string }) => Promise<WritableFileHandle>;
}
interface OpfsDir {
  getFileHandle(name: string, o: { create: boolean }): Promise<WritableFileHandle>;
  removeEntry(name: string): Promise<void>;
}

export class PickerClosed extends Error {
  constructor() {
    super('You closed the save dialog, so the file was not accepted.');
  }
}

export async function chooseSink(file: {
  id: string;
  name: string;
  size: number;
  mime: string;
}): Promise<FileSink> {
  if (file.size <= IN_MEMORY_BYTES) return makeMemorySink(file.name, file.mime);
  const w = globalThis as unknown as PickerWindow;
  if (typeof w.showSaveFilePicker === 'function') {
    try {
      const handle = await w.showSaveFilePicker({ suggestedName: file.name });
      return makeWritableSink(handle, { savedToDisk: true });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw new PickerClosed();
      // a picker that is blocked (e.g. no user gesture) falls through to the other sinks
    }
  }
  const storage = (globalThis.navigator as Navigator | undefined)?.storage as
    { getDirectory?: () => Promise<OpfsDir> } | undefined;
  if (typeof storage?.getDirectory === 'function') {
    try {
      const dir = await storage.getDirectory();
      const name = `peerboard-${file.id}`;
      const handle = await dir.getFileHandle(name, { create: true });
      if (typeof handle.createWritable === 'function')
        return makeWritableSink(handle, {
          savedToDisk: false,
          remove: () => dir.removeEntry(name),
        });
    } catch {
      // no usable private file system (private browsing, quota): fall back to memory
    }
  }
  if (file.size <= FILE_MEMORY_SINK_MAX_BYTES) return makeMemorySink(file.name, file.mime);
  throw new Error(tooBigForMemory());
}

/**
 * Removes files an earlier session left in the origin private file system (a received file is
 * only kept for the session that received it). Best effort.
 */
export async function clearStaleOpfsFiles(): Promise<void> {
  try {
    const storage = (globalThis.navigator as Navigator | undefined)?.storage as
      | { getDirectory?: () => Promise<OpfsDir & { keys?: () => AsyncIterable<string> }> }
      | undefined;
    const dir = await storage?.getDirectory?.();
    if (!dir?.keys) return;
    const stale: string[] = [];
    for await (const name of dir.keys()) if (name.startsWith('peerboard-')) stale.push(name);
    for (const name of stale) await dir.removeEntry(name).catch(() => undefined);
  } catch {
    // nothing to clean or no access
  }
}
