/**
 * Any peer that holds the complete, verified file serves it, block-hash list included, over the
 * real relay and real @roamhq/wrtc peers: a late receiver finishes after the original sender
 * left, from a holder alone; a member that serves a forged hash list is refused and the
 * download completes from an honest holder.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { describe, expect, it, vi } from 'vitest';
import { rawPeer } from './kit/rawPeer';
import { uniqueRoom } from './kit/relay';
import {
  acceptDone,
  meshed,
  MiB,
  offerSeen,
  receivedBytes,
  sha,
  useFileRelay,
  type FilePeer,
} from './kit/transferKit';

const CHUNKS = Math.ceil((2 * MiB) / FILE_CHUNK_BYTES);
/** 4 chunks a block: 33 blocks, one meta page */
const BLOCKS = Math.ceil(CHUNKS / 4);
const net = useFileRelay();
const { leave } = net;
const join = (roomId: string, name: string, sent: string[] = []): FilePeer =>
  net.join(roomId, name, {
    blockChunks: 4,
    stallMs: 1000,
    onChunkSent: (to) => void sent.push(to),
  });

/** Alice offers 2 MiB, Bob downloads all of it, then Alice leaves (her session destroyed). */
async function bobHoldsIt(roomId: string, bobSent: string[]) {
  const alice = join(roomId, 'Alice');
  const bob = join(roomId, 'Bob', bobSent);
  await meshed(alice, bob);
  const data = randomFillSync(new Uint8Array(2 * MiB));
  const id = await offerSeen(alice, bob, data, 'notes.bin');
  await acceptDone(bob, id);
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
    await acceptDone(carol, id);
    expect(sha(await receivedBytes(carol, id))).toBe(sha(data));
    expect(carol.files.get(id)?.sha256).toBe(sha(data));
    // every chunk Carol got came from Bob
    expect(bobSent.filter((to) => to === carol.peer.room.clientId)).toHaveLength(CHUNKS);
  }, 90_000);

  it('a member serving a forged block-hash list is refused; the download completes from an honest holder', async () => {
    const roomId = uniqueRoom('holder-forged');
    const alice = join(roomId, 'Alice');
    const carol = join(roomId, 'Carol');
    const evil = rawPeer(net.relay.url, roomId, 'evil');
    net.track(evil);
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
    const id = await offerSeen(alice, carol, data, 'notes.bin');
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
    await acceptDone(bob, id);
    leave(alice);
    await vi.waitFor(() => expect(carol.files.get(id)?.peerOnline).toBe(false), {
      timeout: 20_000,
    });

    await acceptDone(carol, id);
    expect(asked).toEqual([carolId]);
    expect(carol.peer.logs.join('\n')).toContain(
      `not using ${evil.clientId} any more: its block hash list does not match the offer`,
    );
    expect(sha(await receivedBytes(carol, id))).toBe(sha(data));
  }, 90_000);
});
