/**
 * `peerboard keep` keeps the board's images: the compiled CLI in a child process, the real relay,
 * real WebRTC (@roamhq/wrtc) to in-test sessions. The keeper fetches the bytes of image elements
 * on the board it joins and of ones pasted later, stores them, and after its inserter left and
 * the keeper restarted, a peer who never met the inserter gets the verified bytes from it. In a
 * protected room the disk shows neither the bytes nor their hash; an image damaged on disk is
 * never served; --max-total bounds the images too.
 */
import { createHash, randomFillSync } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '@peerboard/core';
import { addElement, readBoard } from '@peerboard/core/collab';
import { newSecretRoom } from '@peerboard/core/secret';
import { uniqueRoom } from '../../../shared/core/test/kit/relay';
import { cli, type CliRun } from '../kit/cliProcess';
import { useKeeperRoom } from './keeperRoom';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** PNG signature + random body (the exchange sniffs, never decodes), with a marker inside */
function fakePng(bytes: number, marker = ''): Uint8Array {
  const b = randomFillSync(new Uint8Array(bytes));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  b.set(Buffer.from(marker), 100);
  return b;
}

const room = useKeeperRoom('peerboard-keep-images-');
const { origin, session } = room;

async function keep(link: string, data: string, ...flags: string[]): Promise<CliRun> {
  const run = cli(['keep', link, '--data', data, '--name', 'Keeper', ...flags]);
  await run.printed('Ready.');
  return run;
}

async function stop(run: CliRun): Promise<void> {
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(130);
}

/** Pastes `bytes` as an image element: its own copy is what it serves. */
async function paste(s: Session, bytes: Uint8Array): Promise<void> {
  const added = await s.transfers.images.add(bytes);
  expect(added.ok).toBe(true);
  const r = addElement(s.doc.doc, {
    type: 'image',
    x: 0,
    y: 0,
    w: 100,
    h: 100,
    sha256: sha(bytes),
    mime: 'image/png',
    naturalW: 100,
    naturalH: 100,
    colour: '#000000',
    strokeWidth: 2,
  });
  expect(r.ok).toBe(true);
}

/** Joins alone with the keeper, syncs the board from it and fetches `hash` from the room. */
async function fetchImage(s: Session, hash: string): Promise<Uint8Array | null> {
  await expect.poll(() => s.doc.provider.syncedPeers().length, { timeout: 30_000 }).toBe(1);
  expect(readBoard(s.doc.doc).some((e) => e.type === 'image' && e.sha256 === hash)).toBe(true);
  s.transfers.images.want(hash);
  await expect.poll(() => s.transfers.images.status(hash), { timeout: 30_000 }).not.toBe('loading');
  return s.transfers.images.get(hash);
}

/** every file under dir, recursively */
async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

const imagesOnDisk = async (data: string) =>
  (await allFiles(data)).filter((f) => f.endsWith('.img'));

describe('peerboard keep holds board images', () => {
  it('fetches the images on the board it joins and pasted later, and serves them after the inserter left and a restart', async () => {
    const roomId = uniqueRoom('keepimg');
    const link = `${origin()}/r/${roomId}`;
    const data = path.join(room.tmp(), 'open');
    const alice = session(roomId, 'Alice');
    const before = fakePng(300 * 1024);
    await paste(alice, before);

    const keeper = await keep(link, data);
    // pasted before the keeper came: fetched on join
    await keeper.printed('Kept an image of 300 KiB of the board.', 30_000);
    const after = fakePng(1024 * 1024 + 7);
    await paste(alice, after);
    // pasted while it is here: fetched when the element appears
    await keeper.printed('Kept an image of 1.0 MiB of the board.', 30_000);
    alice.destroy();
    await stop(keeper);
    expect((await imagesOnDisk(data)).map((f) => path.basename(f)).sort()).toEqual(
      [`${sha(before)}.img`, `${sha(after)}.img`].sort(),
    );

    const again = await keep(link, data);
    expect(again.stdout()).toContain('2 images, 0 files)');
    // Bob never met Alice: the keeper is the only one who can give him the bytes
    const bob = session(roomId, 'Bob');
    expect(sha((await fetchImage(bob, sha(before)))!)).toBe(sha(before));
    expect(sha((await fetchImage(bob, sha(after)))!)).toBe(sha(after));
  }, 180_000);

  it('in a protected room the disk shows neither the bytes nor their hash, and they still come back', async () => {
    const { roomId, secret } = await newSecretRoom();
    const link = `${origin()}/r/${roomId}#k=${secret}`;
    const data = path.join(room.tmp(), 'sealed');
    const keeper = await keep(link, data);
    const png = fakePng(500 * 1024, 'TOP-SECRET-PICTURE');
    const alice = session(roomId, 'Alice', secret);
    await paste(alice, png);
    await keeper.printed('Kept an image', 30_000);
    alice.destroy();
    await stop(keeper);

    const images = await imagesOnDisk(data);
    expect(images).toHaveLength(1);
    const hash = sha(png);
    for (const f of await allFiles(data)) {
      expect(path.basename(f)).not.toContain(hash);
      const raw = await fs.readFile(f);
      expect(raw.includes(Buffer.from('TOP-SECRET'))).toBe(false);
      expect(raw.includes(Buffer.from(hash))).toBe(false);
      expect(raw.includes(Buffer.from(hash, 'hex'))).toBe(false);
      expect(raw.includes(Buffer.from(png.subarray(2000, 2064)))).toBe(false);
    }

    const again = await keep(link, data);
    expect(again.stdout()).toContain('1 image, 0 files)');
    const bob = session(roomId, 'Bob', secret);
    expect(sha((await fetchImage(bob, hash))!)).toBe(hash);
  }, 180_000);

  it('an image damaged on disk is deleted at restart and never served', async () => {
    const { roomId, secret } = await newSecretRoom();
    const link = `${origin()}/r/${roomId}#k=${secret}`;
    const data = path.join(room.tmp(), 'tampered');
    const keeper = await keep(link, data);
    const png = fakePng(200 * 1024);
    const alice = session(roomId, 'Alice', secret);
    await paste(alice, png);
    await keeper.printed('Kept an image', 30_000);
    alice.destroy();
    await stop(keeper);

    // someone with the disk flips one byte of the sealed image
    const [file] = await imagesOnDisk(data);
    const raw = await fs.readFile(file!);
    raw[5000] = raw[5000]! ^ 0xff;
    await fs.writeFile(file!, raw);

    const again = await keep(link, data);
    expect(again.stdout()).toContain('0 images, 0 files)');
    expect(again.stdout()).toContain('Left out a kept image');
    expect(await imagesOnDisk(data)).toEqual([]);
    const bob = session(roomId, 'Bob', secret);
    expect(await fetchImage(bob, sha(png))).toBeNull();
    expect(bob.transfers.images.status(sha(png))).toBe('missing');
  }, 180_000);

  it('keeps images only within --max-total, shared with the files', async () => {
    const roomId = uniqueRoom('keepquota');
    const link = `${origin()}/r/${roomId}`;
    const data = path.join(room.tmp(), 'quota');
    const keeper = await keep(link, data, '--max-total', '600K');
    const alice = session(roomId, 'Alice');
    await paste(alice, fakePng(400 * 1024));
    await keeper.printed('Kept an image of 400 KiB', 30_000);
    await paste(alice, fakePng(300 * 1024));
    await keeper.printed(
      "Not keeping an image of 300 KiB: the room's files and images would pass --max-total 600 KiB (400 KiB kept).",
      30_000,
    );
    expect(await imagesOnDisk(data)).toHaveLength(1);
  }, 120_000);
});
