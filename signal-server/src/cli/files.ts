/**
 * Node file system for transfers: a FileSource over a file handle (read slice by slice, never
 * the whole file), the list of files to send (folders walked, their relative paths kept in the
 * names), and a FileSink that streams verified bytes to disk.
 *
 * Partial files: bytes go to `<name>.part` with a small `<name>.part.peerboard-partial` record
 * (what file it is, how many bytes are in). On success the part is renamed into place and the
 * record removed; when the transfer fails or is cancelled both are removed; when the process is
 * killed both stay, and the next `receive` of the same file (same SHA-256) finds them.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileSink, FileSource } from '@peerboard/core/transfer';
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

export interface FileToSend {
  file: string;
  /** the name offered: for a file inside a folder, its path from the folder's parent */
  name: string;
}

/** Files and folders from the command line, folders walked (sorted, symlinks not followed). */
export async function filesToSend(args: readonly string[]): Promise<FileToSend[]> {
  const out: FileToSend[] = [];
  const walk = async (dir: string, rel: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full, `${rel}/${e.name}`);
      else if (e.isFile()) out.push({ file: full, name: `${rel}/${e.name}` });
    }
  };
  for (const arg of args) {
    const stat = await fs.stat(arg).catch(() => null);
    if (stat === null) throw new CliError(`No such file or folder: ${arg}`, EXIT.usage);
    if (stat.isDirectory()) await walk(arg, path.basename(path.resolve(arg)));
    else if (stat.isFile()) out.push({ file: arg, name: path.basename(arg) });
    else throw new CliError(`Not a file or folder: ${arg}`, EXIT.usage);
  }
  if (out.length === 0) throw new CliError('Nothing to send: the folders are empty.', EXIT.usage);
  return out;
}

const exists = (p: string) =>
  fs.access(p, constants.F_OK).then(
    () => true,
    () => false,
  );

/**
 * Where an incoming file goes in `dir`: its name (peers' names are already cleaned of slashes),
 * or "name (1).ext" and so on when a different file of that name is there.
 */
export async function targetPath(dir: string, name: string): Promise<string> {
  const safe = path.basename(name);
  if (safe === '' || safe === '.' || safe === '..') throw new Error(`unusable name ${name}`);
  const ext = path.extname(safe);
  const stem = safe.slice(0, safe.length - ext.length);
  for (let i = 0; ; i++) {
    const candidate = path.join(dir, i === 0 ? safe : `${stem} (${i})${ext}`);
    if (!(await exists(candidate))) return candidate;
  }
}

export interface PartialRecord {
  sha256: string;
  size: number;
  name: string;
  bytes: number;
}

export const partPath = (target: string) => `${target}.part`;
export const recordPath = (target: string) => `${target}.part.peerboard-partial`;

/** The record of an interrupted download of `target`, or null. */
export async function readPartial(target: string): Promise<PartialRecord | null> {
  try {
    const raw: unknown = JSON.parse(await fs.readFile(recordPath(target), 'utf8'));
    if (typeof raw !== 'object' || raw === null) return null;
    const r = raw as Record<string, unknown>;
    if (typeof r.sha256 !== 'string' || typeof r.name !== 'string') return null;
    if (!Number.isSafeInteger(r.size) || !Number.isSafeInteger(r.bytes)) return null;
    return { sha256: r.sha256, name: r.name, size: r.size as number, bytes: r.bytes as number };
  } catch {
    return null;
  }
}

/** Record updates at most this often (bytes): the record is a hint, the part is the truth. */
const RECORD_EVERY = 4 * 1024 * 1024;

export async function makeFsSink(
  target: string,
  info: { sha256: string; size: number; name: string },
): Promise<FileSink> {
  const part = partPath(target);
  const record = recordPath(target);
  const handle = await fs.open(part, 'w');
  let bytes = 0;
  let recorded = -1;
  let finished = false;
  const writeRecord = () =>
    fs.writeFile(record, JSON.stringify({ ...info, bytes } satisfies PartialRecord));
  await writeRecord();
  const cleanUp = async () => {
    await fs.rm(part, { force: true });
    await fs.rm(record, { force: true });
  };
  return {
    async write(data) {
      await handle.write(data);
      bytes += data.length;
      if (bytes - recorded >= RECORD_EVERY) {
        recorded = bytes;
        await writeRecord();
      }
    },
    async close() {
      finished = true;
      await handle.close();
      await fs.rename(part, target);
      await fs.rm(record, { force: true });
      return {
        blob: async () => null,
        savedToDisk: true,
        source: await fileSource(target, info.name),
      };
    },
    async abort() {
      if (finished) return;
      finished = true;
      await handle.close().catch(() => undefined);
      await cleanUp().catch(() => undefined);
    },
  };
}
