/**
 * Interrupted downloads on disk, so a rerun of `peerboard receive` asks only for what is missing.
 *
 * - The bytes: `<target>.part` next to where the file goes, written in order by a sink that
 *   implements core's resume contract (sink.resume): reopened with what is there, read back and
 *   checked block by block by core, cut to the verified prefix, then appended to.
 * - The records: core's resume store (one record per room and content; sealed in protected
 *   rooms) over a backend kept as one small JSON file, `D/.peerboard/resume.json`. A record's
 *   `place` is the part's path relative to D; it comes from a file anyone could edit, so it is
 *   resolved under D and refused if it leads anywhere else.
 *
 * "Durable" here means written to the operating system: a killed process keeps it, a power cut
 * may not (nothing is lost either way but time: core re-verifies every kept block).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Session } from '@peerboard/core';
import {
  isFinal,
  type FileSink,
  type ResumeBackend,
  type ResumeStore,
  type SinkResume,
  type StoredResume,
  type TransferView,
} from '@peerboard/core/transfer';
import { fileSource, targetPath } from './files';

/** The resume record follows the part at most this often (bytes). */
const DURABLE_EVERY = 1024 * 1024;

export const resumeFile = (dir: string) => path.join(dir, '.peerboard', 'resume.json');

/** `rel` resolved under `dir`, or null if it would leave it (`..`, absolute, not a string). */
export function under(dir: string, rel: unknown): string | null {
  if (typeof rel !== 'string' || rel === '' || path.isAbsolute(rel)) return null;
  const root = path.resolve(dir);
  const full = path.resolve(root, rel);
  return full.startsWith(root + path.sep) ? full : null;
}

type Row = Omit<StoredResume, 'body'> & { body: unknown };
/** JSON has no bytes: a sealed body is stored as `{ b64 }` */
const toJson = (r: StoredResume): Row =>
  r.body instanceof Uint8Array
    ? { ...r, body: { b64: Buffer.from(r.body).toString('base64') } }
    : r;
const fromJson = (r: Row): StoredResume | null => {
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.key !== 'string' ||
    typeof r.room !== 'string'
  )
    return null;
  const b = r.body as { b64?: unknown } | null;
  if (b && typeof b === 'object' && typeof b.b64 === 'string')
    return { ...r, body: new Uint8Array(Buffer.from(b.b64, 'base64')) };
  return r;
};

/** Resume records in one JSON file (read once, rewritten whole through a rename on change). */
export function makeJsonResumeBackend(file: string): ResumeBackend {
  let rows: Promise<Map<string, StoredResume>> | null = null;
  let writing = Promise.resolve();
  const load = () =>
    (rows ??= fs
      .readFile(file, 'utf8')
      .then((text) => {
        const raw = JSON.parse(text) as { rows?: Row[] };
        const list = Array.isArray(raw.rows) ? raw.rows : [];
        return new Map(
          list.flatMap((r) => {
            const row = fromJson(r);
            return row ? [[row.key, row] as const] : [];
          }),
        );
      })
      // no file yet, or a damaged one: start empty (a damaged record only costs a re-download)
      .catch(() => new Map<string, StoredResume>()));
  const save = async () => {
    const map = await load();
    const text = JSON.stringify({ rows: [...map.values()].map(toJson) });
    writing = writing.then(async () => {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(`${file}.tmp`, text);
      await fs.rename(`${file}.tmp`, file);
    });
    await writing;
  };
  return {
    get: async (key) => (await load()).get(key),
    async put(row) {
      (await load()).set(row.key, row);
      await save();
    },
    async delete(key) {
      if ((await load()).delete(key)) await save();
    },
    byRoom: async (room) => [...(await load()).values()].filter((r) => r.room === room),
    all: async () => [...(await load()).values()],
  };
}

export const partOf = (target: string) => `${target}.part`;

/**
 * A sink writing `target` through `<target>.part` under `dir`. `continuing`: the part holds an
 * earlier session's bytes (core checks them before any is kept); otherwise it starts empty.
 */
export async function openFsSink(
  dir: string,
  target: string,
  name: string,
  continuing: boolean,
): Promise<FileSink> {
  const part = partOf(target);
  const handle = await fs.open(part, continuing ? 'r+' : 'w');
  const existing = continuing ? (await handle.stat()).size : 0;
  let at = existing;
  let reported = 0;
  let onDurable: (bytes: number) => void = () => {};
  let finished = false;
  const resume: SinkResume = {
    place: path.relative(path.resolve(dir), path.resolve(part)),
    existing,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    },
    async keep(bytes) {
      await handle.truncate(bytes);
      at = reported = bytes;
    },
    onDurable: (fn) => void (onDurable = fn),
    // written bytes are already with the operating system; the record is at most a MiB behind
    suspend: () => undefined,
  };
  return {
    async write(data) {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, at + done);
        done += bytesWritten;
      }
      at += data.length;
      if (at - reported >= DURABLE_EVERY) {
        reported = at;
        onDurable(at);
      }
    },
    async close() {
      finished = true;
      await handle.close();
      await fs.rename(part, target);
      return { blob: async () => null, savedToDisk: true, source: await fileSource(target, name) };
    },
    async abort() {
      if (finished) return;
      finished = true;
      await handle.close().catch(() => undefined);
      await fs.rm(part, { force: true });
    },
    resume,
  };
}

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

/**
 * The sink for an incoming file: the part an earlier run left (its record names it, the content
 * is the same) reopened, else a new file named `name` in `where` (which must be under D).
 */
export async function sinkFor(
  v: TransferView,
  where: string,
  name: string,
  c: { dir: string; store: ResumeStore },
): Promise<{ sink: FileSink; target: string; kept: number }> {
  const rec = v.sha256 ? await c.store.find(v.sha256).catch(() => null) : null;
  const part = rec ? under(c.dir, rec.place) : null;
  if (rec && part?.endsWith('.part') && rec.size === v.size && (await exists(part))) {
    const target = part.slice(0, -'.part'.length);
    if (!(await exists(target))) {
      const sink = await openFsSink(c.dir, target, v.name, true);
      return { sink, target, kept: sink.resume?.existing ?? 0 };
    }
  }
  if (!under(c.dir, path.join(path.relative(c.dir, where), name)))
    throw new Error('its path leads outside the folder it is received into');
  await fs.mkdir(where, { recursive: true });
  const target = await targetPath(where, name);
  return { sink: await openFsSink(c.dir, target, v.name, false), target, kept: 0 };
}

/** Resolves once the offer's SHA-256 is known (the sender hashes before it says). */
export const hashed = (session: Session, id: string) =>
  new Promise<void>((resolve) => {
    const check = () => {
      const v = session.transfers.get(id);
      if (v && (v.sha256 !== null || isFinal(v.state))) {
        off();
        resolve();
      }
    };
    const off = session.transfers.on('change', check);
    check();
  });
