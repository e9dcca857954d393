/**
 * Any peer that holds the complete, verified file serves it, block-hash list included, over the
 * real relay and real @roamhq/wrtc peers: a late receiver finishes after the original sender
 * left, from a holder alone; a member that serves a forged hash list is refused and the
 * download completes from an honest holder.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bytesSource, makeTransfers, type Transfers } from '../src/transfer';
import { rawPeer } from './kit/rawPeer';
import { fullMesh, joinRoom, startRelay, uniqueRoom, type Relay, type TestPeer } from './kit/relay';

const MiB = 1024 * 1024;
const CHUNKS = Math.ceil((2 * MiB) / FILE_CHUNK_BYTES);
/** 4 chunks a block: 33 blocks, one meta page */
const BLOCKS = Math.ceil(CHUNKS / 4);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let relay: Relay;
const live: { destroy(): void }[] = [];

interface FilePeer {
  peer: TestPeer;
  files: Transfers;
}

function join(roomId: string, name: string, sent: string[] = []): FilePeer {
  const peer = joinRoom(relay.url, roomId, name);
  const files = makeTransfers({
    room: peer.room,
    blockChunks: 4,
    stallMs: 1000,
    log: (m) => peer.logs.push(`files: ${m}`),
    onChunkSent: (to) => void sent.push(to),
  });
  const p = { peer, files };
  live.push({ destroy: () => leave(p) });
  return p;
}
function leave(p: FilePeer) {
  p.files.destroy();
  p.peer.room.destroy();
}
const received = async (p: FilePeer, id: string) =>
  new Uint8Array(await (await p.files.received(id)!.blob())!.arrayBuffer());

beforeAll(async () => {
  relay = await startRelay();
});
afterEach(() => {
  for (const p of live.splice(0).reverse()) p.destroy();
});
afterAll(async () => {
  await relay?.close();
});

/** Alice offers 2 MiB, Bob downloads all of it, then Alice leaves (her session destroyed). */
async function bobHoldsIt(roomId: string, bobSent: string[]) {
  const alice = join(roomId, 'Alice');
  const bob = join(roomId, 'Bob', bobSent);
  await vi.waitFor(() => expect(fullMesh([alice.peer, bob.peer])).toBe(true), { timeout: 20_000 });
  const data = randomFillSync(new Uint8Array(2 * MiB));
  const id = alice.files.offer(bytesSource(data, 'notes.bin'));
  await vi.waitFor(() => expect(bob.files.get(id)?.sha256).toBe(sha(data)), { timeout: 20_000 });
  await bob.files.accept(id);
  await vi.waitFor(() => expect(bob.files.get(id)?.state).toBe('done'), { timeout: 30_000 });
  return { alice, bob, id, data };
}

describe('any holder serves a file and its block-hash list (real WebRTC)', () => {
  it('a late receiver starts and finishes from a holder after the original sender left', async () => {
    const roomId = uniqueRoom('holder');
    const bobSent: string[] = [];
    const { alice, bob, id, data } = await bobHoldsIt(roomId, bobSent);
    leave(alice);
    await vi.waitFor(() => expect(bob.peer.room.openPeers()).toHaveLength(0), { timeout: 20_000 });

    const carol = join(roomId, 'Carol');
    // the offer reaches Carol although its sender is gone: Bob announces it
    await vi.waitFor(() => expect(carol.files.get(id)?.state).toBe('offered'), {
      timeout: 20_000,
    });
    expect(carol.files.get(id)).toMatchObject({
      peerId: bob.peer.room.clientId,
      size: data.length,
    });
    await carol.files.accept(id);
    await vi.waitFor(() => expect(carol.files.get(id)?.state).toBe('done'), { timeout: 30_000 });
    expect(sha(await received(carol, id))).toBe(sha(data));
    expect(carol.files.get(id)?.sha256).toBe(sha(data));
    // every chunk Carol got came from Bob
    expect(bobSent.filter((to) => to === carol.peer.room.clientId)).toHaveLength(CHUNKS);
  }, 90_000);

  it('a member serving a forged block-hash list is refused; the download completes from an honest holder', async () => {
    const roomId = uniqueRoom('holder-forged');
    const alice = join(roomId, 'Alice');
    const carol = join(roomId, 'Carol');
    const evil = rawPeer(relay.url, roomId, 'evil');
    live.push(evil);
    const carolId = carol.peer.room.clientId;
    await vi.waitFor(
      () => {
        expect(alice.peer.room.openPeers()).toContain(carolId);
        expect(carol.peer.room.openPeers()).toContain(alice.peer.room.clientId);
        expect(evil.mesh.link(carolId)?.isOpen()).toBe(true);
      },
      { timeout: 20_000 },
    );
    const data = randomFillSync(new Uint8Array(2 * MiB));
    const id = alice.files.offer(bytesSource(data, 'notes.bin'));
    await vi.waitFor(() => expect(carol.files.get(id)?.sha256).toBe(sha(data)), {
      timeout: 20_000,
    });
    const control = (msg: Record<string, unknown>): WireFrame => ({
      type: 'file_control',
      msg: msg as never,
    });
    // the attacker claims the file before any honest holder does, so Carol asks it first, and
    // answers that request with a list of its own (right whole-file SHA-256, wrong block hashes)
    evil.send(carolId, control({ type: 'have', id }));
    const forged = randomBytes(32 * BLOCKS).toString('base64');
    const asked: string[] = [];
    evil.mesh.on('frame', ({ from, frame }) => {
      if (from !== carolId || frame.type !== 'file_control' || frame.msg.type !== 'accept') return;
      asked.push(from);
      evil.send(from, control({ type: 'meta', id, sha256: sha(data), first: 0, hashes: forged }));
    });
    const bob = join(roomId, 'Bob');
    await vi.waitFor(() => expect(bob.files.get(id)?.sha256).toBe(sha(data)), { timeout: 20_000 });
    await bob.files.accept(id);
    await vi.waitFor(() => expect(bob.files.get(id)?.state).toBe('done'), { timeout: 30_000 });
    leave(alice);
    await vi.waitFor(() => expect(carol.files.get(id)?.peerOnline).toBe(false), {
      timeout: 20_000,
    });

    await carol.files.accept(id);
    await vi.waitFor(() => expect(carol.files.get(id)?.state).toBe('done'), { timeout: 30_000 });
    expect(asked).toEqual([carolId]);
    expect(carol.peer.logs.join('\n')).toContain(
      `not using ${evil.clientId} any more: its block hash list does not match the offer`,
    );
    expect(sha(await received(carol, id))).toBe(sha(data));
  }, 90_000);
});
