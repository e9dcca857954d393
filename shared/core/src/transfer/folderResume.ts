/**
 * A received folder that outlives the page: where it was being saved, so a reload or a crash
 * continues it file by file. One record per folder in the room's ResumeStore (beside the files'
 * own records, sealed the same way in a protected room), keyed by a hash of the folder's tree
 * (name, total, every path with its size, empty directories), not by its id: a sender who left
 * and shared the same folder again gives it new ids, and it is still the same folder.
 *
 * The record is a pointer, not a claim about any bytes: whatever is found in that directory is
 * read back and checked block by block against the hash list the offerer sends (incoming.ts),
 * so a file that is already there whole costs the sender its hash list and no data, a file cut
 * short continues after its last verified block, and a damaged or changed one is fetched again.
 *
 * A folder saved as a zip is recorded too, only to say plainly that it starts again: a zip
 * stream that stopped half-way cannot be continued.
 */
import { utf8Encode } from '@peerboard/protocol';
import type { ResumeRecord, ResumeStore } from './resumeStore';

export type FolderSaveKind = 'directory' | 'zip';

/** The `place` of a folder's record: a directory handle (structured-cloneable) or a zip. */
export type FolderPlace =
  { kind: 'folder'; mode: 'directory'; handle: unknown } | { kind: 'folder'; mode: 'zip' };

/** What a folder's tree is, as the receiver was shown it. */
export interface FolderShape {
  name: string;
  bytes: number;
  peerId: string;
  files: { path: string; size: number }[];
  dirs: string[];
}

/** The MIME type that marks a folder's record (no file offer has it: never matched by sha). */
const FOLDER_MIME = 'inode/directory';

const hex = (b: ArrayBuffer) =>
  [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The folder's key: SHA-256 of its tree in a canonical order (ids left out). */
export async function folderKey(f: FolderShape): Promise<string> {
  const files = f.files
    .map((x) => [x.path, x.size] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const canonical = JSON.stringify([
    'peerboard-folder-v1',
    f.name,
    f.bytes,
    files,
    [...f.dirs].sort(),
  ]);
  return hex(
    await globalThis.crypto.subtle.digest('SHA-256', utf8Encode(canonical) as BufferSource),
  );
}

const placeOf = (rec: ResumeRecord): FolderPlace | null => {
  const p = rec.place as FolderPlace | null;
  if (rec.mime !== FOLDER_MIME || p?.kind !== 'folder') return null;
  if (p.mode === 'zip') return p;
  return p.mode === 'directory' && typeof p.handle === 'object' && p.handle !== null ? p : null;
};

export interface FolderResume {
  /** where an earlier page was saving this folder, or null */
  find(f: FolderShape): Promise<FolderPlace | null>;
  keep(f: FolderShape, place: FolderPlace): Promise<void>;
  /** the folder is finished, stopped or forgotten (nothing on disk is deleted) */
  drop(f: FolderShape): Promise<void>;
}

/** Folder records in `store`; without a store (no IndexedDB) nothing is kept. */
export function makeFolderResume(store: ResumeStore | null | undefined): FolderResume {
  return {
    async find(f) {
      if (!store) return null;
      const rec = await store.find(await folderKey(f));
      return rec && rec.size === f.bytes ? placeOf(rec) : null;
    },
    async keep(f, place) {
      if (!store) return;
      await store.put({
        sha256: await folderKey(f),
        size: f.bytes,
        chunk: 0,
        block: 0,
        name: f.name,
        mime: FOLDER_MIME,
        sender: f.peerId,
        bytes: 0,
        place,
      });
    },
    async drop(f) {
      // the directory is the person's: a folder's record never deletes what it points at
      if (store) await store.drop(await folderKey(f), false);
    },
  };
}
