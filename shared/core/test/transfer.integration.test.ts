/**
 * File transfer end to end: the real relay, real @roamhq/wrtc peers through makeRoom, makeTransfers
 * on top. Byte-identical delivery to two receivers at once, cancel from either side, a link killed
 * mid-transfer that resumes without resending what the receiver holds, a swarm download from two
 * holders, and control frames that keep flowing while a file streams.
 */
import { randomFillSync } from 'node:crypto';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import { describe, expect, it } from 'vitest';
import type { Room } from '../src/room';
import { bytesSource, type TransferState, type Transfers } from '../src/transfer';
import { makeGatedSource } from './kit/gatedSource';
import { fullMesh, sleep, uniqueRoom, waitFor } from './kit/relay';
import { MiB, receivedBytes, sha, trackedWrtc, useFileRelay } from './kit/transferKit';

interface Peer {
  name: string;
  room: Room;
  files: Transfers;
  logs: string[];
  /** RTCPeerConnections this peer created (to kill a link like a network failure would) */
  pcs: RTCPeerConnection[];
  /** chunk indexes this peer handed to a channel, per receiver */
  sent: Map<string, number[]>;
  /** test hook: called for every chunk handed to a channel */
  onSent?: (peerId: string, index: number) => void;
}

const net = useFileRelay();

function join(roomId: string, name: string): Peer {
  const pcs: RTCPeerConnection[] = [];
  const sent = new Map<string, number[]>();
  const { peer, files } = net.join(
    roomId,
    name,
    {
      onChunkSent: (to, _id, index) => {
        const list = sent.get(to) ?? [];
        list.push(index);
        sent.set(to, list);
        p.onSent?.(to, index);
      },
    },
    { wrtc: trackedWrtc(pcs) },
  );
  const p: Peer = { name, room: peer.room, files, logs: peer.logs, pcs, sent };
  return p;
}

const stateOf = (p: Peer, id: string) => p.files.get(id)?.state;
function until(p: Peer, id: string, states: TransferState[], timeoutMs = 120_000) {
  return waitFor(
    `${p.name}: ${id.slice(0, 6)} in ${states.join('/')} (now ${stateOf(p, id)}: ${p.files.get(id)?.error})`,
    () => states.includes(stateOf(p, id) as TransferState),
    timeoutMs,
  );
}

