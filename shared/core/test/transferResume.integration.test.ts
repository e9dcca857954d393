/**
 * A receiver's download survives its session, over the real relay and real @roamhq/wrtc peers:
 * Bob receives part of a file into a sink that outlives the session (a file on disk, as OPFS or
 * a picked file in a browser) with a resume store, then his session is destroyed as by a crash
 * or a reload. A new session with the same store sees the same offer as resumable, reopens the
 * partial, re-checks it block by block and asks only for what is missing. The sender counts
 * every chunk it sends.
 */
import { randomFillSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hexToBytes } from '../src/transfer/messages';
import {
  makeMemoryResumeBackend,
  makeResumeStore,
  type ResumeStore,
} from '../src/transfer/resumeStore';
import { makeFileSink } from './kit/fileSink';
import { makeGatedSource } from './kit/gatedSource';
import { rawPeer } from './kit/rawPeer';
import { uniqueRoom } from './kit/relay';
import { sha, useFileRelay } from './kit/transferKit';

const BLOCK_CHUNKS = 4;
const BLOCK = FILE_CHUNK_BYTES * BLOCK_CHUNKS;
/** 40 blocks; the sender is held after 12 of them */
const SIZE = BLOCK * 40 - 777;
const HELD = BLOCK * 12;
const TIMEOUT = { timeout: 30_000, interval: 50 };

let dir: string;
const net = useFileRelay();

function join(roomId: string, name: string, extra: { resume?: ResumeStore; sent?: Sent[] } = {}) {
  return net.join(roomId, name, {
    blockChunks: BLOCK_CHUNKS,
    resume: extra.resume,
    onChunkSent: (to, _id, index, bytes) => void extra.sent?.push({ to, index, bytes }),
  });
}
type Sent = { to: string; index: number; bytes: number };
/** Bob's session ends; what his sink wrote stays on disk for the next one */
const crash = net.leave;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'peerboard-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Alice offers a file held at HELD bytes; Bob (with `store`) accepts into a file sink, keeps
 * HELD bytes durably, and crashes. Returns what the next Bob needs.
 */
async function partialDownload(roomId: string, store: ResumeStore) {
  const sent: Sent[] = [];
  const a = join(roomId, 'Alice', { sent });
  const b = join(roomId, 'Bob', { resume: store });
  const data = randomFillSync(new Uint8Array(SIZE));
  const gated = makeGatedSource(data, 'movie.bin', HELD);
  const id = a.files.offer(gated.source);
  await vi.waitFor(() => expect(b.files.get(id)?.sha256).toBe(sha(data)), TIMEOUT);
  gated.shut();
  const file = path.join(dir, `${roomId}.part`);
  await b.files.accept(id, await makeFileSink(file));
  await vi.waitFor(async () => expect((await store.find(sha(data)))?.bytes).toBe(HELD), TIMEOUT);
  crash(b);
  return { a, id, data, gated, file, sent };
}

