/**
 * The folder manifest: a shared folder is one item in the room, its files are ordinary verified
 * transfers underneath (each with its own offer, SHA-256 and per-file resume), grouped by a
 * `folder` control message that lists the tree.
 *
 *   folder  sender -> all   { id, name, count, bytes, first, entries: [{ p, f?, s? }] }
 *
 * `count` entries in all (files and empty directories), sent in order in pages of at most
 * FOLDER_PAGE_BYTES; `first` is the index of the page's first entry. A file entry has its
 * relative path `p`, the transfer id `f` of its offer and its size `s`; an entry without `f` is
 * an empty directory. Each member offer then carries `folder: <id>`.
 *
 * Every path comes from a possibly malicious peer and becomes a path on the receiver's disk (a
 * chosen directory) or in a zip, so it is checked before anything is shown: relative, '/'
 * separated, no empty, '.' or '..' segment, no backslash, no drive letter, no control or bidi
 * character, bounded length, depth and count, no duplicate (also ignoring case: the receiver's
 * disk may not tell "A" from "a") and no file that is also a directory.
 */
import {
  FOLDER_MAX_DEPTH,
  FOLDER_MAX_ENTRIES,
  FOLDER_PAGE_BYTES,
  FOLDER_PATH_MAX_LENGTH,
  FOLDER_SEGMENT_MAX_LENGTH,
  FILE_MAX_BYTES,
  err,
  ok,
  sanitizeText,
  type Result,
} from '@peerboard/protocol';
import type { WireJson } from '@peerboard/protocol/wire';

export interface FolderEntry {
  /** relative path inside the folder, '/' separated */
  p: string;
  /** transfer id of the file's offer; absent for an empty directory */
  f?: string;
  /** file size in bytes */
  s?: number;
}

export type FolderPage = {
  type: 'folder';
  id: string;
  name: string;
  count: number;
  bytes: number;
  first: number;
  entries: FolderEntry[];
};

const ID_RE = /^[0-9a-f]{32}$/;
const DRIVE_RE = /^[A-Za-z]:/;

/** Why a relative path may not be used, or null if it is fine. */
export function pathProblem(path: unknown): string | null {
  if (typeof path !== 'string' || path.length === 0) return 'an empty path';
  if (path.length > FOLDER_PATH_MAX_LENGTH)
    return `a path longer than ${FOLDER_PATH_MAX_LENGTH} characters`;
  if (path.startsWith('/')) return `an absolute path (${JSON.stringify(path.slice(0, 80))})`;
  if (path.includes('\\')) return 'a backslash in a path';
  if (DRIVE_RE.test(path)) return 'a drive letter in a path';
  if (sanitizeText(path) !== path) return 'a control or bidi character in a path';
  const segments = path.split('/');
  if (segments.length > FOLDER_MAX_DEPTH) return `a path deeper than ${FOLDER_MAX_DEPTH} levels`;
  for (const s of segments) {
    if (s === '') return 'an empty path segment';
    if (s === '.' || s === '..') return `a "${s}" segment in a path`;
    if (s.length > FOLDER_SEGMENT_MAX_LENGTH)
      return `a name longer than ${FOLDER_SEGMENT_MAX_LENGTH} characters`;
  }
  return null;
}

export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Checks the shape of one manifest page; the tree as a whole is checked by makeFolderTree. */
export function parseFolderPage(msg: WireJson): Result<FolderPage, 'ERR_FILE_FIELD'> {
  const bad = (what: string) => err('ERR_FILE_FIELD' as const, `folder: ${what}`);
  const { id, name, count, bytes, first, entries } = msg;
  if (typeof id !== 'string' || !ID_RE.test(id)) return bad('id must be 32 hex digits');
  if (typeof name !== 'string' || name.length === 0 || name.length > FOLDER_SEGMENT_MAX_LENGTH)
    return bad('bad name');
  const isInt = (v: unknown, max: number): v is number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
  if (!isInt(count, FOLDER_MAX_ENTRIES))
    return bad(`more than ${FOLDER_MAX_ENTRIES} entries (or a bad count)`);
  if (!isInt(bytes, FILE_MAX_BYTES)) return bad('absurd total size');
  if (!isInt(first, count)) return bad('bad first entry');
  if (!Array.isArray(entries) || first + entries.length > count)
    return bad('more entries than announced');
  const out: FolderEntry[] = [];
  for (const e of entries as unknown[]) {
    if (typeof e !== 'object' || e === null) return bad('an entry is not an object');
    const { p, f, s } = e as Record<string, unknown>;
    const problem = pathProblem(p);
    if (problem) return bad(`refused ${problem}`);
    if (f === undefined && s === undefined) out.push({ p: p as string });
    else if (typeof f === 'string' && ID_RE.test(f) && isInt(s, FILE_MAX_BYTES))
      out.push({ p: p as string, f, s });
    else return bad('bad file entry');
  }
  return ok({ type: 'folder', id, name, count, bytes, first, entries: out });
}

