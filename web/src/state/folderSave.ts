/**
 * Where a received folder goes (call from the click: both pickers need the user gesture).
 *
 * - 'directory' (showDirectoryPicker: Chrome, Edge): the person picks a directory; the folder is
 *   recreated inside it (getDirectoryHandle / getFileHandle), each file streamed straight into
 *   its place; a file that fails its SHA-256 check is removed again.
 * - 'zip' (everywhere, and the fallback where there is no directory picker: Firefox, Safari):
 *   one .zip streamed by client-zip into the ordinary sinks (chooseSink: memory for a small
 *   folder, else the save picker or the origin private file system). A zip cannot take a file
 *   back, so each file is first received into a temporary file (OPFS, or memory when small)
 *   and only added once its SHA-256 matched; the temporary file is deleted once zipped.
 *
 * Each file stays an ordinary verified transfer underneath (makeFolderReceive). Resume after a
 * reload or a crash (core folderResume.ts keeps where the folder was going):
 * - 'directory': each file is written with checkpoints (openHandleSink), so what a closed tab
 *   leaves in the directory is a committed prefix. Saving again into the same directory (`resume`)
 *   reads every file that is there back against the sender's block hashes: a whole one is not
 *   asked for again, a cut one continues after its last verified block (one smaller than the
 *   first checkpoint starts again), the others come normally.
 * - 'zip': a zip stream cut half-way cannot be continued: the folder starts again (the UI says so).
 */
import {
  chooseSink,
  devicePlan,
  makeFolderReceive,
  makeFolderResume,
  makeMemorySink,
  makeWritableSink,
  openHandleSink,
  PickerClosed,
  type FileSink,
  type FolderFileResult,
  type FolderPlace,
  type FolderShape,
  type FolderView,
  type ReceivedFile,
  type ResumableHandle,
  type Transfers,
  type WritableFileHandle,
} from '@peerboard/core/transfer';
import { FILE_MEMORY_SINK_MAX_BYTES } from '@peerboard/protocol';

export type FolderSaveMode = 'directory' | 'zip';

export interface FolderSaveStatus {
  mode: FolderSaveMode;
  phase: 'receiving' | 'done' | 'failed';
  /** plain words for the person (what went wrong, or where it went) */
  message: string | null;
  /** per file, once finished */
  results: FolderFileResult[] | null;
  /** the zip, when it was not already written where the person chose */
  zip: ReceivedFile | null;
}

interface DirHandle {
  readonly name: string;
  getDirectoryHandle(name: string, o?: { create?: boolean }): Promise<DirHandle>;
  getFileHandle(name: string, o?: { create?: boolean }): Promise<WritableFileHandle>;
  removeEntry(name: string): Promise<void>;
}
type DirPicker = (o?: { mode?: 'read' | 'readwrite'; id?: string }) => Promise<DirHandle>;

const dirPicker = (): DirPicker | undefined => {
  const fn = (globalThis as unknown as { showDirectoryPicker?: DirPicker }).showDirectoryPicker;
  return typeof fn === 'function' ? fn : undefined;
};
export const canPickDirectory = (): boolean => dirPicker() !== undefined;

export const shapeOf = (f: FolderView): FolderShape => ({
  name: f.name,
  bytes: f.bytes,
  peerId: f.peerId,
  files: f.files.map(({ path, size }) => ({ path, size })),
  dirs: f.dirs,
});

type PermissionDir = DirHandle & {
  queryPermission?: (o: { mode: 'readwrite' }) => Promise<PermissionState>;
  requestPermission?: (o: { mode: 'readwrite' }) => Promise<PermissionState>;
};

/**
 * The directory an earlier page was saving this folder into, writable again (call from the
 * click: the browser may ask the person once more). Rejects with a plain message.
 */
export async function reopenDirectory(place: FolderPlace): Promise<ChosenDirectory> {
  if (place.mode !== 'directory') throw new Error('This folder was being saved as a zip.');
  const dir = place.handle as PermissionDir;
  let allowed: PermissionState | undefined = 'granted';
  try {
    allowed = await dir.queryPermission?.({ mode: 'readwrite' });
    if (allowed === 'prompt') allowed = await dir.requestPermission?.({ mode: 'readwrite' });
  } catch (e) {
    throw new Error(
      `The folder "${dir.name}" cannot be opened again (${messageOf(e)}). Choose Forget and save the folder somewhere new.`,
    );
  }
  if (allowed !== 'granted')
    throw new Error(
      `The browser did not allow writing to "${dir.name}" again, so nothing was resumed. Resume and allow it, or choose Forget and save the folder somewhere new.`,
    );
  return dir;
}

