/**
 * `peerboard keep` keeps the files offered in its rooms: the compiled CLI in a child process,
 * the real relay, real WebRTC (@roamhq/wrtc) to in-test sessions. A file outlives its sender
 * (served by the keeper to a peer who joins after the sender left), outlives the keeper's own
 * restart (served from disk), is sealed at rest in a protected room, is refused above the
 * quota, and a kept file damaged on disk is never served.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '@peerboard/core';
import { newSecretRoom } from '@peerboard/core/secret';
import { bytesSource } from '@peerboard/core/transfer';
import { cli, type CliRun } from '../kit/cliProcess';
import { useKeeperRoom } from './keeperRoom';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const room = useKeeperRoom('peerboard-keep-files-');
const { origin, session } = room;

/** Joins, waits for the one incoming offer with a known hash, downloads it into memory. */
async function fetchFromRoom(s: Session, name: string): Promise<Uint8Array> {
  let id = '';
  await expect
    .poll(
      () => {
        const v = s.transfers.list().find((t) => t.direction === 'in' && t.name === name);
        id = v?.sha256 ? v.id : '';
        return id;
      },
      { timeout: 30_000 },
    )
    .not.toBe('');
  await s.transfers.accept(id);
  await expect.poll(() => s.transfers.get(id)?.state, { timeout: 60_000 }).toBe('done');
  return new Uint8Array(await (await s.transfers.received(id)!.blob())!.arrayBuffer());
}

async function keptFiles(data: string): Promise<string[]> {
  const [dir] = (await fs.readdir(data)).filter((n) => n.endsWith('.files'));
  return dir ? (await fs.readdir(path.join(data, dir))).map((n) => path.join(data, dir, n)) : [];
}

async function keep(link: string, data: string, ...flags: string[]): Promise<CliRun> {
  const run = cli(['keep', link, '--data', data, '--name', 'Keeper', ...flags]);
  await run.printed('Ready.');
  return run;
}

describe('peerboard keep holds files', () => {
  it('serves a file after its sender left and after its own restart, sealed on disk, within its quota', async () => {
    const { roomId, secret } = await newSecretRoom();
    const link = `${origin()}/r/${roomId}#k=${secret}`;
    const data = path.join(room.tmp(), 'kept');
    const keeper = await keep(link, data, '--max-file-size', '4M');

    const bytes = randomBytes(3 * 1024 * 1024 + 11);
    // a marker the disk must not show in clear (the file is random bytes otherwise)
    bytes.set(Buffer.from('TOP-SECRET-MARKER'), 1000);
    const alice = session(roomId, 'Alice', secret);
    const id = alice.transfers.offer(bytesSource(bytes, 'minutes.pdf', 'application/pdf'));
    const tooBig = alice.transfers.offer(bytesSource(randomBytes(5 * 1024 * 1024), 'huge.bin'));
    await expect
      .poll(() => alice.transfers.get(id)?.receivers.map((r) => r.state), { timeout: 60_000 })
      .toEqual(['done']);
    await expect
      .poll(() => alice.transfers.get(tooBig)?.receivers.map((r) => r.state), { timeout: 30_000 })
      .toEqual(['declined']);
    expect(keeper.stdout()).toContain('Not keeping huge.bin (5.0 MiB) from Alice: it is larger');
    expect(keeper.stdout()).toContain(`Kept minutes.pdf (SHA-256 ${sha(bytes)} verified).`);
    alice.destroy();

    // Bob was never in the room with Alice: only the keeper can give him the file
    const bob = session(roomId, 'Bob', secret);
    expect(sha(await fetchFromRoom(bob, 'minutes.pdf'))).toBe(sha(bytes));
    bob.destroy();

    // at rest: random names, sealed contents and metadata (no name, no marker, no hash)
    const onDisk = await keptFiles(data);
    expect(onDisk.map((f) => path.basename(f).replace(/^[0-9a-f]{32}/, 'ID')).sort()).toEqual([
      'ID.data',
      'ID.meta',
    ]);
    for (const f of onDisk) {
      const raw = await fs.readFile(f);
      expect(raw.includes(Buffer.from('TOP-SECRET'))).toBe(false);
      expect(raw.includes(Buffer.from('minutes'))).toBe(false);
      expect(raw.includes(Buffer.from(sha(bytes)))).toBe(false);
    }

    keeper.child.kill('SIGINT');
    expect(await keeper.exited).toBe(130);
    const again = await keep(link, data);
    expect(again.stdout()).toContain('1 file)');
    const carol = session(roomId, 'Carol', secret);
    expect(sha(await fetchFromRoom(carol, 'minutes.pdf'))).toBe(sha(bytes));
  }, 180_000);

  it('a kept file damaged on disk is left out at restart, never served', async () => {
    const { roomId, secret } = await newSecretRoom();
    const link = `${origin()}/r/${roomId}#k=${secret}`;
    const data = path.join(room.tmp(), 'tampered');
    const keeper = await keep(link, data);
    const alice = session(roomId, 'Alice', secret);
    const id = alice.transfers.offer(bytesSource(randomBytes(200_000), 'plan.bin'));
    await expect
      .poll(() => alice.transfers.get(id)?.receivers.map((r) => r.state), { timeout: 60_000 })
      .toEqual(['done']);
    alice.destroy();
    keeper.child.kill('SIGINT');
    await keeper.exited;

    // someone with the disk flips one byte of the sealed data
    const file = (await keptFiles(data)).find((f) => f.endsWith('.data'))!;
    const raw = await fs.readFile(file);
    raw[5000] = raw[5000]! ^ 0xff;
    await fs.writeFile(file, raw);

    const again = await keep(link, data);
    expect(again.stdout()).toContain('0 files)');
    expect(again.stdout()).toContain('Left out the kept file');
    const bob = session(roomId, 'Bob', secret);
    await expect.poll(() => bob.room.openPeers().length, { timeout: 30_000 }).toBe(1);
    // the keeper offered nothing: Bob sees no file at all
    await expect.poll(() => bob.doc.provider.syncedPeers().length, { timeout: 30_000 }).toBe(1);
    expect(bob.transfers.list()).toEqual([]);
  }, 120_000);
});