/** The tree as pages arrive in order: duplicates, conflicts and totals across pages. */
export interface FolderTree {
  readonly complete: boolean;
  /** adds the next page; returns why the whole folder is refused, or null */
  add(page: FolderPage): string | null;
  files(): { path: string; id: string; size: number }[];
  dirs(): string[];
  /** path of a member transfer, or undefined */
  pathOf(transferId: string): string | undefined;
  sizeOf(transferId: string): number | undefined;
}

export function makeFolderTree(head: FolderPage, takenIds: (id: string) => boolean): FolderTree {
  const paths = new Set<string>();
  const folded = new Set<string>();
  /** every directory some entry lives in (a file may not have one of these paths) */
  const parents = new Set<string>();
  const fileEntries = new Map<string, { path: string; size: number }>();
  const dirList: string[] = [];
  let seen = 0;
  let sum = 0;
  const tree: FolderTree = {
    get complete() {
      return seen === head.count;
    },
    add(page) {
      if (page.name !== head.name || page.count !== head.count || page.bytes !== head.bytes)
        return 'a manifest page disagrees with the first one';
      if (page.first !== seen) return `manifest page at ${page.first}, expected ${seen}`;
      for (const e of page.entries) {
        const key = e.p.toLowerCase();
        if (folded.has(key)) return `a duplicate path (${JSON.stringify(e.p.slice(0, 80))})`;
        if (parents.has(key)) return 'a path that is both a file and a directory';
        const segs = key.split('/');
        for (let i = 1; i < segs.length; i++) {
          const dir = segs.slice(0, i).join('/');
          if (folded.has(dir)) return 'a path that is both a file and a directory';
          parents.add(dir);
        }
        paths.add(e.p);
        folded.add(key);
        if (e.f === undefined) dirList.push(e.p);
        else {
          if (fileEntries.has(e.f) || takenIds(e.f)) return 'a transfer id used twice';
          fileEntries.set(e.f, { path: e.p, size: e.s! });
          sum += e.s!;
          if (sum > head.bytes) return 'files larger than the announced total';
        }
        seen++;
      }
      if (seen === head.count && sum !== head.bytes) return 'files do not add up to the total';
      return null;
    },
    files: () => [...fileEntries].map(([id, e]) => ({ id, path: e.path, size: e.size })),
    dirs: () => [...dirList],
    pathOf: (id) => fileEntries.get(id)?.path,
    sizeOf: (id) => fileEntries.get(id)?.size,
  };
  return tree;
}

/** Splits a manifest into pages of at most FOLDER_PAGE_BYTES of entries (at least one each). */
export function manifestPages(
  head: { id: string; name: string; bytes: number },
  entries: FolderEntry[],
  pageBytes = FOLDER_PAGE_BYTES,
): FolderPage[] {
  const pages: FolderPage[] = [];
  const count = entries.length;
  let current: FolderEntry[] = [];
  let size = 0;
  let first = 0;
  const push = () => {
    pages.push({ type: 'folder', ...head, count, first, entries: current });
    first += current.length;
    current = [];
    size = 0;
  };
  for (const e of entries) {
    // UTF-8 can take 3 bytes per UTF-16 unit: count the worst case
    const len = JSON.stringify(e).length * 3;
    if (current.length > 0 && size + len > pageBytes) push();
    current.push(e);
    size += len;
  }
  if (current.length > 0 || pages.length === 0) push();
  return pages;
}
