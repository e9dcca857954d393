/**
 * The bulk data channel (PROTOCOL.md "Bulk channel") between real @roamhq/wrtc peers through the
 * real relay: two current peers put file data on the negotiated second channel (the per-channel
 * byte counters of getStats say where the bytes went), and a peer without it (the single-channel
 * protocol of earlier versions) still sends and receives files with a current one.
 */
import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Room } from '../src/room';
import { uniqueRoom, waitFor } from './kit/relay';
import {
  acceptDone,
  MiB,
  offerSeen,
  receivedBytes,
  sha,
  trackedWrtc,
  useFileRelay,
  type FilePeer,
} from './kit/transferKit';

interface Peer extends FilePeer {
  name: string;
  room: Room;
  pcs: RTCPeerConnection[];
  /** the data channels this peer's code opened itself (the bulk channel) */
  opened: RTCDataChannel[];
}

const net = useFileRelay();

function join(roomId: string, name: string, bulkChannel = true): Peer {
  const pcs: RTCPeerConnection[] = [];
  const opened: RTCDataChannel[] = [];
  const p = net.join(roomId, name, {}, { wrtc: trackedWrtc(pcs, opened), bulkChannel });
  return { ...p, name, room: p.peer.room, pcs, opened };
}

const linkTo = (p: Peer, q: Peer) =>
  p.room.diagnostics().links.find((l) => l.id === q.room.clientId && l.open);

async function connected(a: Peer, b: Peer) {
  await waitFor('A and B open', () => linkTo(a, b) !== undefined && linkTo(b, a) !== undefined);
}

/** `from` offers `data`; `to` accepts; resolves with what `to` received. */
async function send(from: Peer, to: Peer, data: Uint8Array) {
  const id = await offerSeen(from, to, data, 'f.bin', 'application/octet-stream');
  await acceptDone(to, id, 60_000);
  return receivedBytes(to, id);
}

/** bytes received per data-channel label over all of `p`'s connections (getStats) */
async function receivedByLabel(p: Peer) {
  const by = new Map<string, number>();
  for (const pc of p.pcs) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    report.forEach((s: { type: string; label?: string; bytesReceived?: number }) => {
      if (s.type !== 'data-channel' || s.label === undefined) return;
      by.set(s.label, (by.get(s.label) ?? 0) + (s.bytesReceived ?? 0));
    });
  }
  return by;
}

describe('the bulk data channel', () => {
  it('two current peers send file data on the second channel, control on the first', async () => {
    const roomId = uniqueRoom('bulkch');
    const [a, b] = [join(roomId, 'A'), join(roomId, 'B')];
    await connected(a, b);
    // each end switches on hearing the other's hello, which may come just after the link opens
    await waitFor(
      'both ends on the bulk channel',
      () => linkTo(a, b)?.bulkChannel === true && linkTo(b, a)?.bulkChannel === true,
    );

    const data = randomFillSync(new Uint8Array(8 * MiB));
    expect(sha(await send(a, b, data))).toBe(sha(data));
    const got = await receivedByLabel(b);
    // the file's bytes (plus framing) came on the bulk channel; the first one carried the rest
    expect(got.get('peerboard-bulk')).toBeGreaterThan(data.length);
    expect([...got.entries()].filter(([l]) => l !== 'peerboard-bulk')[0]![1]).toBeLessThan(MiB);
  });

  it('a peer without the bulk channel (single-channel protocol) still sends and receives', async () => {
    const roomId = uniqueRoom('bulkold');
    const [a, old] = [join(roomId, 'A'), join(roomId, 'Old', false)];
    await connected(a, old);
    // A never heard the old peer's hello: it keeps its file data on the one shared channel
    expect(linkTo(a, old)!.bulkChannel).toBe(false);
    expect(linkTo(old, a)!.bulkChannel).toBe(false);

    const toOld = randomFillSync(new Uint8Array(6 * MiB + 123));
    const fromOld = randomFillSync(new Uint8Array(5 * MiB + 7));
    const [atOld, atA] = await Promise.all([send(a, old, toOld), send(old, a, fromOld)]);
    expect(sha(atOld)).toBe(sha(toOld));
    expect(sha(atA)).toBe(sha(fromOld));
    expect((await receivedByLabel(old)).get('peerboard-bulk')).toBeUndefined();
    expect((await receivedByLabel(a)).get('peerboard-bulk') ?? 0).toBeLessThan(1024);
  });

  it('garbage on the bulk channel is dropped with a reason; the link and a transfer carry on', async () => {
    const roomId = uniqueRoom('bulkbad');
    const [mallory, b] = [join(roomId, 'Mallory'), join(roomId, 'B')];
    await connected(mallory, b);
    await waitFor('bulk channel in use', () => linkTo(b, mallory)?.bulkChannel === true);
    const channel = mallory.opened.find((c) => c.label === 'peerboard-bulk')!;
    // text, an unknown tag, a truncated file_data, a fragment of a message never begun, and
    // more hellos: nothing here may reach a feature or end the link
    channel.send('not binary');
    channel.send(new Uint8Array([0xee, 1, 2, 3]));
    channel.send(new Uint8Array([0x05, 1, 2]));
    channel.send(new Uint8Array([0x7f, 0, 0, 0, 9, 0, 1, 0, 0, 0, 0, 0, 64, 1, 2]));
    for (let i = 0; i < 50; i++) channel.send(new Uint8Array([0x00, 0x70, 0x62, 0x01]));
    await waitFor('four drops at B', () => (linkTo(b, mallory)?.droppedFrames ?? 0) >= 4);
    expect(linkTo(b, mallory)!.droppedFrames).toBe(4);
    const data = randomFillSync(new Uint8Array(3 * MiB + 5));
    expect(sha(await send(mallory, b, data))).toBe(sha(data));
    expect(linkTo(b, mallory)!.open).toBe(true);
  });
});