/** Files up to this size wait for the zip in memory; larger ones in a temporary file. */
const TEMP_IN_MEMORY = 8 * 1024 * 1024;

async function opfs(): Promise<DirHandle | null> {
  const storage = globalThis.navigator?.storage as { getDirectory?: () => Promise<DirHandle> };
  try {
    return (await storage?.getDirectory?.()) ?? null;
  } catch {
    return null;
  }
}

/** `name`, or `name (2)`… if the chosen directory already has one (nothing is overwritten). */
async function freshDir(parent: DirHandle, name: string): Promise<DirHandle> {
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? name : `${name} (${n})`;
    const exists = await parent.getDirectoryHandle(candidate).then(
      () => true,
      () => false,
    );
    if (!exists) return parent.getDirectoryHandle(candidate, { create: true });
  }
  throw new Error(`There are already too many folders named "${name}" there.`);
}

async function mkdirs(root: DirHandle, segments: string[]): Promise<DirHandle> {
  let dir = root;
  for (const s of segments) dir = await dir.getDirectoryHandle(s, { create: true });
  return dir;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function summary(results: FolderFileResult[], where: string): string | null {
  const missing = results.filter((r) => r.state !== 'done');
  if (missing.length === 0) return where || null;
  const names = missing
    .slice(0, 3)
    .map((r) => `${r.path} (${r.error ?? r.state})`)
    .join('; ');
  const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
  const lost = `${missing.length} of ${results.length} files did not arrive: ${names}${more}.`;
  return where ? `${where} ${lost}` : lost;
}

/** A directory the person chose (opaque outside this module). */
export type ChosenDirectory = { readonly name: string };

/**
 * Opens the directory picker (call from the click); rejects with a plain message if the person
 * closed it or the browser has none. One choice can take several folders (Accept all).
 */
export async function pickDirectory(): Promise<ChosenDirectory> {
  const pick = dirPicker();
  if (!pick) throw new Error('This browser cannot save into a folder. Save it as a zip.');
  try {
    return await pick({ mode: 'readwrite', id: 'peerboard-folders' });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError')
      throw new Error('You closed the folder picker, so nothing was saved.');
    throw new Error(`That folder cannot be written to (${messageOf(e)}). Save it as a zip.`);
  }
}

/**
 * Starts saving. Resolves once the destination is chosen (or rejects with a plain message if
 * the person closed the picker); `onStatus` then follows the folder to the end. `into`: a
 * directory already chosen (mode 'directory' without asking again).
 */
export async function saveFolder(
  transfers: Transfers,
  folderId: string,
  mode: FolderSaveMode,
  onStatus: (s: FolderSaveStatus) => void,
  into?: ChosenDirectory,
  resume?: ChosenDirectory,
): Promise<{ destroy(): void }> {
  const folder = transfers.folder(folderId);
  if (!folder) throw new Error('This folder is no longer offered.');
  const report = (s: Partial<FolderSaveStatus>) =>
    onStatus({ mode, phase: 'receiving', message: null, results: null, zip: null, ...s });
  const shape = shapeOf(folder);
  // the store is asked each time: a session that ended (the tab closing) has none, so the files
  // it suspends, which end this folder's receive, do not drop the record a reload needs
  const kept = () => makeFolderResume(transfers.resumeStore);
  const remember = (place: FolderPlace) =>
    kept()
      .keep(shape, place)
      .catch(() => undefined);
  const forget = () =>
    void kept()
      .drop(shape)
      .catch(() => undefined);

  if (mode === 'directory') {
    const chosen = (resume ? null : (into ?? (await pickDirectory()))) as DirHandle | null;
    const top = resume ? (resume as DirHandle) : await freshDir(chosen!, folder.name);
    for (const d of folder.dirs) await mkdirs(top, d.split('/'));
    await remember({ kind: 'folder', mode: 'directory', handle: top });
    report({});
    const rx = makeFolderReceive(transfers, folderId, {
      async sinkFor(f) {
        const segs = f.path.split('/');
        const base = segs.pop()!;
        const dir = await mkdirs(top, segs);
        const handle = await dir.getFileHandle(base, { create: true });
        // a tab closed mid-file leaves the browser's swap file beside it (Chromium: .crswap);
        // nothing can use it again, and it must not stay in the person's folder
        if (resume) await dir.removeEntry(`${base}.crswap`).catch(() => undefined);
        // whatever is already there is checked block by block before any of it is kept; it
        // commits what it has each time it doubled from the device's folder checkpoint (8 MiB
        // on a desktop, diskPlan.ts): a closed tab keeps that much of it
        const sink = await openHandleSink(
          handle as unknown as ResumableHandle,
          true,
          devicePlan().folderCheckpointBytes,
        );
        return {
          ...sink,
          async abort() {
            await sink.abort();
            await dir.removeEntry(base).catch(() => undefined);
          },
        };
      },
    });
    void rx.finished.then((results) => {
      forget();
      const where = resume
        ? `Saved in "${top.name}", where you were saving it before.`
        : `Saved as "${top.name}" in ${chosen!.name ? `"${chosen!.name}"` : 'the folder you chose'}.`;
      report({ phase: 'done', results, message: summary(results, where) });
    });
    return {
      destroy() {
        forget();
        rx.destroy();
      },
    };
  }

  let out: FileSink;
  try {
    out = await chooseSink({
      id: folderId,
      name: `${folder.name}.zip`,
      size: folder.bytes,
      mime: 'application/zip',
    });
  } catch (e) {
    if (e instanceof PickerClosed)
      throw new Error('You closed the save dialog, so the folder was not accepted.');
    throw e;
  }
  // recorded only so that a reload can say plainly that the zip starts again
  await remember({ kind: 'folder', mode: 'zip' });
  report({});
  const tmpDir = await opfs();
  const queue: { item: { name: string; input: Blob; size: number }; taken: () => void }[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const nudge = () => {
    wake?.();
    wake = null;
  };
  async function* entries() {
    for (const d of folder!.dirs) yield { name: `${folder!.name}/${d}/` };
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next.item;
        // client-zip asks for the next entry once this one is read whole
        next.taken();
        continue;
      }
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
    }
  }
  const zipped = (async () => {
    // client-zip loads on the first zip save, after the picker (it needs the click's activation)
    const { makeZip } = await import('client-zip');
    const reader = makeZip(entries()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await out.write(value.slice());
    }
  })();
  let rx: ReturnType<typeof makeFolderReceive> | null = null;
  zipped.catch((e: unknown) => {
    rx?.destroy();
    report({ phase: 'failed', message: `The zip could not be written: ${messageOf(e)}` });
  });
  const temps = new Map<string, () => Promise<void>>();
  let stopped = false;
  rx = makeFolderReceive(transfers, folderId, {
    async sinkFor(f) {
      if (f.size <= TEMP_IN_MEMORY || !tmpDir) {
        if (f.size > FILE_MEMORY_SINK_MAX_BYTES)
          throw new Error('There is no room to hold this file before it goes into the zip.');
        return makeMemorySink(f.path, '');
      }
      const name = `peerboard-${f.id}`;
      const handle = await tmpDir.getFileHandle(name, { create: true });
      const remove = () => tmpDir.removeEntry(name);
      temps.set(f.id, remove);
      return makeWritableSink(handle, { savedToDisk: false, remove });
    },
    async onFile(f, result) {
      const blob = await result.blob();
      if (!blob) throw new Error('The file was not kept.');
      await new Promise<void>((taken) => {
        queue.push({
          item: { name: `${folder.name}/${f.path}`, input: blob, size: blob.size },
          taken,
        });
        nudge();
      });
      await temps
        .get(f.id)?.()
        .catch(() => undefined);
      temps.delete(f.id);
    },
  });
  void rx.finished.then(async (results) => {
    forget();
    ended = true;
    nudge();
    try {
      await zipped;
      if (stopped) {
        await out.abort();
        return report({ phase: 'failed', results, message: 'You stopped saving this folder.' });
      }
      const zip = await out.close();
      report({
        phase: 'done',
        results,
        zip,
        message: summary(results, zip.savedToDisk ? 'Saved as a zip.' : ''),
      });
    } catch (e) {
      await out.abort();
      report({
        phase: 'failed',
        results,
        message: `The zip could not be written: ${messageOf(e)}`,
      });
    }
  });
  return {
    destroy() {
      forget();
      stopped = true;
      rx?.destroy();
      ended = true;
      nudge();
    },
  };
}
