/**
 * A malicious peer against the shared document, with the real relay and real WebRTC peers
 * (@roamhq/wrtc). The attacker is a raw mesh peer writing y-protocols messages of its own
 * making into the data channel; the victims run the real provider over the room transport.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { addElement, elementsMap, readBoard, updateElement } from '../src/collab/boardModel';
import type { DocBudgetOptions } from '../src/collab/docBudget';
import {
  makeCollabProvider,
  type CollabProvider,
  type RefusedUpdate,
} from '../src/collab/provider';
import { makeRoomTransport } from '../src/collab/roomTransport';
import { SYNC_REPLY_LIMITS } from '../src/collab/syncReplies';
import { encodePts, PTS_FORMAT, PTS_KEY, ptsMaxBytes } from '../src/collab/strokePoints';
import { BASE_KEY, BOARD_LIMITS } from '../src/collab/elements';
import { rawPeer, type RawPeer } from './kit/rawPeer';
import { joinRoom, type TestPeer } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';
import { seededRandom } from './kit/seededRandom';

interface DocPeer extends TestPeer {
  doc: Y.Doc;
  provider: CollabProvider;
  errors: string[];
}

const { startRoom, defer } = useRelayRoom('doc-attack');

function docPeer(url: string, roomId: string, name: string, budget?: DocBudgetOptions): DocPeer {
  const p = joinRoom(url, roomId, name);
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const errors: string[] = [];
  const provider = makeCollabProvider({
    doc,
    awareness,
    transport: makeRoomTransport(p.room),
    onError: (peer, channel, reason) => errors.push(`${peer}/${channel}: ${reason}`),
    budget,
  });
  defer(() => {
    provider.destroy();
    awareness.destroy();
    p.room.destroy();
    doc.destroy();
  });
  return { ...p, doc, provider, errors };
}

function attacker(url: string, roomId: string): RawPeer {
  const evil = rawPeer(url, roomId, 'evil');
  defer(() => evil.destroy());
  return evil;
}

async function linked(evil: RawPeer, peers: DocPeer[]) {
  await vi.waitFor(
    () => {
      for (const p of peers) {
        expect(evil.mesh.link(p.room.clientId)?.isOpen()).toBe(true);
        expect(p.room.openPeers()).toContain(evil.clientId);
      }
    },
    { timeout: 30_000, interval: 50 },
  );
}

const syncMessage = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/** The update `edit` makes on `doc`. */
function updateOf(doc: Y.Doc, edit: (d: Y.Doc) => void): Uint8Array {
  let update: Uint8Array | null = null;
  const on = (u: Uint8Array) => (update = u);
  doc.on('update', on);
  doc.transact(() => edit(doc));
  doc.off('update', on);
  if (!update) throw new Error('the edit changed nothing');
  return update;
}

/**
 * The schema attacks' one check: each edit is made from the victim's state (so no edit hangs off
 * a refused one), sent as a sync update, refused with ERR_DOC_SCHEMA, and the document stays
 * byte-identical.
 */
async function expectRefused(victim: DocPeer, evil: RawPeer, attacks: ((d: Y.Doc) => void)[]) {
  const before = Y.encodeStateAsUpdate(victim.doc);
  for (const attack of attacks) {
    const evilDoc = new Y.Doc();
    Y.applyUpdate(evilDoc, before);
    const update = updateOf(evilDoc, attack);
    const msg = syncMessage((e) => syncProtocol.writeUpdate(e, update));
    expect(evil.send(victim.room.clientId, { type: 'sync', data: msg })).toBe(true);
  }
  await vi.waitFor(() => expect(victim.errors).toHaveLength(attacks.length), { timeout: 20_000 });
  for (const e of victim.errors)
    expect(e).toMatch(new RegExp(`^${evil.clientId}/sync: ERR_DOC_SCHEMA`));
  expect(Y.encodeStateAsUpdate(victim.doc)).toEqual(before);
}

const rnd = seededRandom(7);
/** ~42 KB of update per stroke (pts, strokePoints.ts) */
const stroke = () => ({
  type: 'stroke' as const,
  x: 0,
  y: 0,
  colour: '#000000',
  strokeWidth: 2,
  points: Array.from({ length: 19_998 }, (_, i) => (i % 3 === 2 ? rnd() : rnd() * 5000 + 0.25)),
});