describe('file transfer over real WebRTC peers', () => {
  it('64 MiB arrives byte-identical at two receivers at once; control frames keep flowing', async () => {
    const roomId = uniqueRoom('files64');
    const [a, b, c] = [join(roomId, 'A'), join(roomId, 'B'), join(roomId, 'C')];
    await waitFor('full mesh', () => fullMesh([a, b, c] as never));
    const data = randomFillSync(new Uint8Array(64 * MiB));
    const id = a.files.offer(bytesSource(data, 'random.bin', 'application/octet-stream'));
    await waitFor(
      'offer at B and C',
      () => stateOf(b, id) === 'offered' && stateOf(c, id) === 'offered',
    );
    await Promise.all([b.files.accept(id), c.files.accept(id)]);

    // While the file streams, awareness-like control frames and pings must get through: they
    // overtake the file rather than wait behind it (ordering, not a latency bound).
    const rtts: number[] = [];
    /** B's received bytes when each ping's answer came back, while B was still receiving */
    const answeredAt: number[] = [];
    let awarenessSeen = 0;
    const off = b.room.onFrame('awareness', () => awarenessSeen++);
    let streaming = true;
    const pinger = (async () => {
      while (streaming) {
        a.room.broadcast({ type: 'awareness', data: new Uint8Array([1, 2, 3]) });
        rtts.push(await a.room.ping(b.room.clientId, 20_000));
        const view = b.files.get(id);
        if (view?.state === 'receiving') answeredAt.push(view.bytes);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await waitFor('B receiving', () => (b.files.get(id)?.bytes ?? 0) > 4 * MiB, 60_000);
    const midway = rtts.length;
    await Promise.all([until(b, id, ['done', 'failed']), until(c, id, ['done', 'failed'])]);
    streaming = false;
    await pinger;
    off();

    expect(b.files.get(id)!.state).toBe('done');
    expect(c.files.get(id)!.state).toBe('done');
    const want = sha(data);
    for (const p of [b, c]) {
      const got = await receivedBytes(p, id);
      expect(got.length).toBe(data.length);
      expect(sha(got)).toBe(want);
      expect(p.files.get(id)!.sha256).toBe(want);
    }
    expect(rtts.length).toBeGreaterThan(midway);
    expect(awarenessSeen).toBeGreaterThan(0);
    // pings sent after B passed 4 MiB were answered before the file was complete: a control
    // frame waits behind the bulk high-water mark, not behind the rest of the file
    expect(
      answeredAt.filter((bytes) => bytes > 4 * MiB && bytes < data.length).length,
    ).toBeGreaterThan(0);
    await waitFor(
      'sender sees both done',
      () => a.files.get(id)!.receivers.filter((r) => r.state === 'done').length === 2,
    );
  }, 240_000);

  it('cancel by a receiver, then by the sender, cleans up both sides', async () => {
    const roomId = uniqueRoom('filescancel');
    const [a, b, c] = [join(roomId, 'A'), join(roomId, 'B'), join(roomId, 'C')];
    await waitFor('full mesh', () => fullMesh([a, b, c] as never));
    const data = randomFillSync(new Uint8Array(96 * MiB));
    // Every step below waits for its cause, never for a speed: the file is held at 16 MiB until
    // A has seen B's cancel, so C cannot finish (or reach its cancel point) before that.
    const file = makeGatedSource(data, 'cancel.bin', 16 * MiB);
    const id = a.files.offer(file.source);
    await waitFor('offers', () => stateOf(b, id) === 'offered' && stateOf(c, id) === 'offered');
    await until(a, id, ['offered'], 60_000); // hashed
    file.shut();

    // Cancel points in chunks of this file, whatever the chunk size: B stops after ~3 MiB, A
    // withdraws the file after ~32 MiB to C (past the gate, well before the end).
    const chunks = Math.ceil(data.length / FILE_CHUNK_BYTES);
    const bStopsAt = Math.floor((3 * MiB) / FILE_CHUNK_BYTES);
    const aStopsAt = Math.floor((32 * MiB) / FILE_CHUNK_BYTES);
    expect(aStopsAt).toBeLessThan(chunks - 1);
    const toB = () => a.sent.get(b.room.clientId)?.length ?? 0;
    const toC = () => a.sent.get(c.room.clientId)?.length ?? 0;
    let bBytesAtCancel = -1;
    let toBWhenASawIt = -1;
    let toCAtWithdraw = -1;
    a.onSent = (peer, index) => {
      if (peer === b.room.clientId && index === bStopsAt && bBytesAtCancel < 0) {
        b.files.cancel(id);
        bBytesAtCancel = b.files.get(id)!.bytes;
      }
      if (peer === c.room.clientId && index === aStopsAt && toCAtWithdraw < 0) {
        a.files.cancel(id);
        toCAtWithdraw = toC();
      }
    };
    // The moment A handles B's cancel (state events are synchronous), not when a poll sees it.
    const off = a.files.on('state', (e) => {
      if (e.peerId !== b.room.clientId || e.state !== 'cancelled' || toBWhenASawIt >= 0) return;
      toBWhenASawIt = toB();
      file.open();
    });
    await Promise.all([b.files.accept(id), c.files.accept(id)]);

    await until(b, id, ['cancelled'], 60_000);
    expect(b.files.get(id)!.error).toMatch(/You cancelled/);
    const rb = () => a.files.get(id)!.receivers.find((r) => r.peerId === b.room.clientId);
    await waitFor('A sees B cancelled', () => rb()?.state === 'cancelled', 60_000);
    expect(rb()!.error).toMatch(/They cancelled/);

    await until(c, id, ['cancelled'], 60_000);
    expect(c.files.get(id)!.error).toMatch(/stopped sharing/);
    expect(a.files.get(id)!.state).toBe('cancelled');
    off();
    await waitFor('A serves nothing', () => a.files.stats().serving === 0, 60_000);
    // A withdrew the file from inside the send loop of C's stream: not one chunk more.
    expect(toC()).toBe(toCAtWithdraw);
    // B's stream stopped when A handled B's cancel, except for the one chunk the loop had already
    // handed to B's send queue then (it cannot be taken back; the loop stops after it).
    expect(toB()).toBeGreaterThanOrEqual(toBWhenASawIt);
    expect(toB()).toBeLessThanOrEqual(toBWhenASawIt + 1);
    // B drops what was in flight after its cancel (at least chunk bStopsAt itself) cleanly: no
    // bytes counted, nothing kept, no other complaint.
    await waitFor('B dropped the chunks in flight', () => b.files.stats().dropped > 0);
    const drops = b.logs.filter((l) => l.includes('dropped file frame'));
    expect(drops.length).toBeGreaterThan(0);
    for (const l of drops) expect(l).toMatch(/chunk while cancelled$/);
    expect(b.files.get(id)!.bytes).toBe(bBytesAtCancel);
    expect(b.files.get(id)!.state).toBe('cancelled');

    // Nothing more goes out later either (late `want`s are answered with a cancel).
    const [finalB, finalC] = [toB(), toC()];
    await sleep(500);
    expect([toB(), toC()]).toEqual([finalB, finalC]);
    expect(b.files.received(id)).toBeNull();
    expect(c.files.received(id)).toBeNull();
  }, 180_000);

  it('a killed link resumes from the last confirmed chunk without resending what B holds', async () => {
    const roomId = uniqueRoom('filesresume');
    const [a, b] = [join(roomId, 'A'), join(roomId, 'B')];
    await waitFor('mesh', () => fullMesh([a, b] as never));
    const data = randomFillSync(new Uint8Array(24 * MiB));
    const id = a.files.offer(bytesSource(data, 'resume.bin'));
    await waitFor('offer', () => stateOf(b, id) === 'offered');
    let closes = 0;
    b.room.on('peer_close', () => closes++);
    await b.files.accept(id);
    await waitFor('a third received', () => b.files.get(id)!.bytes > 8 * MiB, 60_000);

    // Kill the sender's connection the way a network failure would.
    const held = b.files.get(id)!.bytes;
    for (const pc of a.pcs) pc.close();
    await waitFor('B noticed the drop', () => closes > 0, 30_000);
    const heldChunks = Math.floor(b.files.get(id)!.bytes / FILE_CHUNK_BYTES);
    expect(b.files.get(id)!.bytes).toBeGreaterThanOrEqual(held);
    expect(stateOf(b, id)).toBe('receiving');

    await until(b, id, ['done', 'failed'], 60_000).catch((e: Error) => {
      // what each side believes, so a failure says whether B lost A or A stopped serving B
      const beliefs = (p: Peer) =>
        `${p.name} open links: ${JSON.stringify(p.room.openPeers())}; transfer: ${JSON.stringify(p.files.get(id))}`;
      throw new Error(
        `${e.message}\n${beliefs(a)}\n${beliefs(b)}\nA: ${a.logs.slice(-15).join('\n')}\nB: ${b.logs.slice(-15).join('\n')}`,
      );
    });
    expect(stateOf(b, id)).toBe('done');
    expect(sha(await receivedBytes(b, id))).toBe(sha(data));
    expect(a.room.diagnostics().linksCreated).toBeGreaterThan(1);

    const indexes = a.sent.get(b.room.clientId)!;
    const counts = new Map<number, number>();
    for (const i of indexes) counts.set(i, (counts.get(i) ?? 0) + 1);
    const resent = [...counts].filter(([, k]) => k > 1).map(([i]) => i);
    console.log(
      `resume: ${indexes.length} chunks sent for ${counts.size}; ${resent.length} resent (lost in flight); B held ${heldChunks} at the drop`,
    );
    for (const i of resent) expect(i).toBeGreaterThanOrEqual(heldChunks);
    expect(indexes.length).toBeLessThan(counts.size * 1.5); // far from a restart from zero
  }, 180_000);

  it('swarm: a late receiver downloads from two holders at once and verifies', async () => {
    const roomId = uniqueRoom('filesswarm');
    const [a, b] = [join(roomId, 'A'), join(roomId, 'B')];
    await waitFor('mesh', () => fullMesh([a, b] as never));
    const data = randomFillSync(new Uint8Array(24 * MiB));
    const id = a.files.offer(bytesSource(data, 'swarm.bin'));
    await waitFor('offer', () => stateOf(b, id) === 'offered');
    await b.files.accept(id);
    await until(b, id, ['done']);

    const c = join(roomId, 'C');
    await waitFor('mesh of three', () => fullMesh([a, b, c] as never));
    await waitFor('C sees the offer', () => stateOf(c, id) === 'offered');
    await c.files.accept(id);
    let sawTwoSources = false;
    await waitFor(
      'C done',
      () => {
        sawTwoSources ||= (c.files.get(id)?.sources ?? 0) >= 2;
        return stateOf(c, id) === 'done' || stateOf(c, id) === 'failed';
      },
      120_000,
      10,
    );
    expect(stateOf(c, id)).toBe('done');
    expect(sha(await receivedBytes(c, id))).toBe(sha(data));
    const fromA = a.sent.get(c.room.clientId)?.length ?? 0;
    const fromB = b.sent.get(c.room.clientId)?.length ?? 0;
    console.log(`swarm: C got ${fromA} chunks from A and ${fromB} from B`);
    expect(fromA).toBeGreaterThan(0);
    expect(fromB).toBeGreaterThan(0);
    expect(fromA + fromB).toBe(Math.ceil(data.length / FILE_CHUNK_BYTES));
    expect(sawTwoSources).toBe(true);
  }, 180_000);
});