describe('a receiver resumes after a crash or reload (real WebRTC)', () => {
  it('a new session continues from the kept blocks: the sender serves only the rest, the SHA-256 matches', async () => {
    const roomId = uniqueRoom('resume');
    const store = makeResumeStore(makeMemoryResumeBackend(), { roomId });
    const { a, id, data, gated, file, sent } = await partialDownload(roomId, store);
    const before = sent.length;
    expect(before).toBe(HELD / FILE_CHUNK_BYTES);

    const b2 = join(roomId, 'Bob', { resume: store });
    await vi.waitFor(() => expect(b2.files.get(id)?.resumeBytes).toBe(HELD), TIMEOUT);
    const rec = b2.files.resumeOf(id)!;
    expect(rec).toMatchObject({ name: 'movie.bin', size: SIZE, bytes: HELD, place: file });
    await b2.files.accept(id, await makeFileSink(rec.place as string));
    gated.open();
    await vi.waitFor(() => expect(b2.files.get(id)?.state).toBe('done'), TIMEOUT);

    expect(sha(await readFile(file))).toBe(sha(data));
    const again = sent.slice(before);
    expect(again.every((s) => s.to === b2.peer.room.clientId)).toBe(true);
    expect(Math.min(...again.map((s) => s.index))).toBe(HELD / FILE_CHUNK_BYTES);
    expect(new Set(again.map((s) => s.index)).size).toBe(again.length);
    expect(again.reduce((n, s) => n + s.bytes, 0)).toBe(SIZE - HELD);
    // the sender's row shows the new Bob done, and the record is gone
    await vi.waitFor(
      () => expect(a.files.get(id)!.receivers.some((r) => r.state === 'done')).toBe(true),
      TIMEOUT,
    );
    await vi.waitFor(async () => expect(await store.find(sha(data))).toBeNull(), TIMEOUT);
  }, 90_000);

  it('a kept partial that was tampered with is caught block by block: the rest is fetched again', async () => {
    const roomId = uniqueRoom('resumebad');
    const store = makeResumeStore(makeMemoryResumeBackend(), { roomId });
    const { id, data, gated, file, sent } = await partialDownload(roomId, store);
    const before = sent.length;
    // one byte of block 7 on disk is changed while Bob is away (the record still claims 12)
    const kept = await readFile(file);
    kept[BLOCK * 7 + 5]! ^= 0xff;
    await writeFile(file, kept);

    const b2 = join(roomId, 'Bob', { resume: store });
    await vi.waitFor(() => expect(b2.files.get(id)?.resumeBytes).toBe(HELD), TIMEOUT);
    await b2.files.accept(id, await makeFileSink(file));
    gated.open();
    await vi.waitFor(() => expect(b2.files.get(id)?.state).toBe('done'), TIMEOUT);

    expect(sha(await readFile(file))).toBe(sha(data));
    const again = sent.slice(before);
    expect(Math.min(...again.map((s) => s.index))).toBe(7 * BLOCK_CHUNKS);
    expect(again.reduce((n, s) => n + s.bytes, 0)).toBe(SIZE - 7 * BLOCK);
    expect(b2.peer.logs.join('\n')).toContain('kept block 7 does not match its SHA-256');
  }, 90_000);

  it('Forget drops the kept part: the offer is plain again and the file downloads from the start', async () => {
    const roomId = uniqueRoom('resumeforget');
    const discarded: unknown[] = [];
    const store = makeResumeStore(makeMemoryResumeBackend(), {
      roomId,
      discardPlace: async (p) => void discarded.push(p),
    });
    const { id, data, gated, file, sent } = await partialDownload(roomId, store);
    const before = sent.length;

    const b2 = join(roomId, 'Bob', { resume: store });
    await vi.waitFor(() => expect(b2.files.get(id)?.resumeBytes).toBe(HELD), TIMEOUT);
    b2.files.forgetResume(id);
    expect(b2.files.get(id)?.resumeBytes).toBeUndefined();
    expect(b2.files.resumeOf(id)).toBeNull();
    await vi.waitFor(async () => expect(await store.find(sha(data))).toBeNull(), TIMEOUT);
    expect(discarded).toEqual([file]);

    await b2.files.accept(id);
    gated.open();
    await vi.waitFor(() => expect(b2.files.get(id)?.state).toBe('done'), TIMEOUT);
    const again = sent.slice(before);
    expect(Math.min(...again.map((s) => s.index))).toBe(0);
    expect(again.reduce((n, s) => n + s.bytes, 0)).toBe(SIZE);
  }, 90_000);

  it('a malicious holder that serves a bad block after the resume is refused; the file is still right', async () => {
    const roomId = uniqueRoom('resumeevil');
    const store = makeResumeStore(makeMemoryResumeBackend(), { roomId });
    const { id, data, gated, file } = await partialDownload(roomId, store);

    const b2 = join(roomId, 'Bob', { resume: store });
    const evil = rawPeer(net.relay.url, roomId, 'evil');
    net.track(evil);
    const served: number[] = [];
    evil.mesh.on('frame', ({ from, frame }) => {
      if (frame.type !== 'file_control' || frame.msg.type !== 'want') return;
      const { from: first, to } = frame.msg as unknown as { from: number; to: number };
      for (let index = first; index < to; index++) {
        const bytes =
          index === Math.ceil(SIZE / FILE_CHUNK_BYTES) - 1
            ? SIZE % FILE_CHUNK_BYTES
            : FILE_CHUNK_BYTES;
        const junk: WireFrame = {
          type: 'file_data',
          transferId: hexToBytes(id),
          index,
          data: new Uint8Array(bytes).fill(0x66),
        };
        served.push(index);
        evil.send(from, junk);
      }
    });
    try {
      await vi.waitFor(() => expect(b2.files.get(id)?.resumeBytes).toBe(HELD), TIMEOUT);
      await vi.waitFor(
        () => expect(evil.mesh.link(b2.peer.room.clientId)?.isOpen()).toBe(true),
        TIMEOUT,
      );
      evil.send(b2.peer.room.clientId, {
        type: 'file_control',
        msg: { type: 'have', id } as never,
      });
      await b2.files.accept(id, await makeFileSink(file));
      gated.open();
      await vi.waitFor(() => expect(b2.files.get(id)?.state).toBe('done'), TIMEOUT);
      expect(served.length).toBeGreaterThan(0);
      expect(Math.min(...served)).toBeGreaterThanOrEqual(HELD / FILE_CHUNK_BYTES);
      expect(b2.peer.logs.join('\n')).toMatch(
        new RegExp(`not using ${evil.clientId} any more: block \\d+ failed its SHA-256 check`),
      );
      expect(sha(await readFile(file))).toBe(sha(data));
    } finally {
      evil.destroy();
    }
  }, 90_000);
});
