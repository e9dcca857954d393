/**
 * Turns what the browser hands us into folders to share:
 * - an `<input webkitdirectory>` pick: a flat FileList whose `webkitRelativePath` is
 *   "root/sub/file" (no empty directories: the input does not list them);
 * - a drop: `DataTransferItem.webkitGetAsEntry()` (every engine has it) walked with
 *   `readEntries`, so empty directories come too. `dataTransfer.files` alone would hand us each
 *   dropped folder as a fake 4 KB file that cannot be read.
 * Entries that cannot be read while walking (permissions, removed meanwhile) are named in
 * `skipped` and the rest still goes.
 */
import { blobSource, type FolderSource } from '@peerboard/core/transfer';

export function folderFromInput(files: ArrayLike<File>): FolderSource | null {
  const list = Array.from(files);
  const first = list[0];
  if (!first) return null;
  const root = (first.webkitRelativePath || first.name).split('/')[0] ?? 'folder';
  return {
    name: root,
    files: list.map((f) => {
      const rel = f.webkitRelativePath || f.name;
      const path = rel.startsWith(`${root}/`) ? rel.slice(root.length + 1) : rel;
      return { path, source: blobSource(f, f.name) };
    }),
  };
}

/** The parts of the FileSystemEntry API we use (not in every DOM lib). */
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, fail: (e: DOMException) => void): void;
  createReader?(): { readEntries(ok: (e: Entry[]) => void, fail: (e: DOMException) => void): void };
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function walk(dir: Entry, prefix: string, out: FolderSource): Promise<void> {
  const reader = dir.createReader!();
  const children: Entry[] = [];
  // readEntries returns the listing in batches (about 100 in Chromium) until an empty one
  for (;;) {
    const batch = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  if (children.length === 0 && prefix !== '') out.dirs!.push(prefix.slice(0, -1));
  for (const child of children) {
    const path = `${prefix}${child.name}`;
    try {
      if (child.isDirectory) await walk(child, `${path}/`, out);
      else {
        const file = await new Promise<File>((ok, fail) => child.file!(ok, fail));
        out.files.push({ path, source: blobSource(file, file.name) });
      }
    } catch (e) {
      out.skipped!.push({ path, reason: `it could not be read (${reason(e)})` });
    }
  }
}

export interface Dropped {
  files: File[];
  /** resolve after the drop event: walking a directory is asynchronous */
  folders: Promise<FolderSource>[];
}

/** Must run inside the drop handler: the entries are only valid during the event. */
export function readDrop(dt: DataTransfer): Dropped {
  const files: File[] = [];
  const folders: Promise<FolderSource>[] = [];
  const items = Array.from(dt.items ?? []).filter((i) => i.kind === 'file');
  if (items.length === 0) return { files: Array.from(dt.files), folders };
  for (const item of items) {
    const entry = (item as { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.();
    if (entry?.isDirectory) {
      const folder: FolderSource = { name: entry.name, files: [], dirs: [], skipped: [] };
      folders.push(
        walk(entry, '', folder).then(
          () => folder,
          (e: unknown) => {
            folder.skipped!.push({
              path: entry.name,
              reason: `it could not be read (${reason(e)})`,
            });
            return folder;
          },
        ),
      );
      continue;
    }
    const file = item.getAsFile();
    if (file) files.push(file);
  }
  return { files, folders };
}
