/**
 * makeRoom against the real relay and real WebRTC peers (@roamhq/wrtc): mesh formation, frame
 * exchange, leave cleanup, relay restart with data channels kept, idempotent destroy.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureFrame } from '../src/room';
import {
  fullMesh,
  joinRoom,
  sleep,
  startRelay,
  uniqueRoom,
  waitFor,
  type TestPeer,
} from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';

const { startRoom, defer } = useRelayRoom('room');

function peers(url: string, roomId: string, names: string[]): TestPeer[] {
  const list = names.map((n) => joinRoom(url, roomId, n));
  defer(() => {
    for (const p of list) p.room.destroy();
  });
  return list;
}

/** Collects sync frames a peer receives, as "from:text". */
function inbox(p: TestPeer) {
  const got: string[] = [];
  p.room.onFrame('sync', (frame, from) =>
    got.push(`${from}:${new TextDecoder().decode(frame.data)}`),
  );
  return got;
}

const text = (s: string): FeatureFrame => ({ type: 'sync', data: new TextEncoder().encode(s) });

describe('room over the real relay and real WebRTC', () => {
  it('3 peers form a full mesh and exchange frames', async () => {
    const { url, roomId } = await startRoom({ prefix: 'mesh' });
    const group = peers(url, roomId, ['ann', 'bob', 'cy']);
    const boxes = group.map(inbox);
    await waitFor('full mesh', () => fullMesh(group));

    for (const p of group) {
      const s = p.room.snapshot();
      expect(s.signaling).toBe('open');
      expect(s.signalingId).toMatch(/^[A-Za-z0-9_-]{12}$/);
      expect(s.peers.map((x) => x.name).sort()).toEqual(
        group
          .filter((q) => q !== p)
          .map((q) => q.name)
          .sort(),
      );
      for (const x of s.peers) expect(x.signalingId).not.toBeNull();
    }
    for (const p of group) expect(p.room.broadcast(text(`hi from ${p.name}`))).toBe(2);
    await waitFor('every frame delivered', () => boxes.every((b) => b.length === 2));
    group.forEach((p, i) => {
      const expected = group
        .filter((q) => q !== p)
        .map((q) => `${q.room.clientId}:hi from ${q.name}`)
        .sort();
      expect([...boxes[i]!].sort()).toEqual(expected);
    });
    // RTT from getStats and the app-level ping both work on every link
    await waitFor('rtt from stats', () =>
      group.every((p) => p.room.snapshot().peers.every((x) => typeof x.rttMs === 'number')),
    );
    const rtt = await group[0]!.room.ping(group[1]!.room.clientId);
    expect(rtt).toBeGreaterThanOrEqual(0);
    for (const p of group) expect(p.room.diagnostics().linksCreated).toBeLessThanOrEqual(2);
  });

  it('the snapshot says how many others the join answer listed (null before it)', async () => {
    const { url, roomId } = await startRoom({ prefix: 'listed' });
    const [ann] = peers(url, roomId, ['ann']);
    expect(ann!.room.snapshot().listedAtJoin).toBeNull();
    await waitFor('ann joined', () => ann!.room.snapshot().signaling === 'open');
    expect(ann!.room.snapshot().listedAtJoin).toBe(0);
    const [bob] = peers(url, roomId, ['bob']);
    await waitFor('bob joined', () => bob!.room.snapshot().signaling === 'open');
    expect(bob!.room.snapshot().listedAtJoin).toBe(1);
    expect(ann!.room.snapshot().listedAtJoin).toBe(0); // a fact about ann's answer, not the room now
  });

  it('a peer leaving is cleaned up on the others', async () => {
    const { url, roomId } = await startRoom({ prefix: 'leave' });
    const group = peers(url, roomId, ['ann', 'bob', 'cy']);
    await waitFor('full mesh', () => fullMesh(group));
    const [a, b, c] = group as [TestPeer, TestPeer, TestPeer];
    const closed: string[] = [];
    a.room.on('peer_close', ({ id }) => closed.push(id));
    c.room.destroy();
    await waitFor('c gone from a and b', () =>
      [a, b].every(
        (p) =>
          p.room.snapshot().peers.length === 1 &&
          p.room.diagnostics().links.length === 1 &&
          p.room.openPeers().length === 1,
      ),
    );
    expect(closed).toEqual([c.room.clientId]);
    // and it stays gone: no retry resurrects a link to the departed peer
    await sleep(1500);
    expect(a.room.snapshot().peers.map((x) => x.id)).toEqual([b.room.clientId]);
    expect(a.room.diagnostics().links).toHaveLength(1);
    expect(c.room.snapshot().signaling).toBe('closed');
  });

  it('relay restart: signaling reconnects, data channels stay open, no duplicate links', async () => {
    const first = await startRelay();
    const port = first.port;
    const group = peers(first.url, uniqueRoom('restart'), ['ann', 'bob', 'cy']);
    const boxes = group.map(inbox);
    await waitFor('full mesh', () => fullMesh(group));
    const before = group.map((p) => ({
      created: p.room.diagnostics().linksCreated,
      gens: p.room
        .diagnostics()
        .links.map((l) => `${l.id}/${l.gen}`)
        .sort(),
      signalingIds: p.room.snapshot().signalingId,
    }));
    const closes: string[] = [];
    for (const p of group) p.room.on('peer_close', ({ id }) => closes.push(id));

    await first.close();
    await waitFor('everyone notices the outage', () =>
      group.every((p) => p.room.snapshot().signaling === 'reconnecting'),
    );
    // frames keep flowing over the data channels while the relay is away
    for (const p of group) expect(p.room.broadcast(text(`outage ${p.name}`))).toBe(2);
    await waitFor('frames during the outage', () => boxes.every((b) => b.length === 2));
    expect(fullMesh(group)).toBe(true);

    const { relay: second } = await startRoom({ port });
    expect(second.port).toBe(port);
    await waitFor('re-joined', () => group.every((p) => p.room.snapshot().signaling === 'open'));
    // routes re-bound: every peer knows every other peer's new relay id
    await waitFor('routes re-bound', () =>
      group.every((p) =>
        p.room
          .snapshot()
          .peers.every(
            (x) =>
              x.signalingId ===
              group.find((q) => q.room.clientId === x.id)!.room.snapshot().signalingId,
          ),
      ),
    );
    await sleep(1000); // give any (wrong) duplicate connection attempt time to show up
    group.forEach((p, i) => {
      const d = p.room.diagnostics();
      expect(d.linksCreated).toBe(before[i]!.created);
      expect(d.links.map((l) => `${l.id}/${l.gen}`).sort()).toEqual(before[i]!.gens);
      expect(p.room.snapshot().signalingId).not.toBe(before[i]!.signalingIds);
    });
    expect(closes).toEqual([]);
    expect(fullMesh(group)).toBe(true);
    for (const p of group) p.room.broadcast(text(`after ${p.name}`));
    await waitFor('frames after the restart', () => boxes.every((b) => b.length === 4));
  });

  it('destroy() twice is harmless and leaves the others consistent', async () => {
    const { url, roomId } = await startRoom({ prefix: 'destroy' });
    const [a, b] = peers(url, roomId, ['ann', 'bob']) as [TestPeer, TestPeer];
    await waitFor('mesh', () => fullMesh([a, b]));
    const changes: string[] = [];
    a.room.on('change', (s) => changes.push(s.signaling));
    a.room.destroy();
    expect(() => a.room.destroy()).not.toThrow();
    expect(a.room.snapshot().signaling).toBe('closed');
    expect(a.room.send(b.room.clientId, text('x'))).toBe(false);
    await expect(a.room.send(b.room.clientId, text('x'), 'bulk')).rejects.toThrow();
    expect(a.room.broadcast(text('x'))).toBe(0);
    await waitFor('b sees a leave', () => b.room.snapshot().peers.length === 0);
    b.room.destroy();
    b.room.destroy();
    expect(changes).toEqual([]); // no events after destroy
  });
});
