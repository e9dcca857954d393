/**
 * Node file system for transfers: a FileSource over a file handle (read slice by slice, never
 * the whole file), what to send from the command line (files, and folders walked into core's
 * folder shape: relative paths and empty directories), and where an incoming file may go.
 * The sink that writes incoming files (and resumes them) is in partials.ts.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileSource } from '@peerboard/core/transfer';
import { CliError, EXIT } from './errors';
export async function fileSource(file: string, name: string): Promise<FileSource> {
  const stat = await fs.stat(file);
  return {
    name,
    size: stat.size,
    type: '',
    lastModified: stat.mtimeMs,
    async read(offset, length) {
      const handle = await fs.open(file, 'r');
      try {
        const buf = new Uint8Array(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      } finally {
        await handle.close();
      }
    },
  };
}

export type ToSend =
  | { kind: 'file'; file: string; name: string }
  /** a folder: its files by path inside it ('/' separated), and its empty directories */
  | { kind: 'folder'; name: string; files: { file: string; path: string }[]; dirs: string[] };

/** Files and folders from the command line, folders walked (sorted, symlinks not followed). */
export async function filesToSend(args: readonly string[]): Promise<ToSend[]> {
  const out: ToSend[] = [];
  const walk = async (dir: string, rel: string, into: Extract<ToSend, { kind: 'folder' }>) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    if (entries.length === 0 && rel !== '') into.dirs.push(rel);
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(full, p, into);
      else if (e.isFile()) into.files.push({ file: full, path: p });
    }
  };
  for (const arg of args) {
    const stat = await fs.stat(arg).catch(() => null);
    if (stat === null) throw new CliError(`No such file or folder: ${arg}`, EXIT.usage);
    if (stat.isDirectory()) {
      const folder = {
        kind: 'folder' as const,
        name: path.basename(path.resolve(arg)),
        files: [],
        dirs: [],
      };
      await walk(arg, '', folder);
      if (folder.files.length === 0)
        throw new CliError(`Nothing to send in ${arg}: the folder has no files.`, EXIT.usage);
      out.push(folder);
    } else if (stat.isFile()) out.push({ kind: 'file', file: arg, name: path.basename(arg) });
    else throw new CliError(`Not a file or folder: ${arg}`, EXIT.usage);
  }
  return out;
}

const exists = (p: string) =>
  fs.access(p, constants.F_OK).then(
    () => true,
    () => false,
  );

/**
 * Where an incoming file goes in `dir`: its name (peers' names are already cleaned of slashes),
 * or "name (1).ext" and so on when a different file (or another download's part) is there.
 */
export async function targetPath(dir: string, name: string): Promise<string> {
  const safe = path.basename(name);
  if (safe === '' || safe === '.' || safe === '..') throw new Error(`unusable name ${name}`);
  const ext = path.extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = path.join(dir, i === 0 ? safe : `${stem} (${i})${ext}`);
    if (!(await exists(candidate)) && !(await exists(`${candidate}.part`))) return candidate;
  }
}
