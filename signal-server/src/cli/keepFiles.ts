/**
 * What `peerboard keep` does with the files offered in a room: takes each one within its quotas
 * (one file, all files of the room) into its store (keeperFiles.ts), then holds it: core serves a
 * verified copy to whoever asks, the block-hash list included, and announces it to newcomers, so
 * a file outlives the browser that offered it. After a restart it offers what it kept, each file
 * hashed again first. Folders are declined (their tree would be lost in a plain re-offer), and so
 * is content it already holds. Every refusal is a line on stdout saying why.
 */
import type { Session } from '@peerboard/core';
import { CliError, EXIT } from './errors';
import { openKeeperFiles, type KeeperFiles } from './keeperFiles';
import { hashed } from './partials';
import { formatBytes } from './progress';
import type { KeeperStore } from './keeperStore';

export interface FileQuota {
  /** largest file taken (bytes); 0 takes none */
  maxFile: number;
  /** all files of one room together (bytes) */
  maxTotal: number;
}

export const DEFAULT_QUOTA: FileQuota = { maxFile: 1024 ** 3, maxTotal: 10 * 1024 ** 3 };

/** "1.5G", "200M", "64K", "1000" (bytes; K/M/G/T are powers of 1024) */
export function parseSize(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(raw.trim());
  if (!m) throw new CliError(`${flag} takes a size such as 500M or 2G, got "${raw}"`, EXIT.usage);
  const power = ' KMGT'.indexOf((m[2] || ' ').toUpperCase());
  return Math.floor(Number(m[1]) * 1024 ** power);
}

export interface KeptFiles {
  /** how many files came back from disk */
  readonly restored: number;
  /** bytes the kept files take (and the ones being received) */
  used(): number;
  /** offer what was kept (once the session exists) and start taking offers */
  start(session: Session): () => void;
}

export async function loadKeptFiles(
  store: KeeperStore,
  quota: FileQuota,
  say: (msg: string) => void,
  /** bytes the room's images take: they share --max-total with the files */
  imagesUsed: () => number = () => 0,
): Promise<KeptFiles> {
  const files: KeeperFiles = openKeeperFiles(store.filesDir, store.filesKey);
  const kept = await files.load(say);
  /** content held or being received: one copy of each */
  const held = new Set(kept.map((f) => f.sha256));
  return {
    restored: kept.length,
    used: () => files.used(),
    start(session) {
      for (const f of kept) session.transfers.offer(files.source(f));
      const names = () => new Map(session.room.snapshot().peers.map((p) => [p.id, p.name]));
      const seen = new Set<string>();
      const taking = new Map<string, string>();

      const consider = async (id: string) => {
        await hashed(session, id);
        const v = session.transfers.get(id);
        if (!v || v.state !== 'offered' || v.sha256 === null) return;
        const from = names().get(v.peerId) ?? v.peerId.slice(0, 8);
        const what = `${v.name} (${formatBytes(v.size)}) from ${from}`;
        const refuse = (why: string) => {
          say(`Not keeping ${what}: ${why}.`);
          session.transfers.decline(id);
        };
        if (session.transfers.folders().some((f) => f.files.some((m) => m.id === id)))
          return refuse('it is part of a folder, and folders are not kept');
        if (held.has(v.sha256)) return refuse('the same file is kept already');
        if (quota.maxFile === 0) return refuse('--max-file-size 0 keeps no files');
        if (v.size > quota.maxFile)
          return refuse(`it is larger than --max-file-size ${formatBytes(quota.maxFile)}`);
        const total = files.used() + imagesUsed();
        if (total + v.size > quota.maxTotal)
          return refuse(
            `the room's files would pass --max-total ${formatBytes(quota.maxTotal)} (${formatBytes(total)} kept)`,
          );
        held.add(v.sha256);
        taking.set(id, v.sha256);
        const sink = await files.sink({
          name: v.name,
          mime: v.mime,
          size: v.size,
          sha256: v.sha256,
          keptAt: Date.now(),
        });
        say(`Keeping ${what}.`);
        await session.transfers.accept(id, sink);
      };

      const off = session.transfers.on('state', (e) => {
        if (e.direction !== 'in') return;
        if (e.state === 'offered' && !seen.has(e.id)) {
          seen.add(e.id);
          void consider(e.id).catch((err: Error) => {
            say(`Not keeping a file: ${err.message}`);
            session.transfers.decline(e.id);
          });
          return;
        }
        const sha = taking.get(e.id);
        if (sha === undefined) return;
        if (e.state === 'done') {
          taking.delete(e.id);
          say(`Kept ${session.transfers.get(e.id)?.name ?? e.id} (SHA-256 ${sha} verified).`);
        } else if (e.state === 'failed' || e.state === 'cancelled' || e.state === 'declined') {
          taking.delete(e.id);
          held.delete(sha);
          say(`Could not keep ${session.transfers.get(e.id)?.name ?? e.id}: ${e.state}.`);
        }
      });
      return off;
    },
  };
}