describe('a malicious peer against the shared document', () => {
  it('a flood of 1000 SyncStep1 gets a few rationed answers; queued bytes stay bounded; honest sync works', async () => {
    const { url, roomId } = await startRoom();
    const victim = docPeer(url, roomId, 'victim');
    for (let i = 0; i < 12; i++) expect(addElement(victim.doc, stroke()).ok).toBe(true);
    const boardBytes = Y.encodeStateAsUpdate(victim.doc).length;
    expect(boardBytes).toBeGreaterThan(400 * 1024);
    const evil = attacker(url, roomId);
    await linked(evil, [victim]);
    const to = victim.room.clientId;
    const step1 = syncMessage((e) => syncProtocol.writeSyncStep1(e, new Y.Doc()));
    expect(step1.length).toBeLessThanOrEqual(4);

    let peakQueued = 0;
    const sampler = setInterval(() => {
      const q = victim.room.queuedBytes(evil.clientId);
      if (q) peakQueued = Math.max(peakQueued, q.control);
    }, 2);
    defer(() => clearInterval(sampler));
    const before = victim.provider.stats();
    const started = Date.now();
    for (let i = 0; i < 1000; i++) expect(evil.send(to, { type: 'sync', data: step1 })).toBe(true);
    await vi.waitFor(() => expect(victim.provider.stats().requests - before.requests).toBe(1000), {
      timeout: 20_000,
      interval: 20,
    });
    const elapsed = Date.now() - started;
    clearInterval(sampler);
    const answers = victim.provider.stats().answers - before.answers;
    // the bucket: `burst` at once, then one per interval, whatever the flood
    expect(answers).toBeGreaterThanOrEqual(1);
    expect(answers).toBeLessThanOrEqual(
      SYNC_REPLY_LIMITS.burst + Math.ceil(elapsed / SYNC_REPLY_LIMITS.intervalMs),
    );
    // never more than one full state waiting behind the channel
    expect(peakQueued).toBeLessThan(2 * boardBytes);
    expect(victim.room.openPeers()).toContain(evil.clientId);

    // honest sync still works: a newcomer gets the whole board, and its edit comes back
    const late = docPeer(url, roomId, 'late');
    await vi.waitFor(() => expect(readBoard(late.doc)).toHaveLength(12), {
      timeout: 30_000,
      interval: 50,
    });
    expect(addElement(late.doc, stroke()).ok).toBe(true);
    await vi.waitFor(() => expect(readBoard(victim.doc)).toHaveLength(13), {
      timeout: 30_000,
      interval: 50,
    });
    expect(victim.errors).toEqual([]);
  });

  it('updates outside the document schema are refused and logged; the document is unchanged', async () => {
    const { url, roomId } = await startRoom();
    const victim = docPeer(url, roomId, 'victim');
    expect(addElement(victim.doc, stroke(), 'a1').ok).toBe(true);
    const evil = attacker(url, roomId);
    await linked(evil, [victim]);
    const huge = 'x'.repeat(1_000_000);
    const attacks: ((d: Y.Doc) => void)[] = [
      (d) => d.getText('junk').insert(0, huge), // a root type nobody reads
      (d) => elementsMap(d).set('not an element id!', huge), // a junk key on the board
      (d) => (elementsMap(d).get('a1') as Y.Map<unknown>).set('evil', huge), // unknown field
    ];
    await expectRefused(victim, evil, attacks);
    expect(victim.doc.share.has('junk')).toBe(false);
    expect(readBoard(victim.doc)).toHaveLength(1);
  });

  it('an element with a kind, fill or lock no reader accepts is refused; the board stays drawable and locked', async () => {
    const { url, roomId } = await startRoom();
    const victim = docPeer(url, roomId, 'victim');
    const rect = {
      type: 'rect' as const,
      x: 0,
      y: 0,
      w: 40,
      h: 30,
      colour: '#112233',
      strokeWidth: 2,
    };
    expect(addElement(victim.doc, { ...rect, fill: null }, 'a1').ok).toBe(true);
    expect(updateElement(victim.doc, 'a1', { locked: true }).ok).toBe(true);
    const evil = attacker(url, roomId);
    await linked(evil, [victim]);
    const el = (d: Y.Doc) => elementsMap(d).get('a1') as Y.Map<unknown>;
    const attacks: ((d: Y.Doc) => void)[] = [
      (d) => el(d).set('type', 'hexagon'), // would make the element unreadable: invisible
      (d) => el(d).set('fill', 'url(javascript:alert(1))'),
      (d) => el(d).set('locked', 'no'), // a reader would see it unlocked
      (d) => {
        // a new element of an unknown kind
        const m = new Y.Map<unknown>();
        for (const [k, v] of Object.entries({ ...rect, id: 'b1', author: 1, z: 'a5' })) m.set(k, v);
        m.set('type', 'star');
        elementsMap(d).set('b1', m);
      },
    ];
    await expectRefused(victim, evil, attacks);
    expect(readBoard(victim.doc)).toEqual([
      expect.objectContaining({ id: 'a1', type: 'rect', fill: null, locked: true }),
    ]);
  });

  it('stroke points no reader can decode (pts that is no bytes, oversize or damaged) are refused; the stroke stays drawn', async () => {
    const { url, roomId } = await startRoom();
    const victim = docPeer(url, roomId, 'victim');
    const points = [0, 0, 0.5, 4, 2, 0.5, 8, 5, 0.5];
    const base = { type: 'stroke' as const, x: 10, y: 10, colour: '#112233', strokeWidth: 2 };
    expect(addElement(victim.doc, { ...base, points }, 's1').ok).toBe(true);
    const evil = attacker(url, roomId);
    await linked(evil, [victim]);
    const stroke = (d: Y.Doc) => elementsMap(d).get('s1') as Y.Map<unknown>;
    const attacks: ((d: Y.Doc) => void)[] = [
      (d) => stroke(d).set(PTS_KEY, 'AQIDBA=='), // base64 text instead of bytes
      (d) => stroke(d).set(PTS_KEY, new Uint8Array(ptsMaxBytes(BOARD_LIMITS.strokeMaxPoints) + 1)),
      (d) => stroke(d).set(PTS_KEY, Uint8Array.of(PTS_FORMAT, 8, 4, 0x80)), // truncated varint
      (d) => stroke(d).set(PTS_KEY, Uint8Array.of(PTS_FORMAT + 7, 0, 0, 0)), // unknown format
    ];
    await expectRefused(victim, evil, attacks);
    expect(readBoard(victim.doc)).toEqual([expect.objectContaining({ id: 's1', points })]);
  });

  it("an element's base value (its fields as created, one value) outside the schema is refused; the board stays drawable", async () => {
    const { url, roomId } = await startRoom();
    const victim = docPeer(url, roomId, 'victim');
    const points = [0, 0, 0.5, 4, 2, 0.5];
    const base = { type: 'stroke' as const, x: 10, y: 10, colour: '#112233', strokeWidth: 2 };
    expect(addElement(victim.doc, { ...base, points }, 's1').ok).toBe(true);
    const evil = attacker(url, roomId);
    await linked(evil, [victim]);
    const fields = { ...base, id: 'b1', author: 1, z: 'a5', pts: encodePts(points) };
    const element = (value: unknown) => (d: Y.Doc) => {
      const m = new Y.Map<unknown>();
      m.set(BASE_KEY, value);
      elementsMap(d).set('b1', m);
    };
    const attacks: ((d: Y.Doc) => void)[] = [
      element({ ...fields, evil: 'x'.repeat(1_000_000) }), // bloat under a key nobody reads
      element([fields]), // not an object
      element({ ...fields, pts: Uint8Array.of(PTS_FORMAT, 8, 4, 0x80) }), // undecodable points
      element({ ...fields, locked: 'no' }), // a reader would see it unlocked
      element(JSON.parse('{"__proto__": {"type": "stroke"}, "id": "b1"}')), // a borrowed prototype
      // another base slipped under an existing stroke: a kind no reader draws
      (d) =>
        (elementsMap(d).get('s1') as Y.Map<unknown>).set(BASE_KEY, { ...fields, type: 'star' }),
    ];
    await expectRefused(victim, evil, attacks);
    expect(readBoard(victim.doc)).toEqual([expect.objectContaining({ id: 's1', points })]);
  });

  it('valid-looking bloat is refused past the peer rate and the document ceiling; the provider says full', async () => {
    const { url, roomId } = await startRoom();
    const MiB = 1024 * 1024;
    const small = docPeer(url, roomId, 'small', { maxBytes: 2 * MiB });
    const rated = docPeer(url, roomId, 'rated');
    const evil = attacker(url, roomId);
    await linked(evil, [small, rated]);
    const refused: RefusedUpdate[] = [];
    small.provider.onRefused((r) => refused.push(r));
    expect(small.provider.docFull()).toBe(false);
    const evilDoc = new Y.Doc();
    let sent = 0;
    // ~90 KB strokes until 5.5 MB: past the 4 MiB a minute one peer may add, past 2 MiB
    while (sent < 5.5 * MiB) {
      const update = updateOf(evilDoc, (d) => addElement(d, stroke()));
      const msg = syncMessage((e) => syncProtocol.writeUpdate(e, update));
      for (const p of [small, rated])
        expect(evil.send(p.room.clientId, { type: 'sync', data: msg })).toBe(true);
      sent += update.length;
    }
    await vi.waitFor(
      () => {
        expect(small.errors.some((e) => e.includes('ERR_DOC_FULL'))).toBe(true);
        expect(rated.errors.some((e) => e.includes('ERR_PEER_BUDGET'))).toBe(true);
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(small.provider.docFull()).toBe(true);
    expect(refused.some((r) => r.code === 'ERR_DOC_FULL' && r.peer === evil.clientId)).toBe(true);
    expect(Y.encodeStateAsUpdate(small.doc).length).toBeLessThanOrEqual(2 * MiB);
    expect(Y.encodeStateAsUpdate(rated.doc).length).toBeLessThanOrEqual(4.2 * MiB);
    // the honest members still sync with each other
    expect(
      addElement(
        small.doc,
        { type: 'rect', x: 1, y: 1, w: 1, h: 1, colour: '#000000', strokeWidth: 1, fill: null },
        'honest1',
      ).ok,
    ).toBe(true);
    await vi.waitFor(() => expect(rated.doc.getMap('elements').has('honest1')).toBe(true), {
      timeout: 20_000,
    });
  });

  it('a binding, group or label no reader accepts is refused; the arrow stays attached', async () => {
    const { url, roomId } = await startRoom();
    const victim = docPeer(url, roomId, 'victim');
    const style = { colour: '#112233', strokeWidth: 2 };
    addElement(
      victim.doc,
      { type: 'rect', x: 100, y: 0, w: 40, h: 30, fill: null, ...style },
      'r1',
    );
    const binding = { id: 'r1', ax: 0.5, ay: 0.5, gap: 6 };
    const arrow = { type: 'arrow' as const, x: 0, y: 15, w: 90, h: 0, ...style };
    expect(addElement(victim.doc, { ...arrow, endBinding: binding }, 'a1').ok).toBe(true);
    const evil = attacker(url, roomId);
    await linked(evil, [victim]);
    const el = (d: Y.Doc, id: string) => elementsMap(d).get(id) as Y.Map<unknown>;
    const attacks: ((d: Y.Doc) => void)[] = [
      // an extra key would ride along invisibly; a bad one would make the arrow unreadable
      (d) => el(d, 'a1').set('endBinding', { ...binding, junk: 'x'.repeat(400) }),
      (d) => el(d, 'a1').set('endBinding', { ...binding, id: '../../r1' }),
      (d) => el(d, 'r1').set('group', { id: 'g' }),
      (d) => el(d, 'r1').set('label', 'x'.repeat(20_001)),
    ];
    await expectRefused(victim, evil, attacks);
    expect(readBoard(victim.doc)).toEqual([
      expect.objectContaining({ id: 'r1', type: 'rect' }),
      expect.objectContaining({ id: 'a1', endBinding: binding }),
    ]);
  });
});
