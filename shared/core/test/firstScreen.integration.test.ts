/**
 * A joiner's first screen (collab/firstScreen.ts) with the real relay and real WebRTC peers
 * (@roamhq/wrtc): the honest path between two sessions, an older peer that does not know the
 * request, and hostile peers (raw mesh peers writing sync messages of their own making) whose
 * previews are refused or kept out of the document.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { FIRST_SCREEN_MAX_BYTES, FIRST_SCREEN_MAX_ELEMENTS } from '@peerboard/protocol';
import { addElement, addElements, elementsMap, type ElementDraft } from '../src/collab/boardModel';
import { makeDocUpdates } from '../src/collab/docUpdates';
import {
  FIRST_SCREEN_MESSAGE,
  makeFirstScreen,
  type FirstScreenHub,
  type FirstScreenPreview,
  type WorldRect,
} from '../src/collab/firstScreen';
import { makeCollabProvider, type CollabProvider } from '../src/collab/provider';
import { makeRoomTransport } from '../src/collab/roomTransport';
import { rawPeer, type RawPeer } from './kit/rawPeer';
import { joinRoom, quietSession, uniqueRoom } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';
import { seededRandom } from './kit/seededRandom';

const { startRoom, defer } = useRelayRoom('first-screen');

/** Bob's view in these tests: the board's initial view of an 800 x 600 window. */
const VIEW: WorldRect = { minX: 0, minY: 0, maxX: 800, maxY: 600 };

const box = (x: number, y: number, w = 20, h = 20): ElementDraft => ({
  type: 'rect',
  x,
  y,
  w,
  h,
  fill: null,
  colour: '#1e1e1e',
  strokeWidth: 2,
});

const stroke = (x: number, y: number, points: number[]): ElementDraft => ({
  type: 'stroke',
  x,
  y,
  points,
  colour: '#1e1e1e',
  strokeWidth: 2,
});

interface Victim {
  clientId: string;
  roomId: string;
  doc: Y.Doc;
  screen: FirstScreenHub;
  provider: CollabProvider;
  errors: string[];
  /** updates the document's tap saw (what local persistence and the wire get) */
  stored: Uint8Array[];
  previews: (FirstScreenPreview | null)[];
}

/** A joiner on the real provider, asking for VIEW (or an older peer: no first screen at all). */
function victim(url: string, roomId: string, name: string, asks = true): Victim {
  const p = joinRoom(url, roomId, name);
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const updates = makeDocUpdates(doc);
  const stored: Uint8Array[] = [];
  updates.onUpdate((u) => stored.push(u));
  const screen = makeFirstScreen(doc);
  if (asks) screen.setView(VIEW);
  const previews: Victim['previews'] = [];
  screen.onPreview((pv) => previews.push(pv));
  const errors: string[] = [];
  const provider = makeCollabProvider({
    doc,
    awareness,
    transport: makeRoomTransport(p.room),
    updates,
    onError: (peer, channel, reason) => errors.push(`${peer}/${channel}: ${reason}`),
    firstScreen: asks ? screen : undefined,
  });
  defer(() => {
    provider.destroy();
    screen.destroy();
    updates.destroy();
    awareness.destroy();
    p.room.destroy();
    doc.destroy();
  });
  return { clientId: p.room.clientId, roomId, doc, screen, provider, errors, stored, previews };
}

function attacker(url: string, roomId: string, name = 'evil'): RawPeer {
  const evil = rawPeer(url, roomId, name);
  defer(() => evil.destroy());
  return evil;
}

/** The victim's SyncStep1 to `evil` arrived, carrying a first screen request. */
async function asked(evil: RawPeer, v: Victim): Promise<void> {
  await vi.waitFor(
    () => {
      const step1 = evil.frames.find(
        (f) => f.from === v.clientId && f.frame.type === 'sync' && f.frame.data[0] === 0,
      );
      expect(step1).toBeDefined();
      const d = decoding.createDecoder((step1!.frame as { data: Uint8Array }).data);
      decoding.readVarUint(d);
      decoding.readVarUint8Array(d);
      expect(decoding.hasContent(d)).toBe(true); // the view rides after the state vector
    },
    { timeout: 30_000, interval: 50 },
  );
}

const message = (type: number, update: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
};

/** A first screen message holding `fill`'s elements (made with the board model, then edited). */
function preview(fill: (d: Y.Doc) => void): Uint8Array {
  const d = new Y.Doc();
  fill(d);
  return message(FIRST_SCREEN_MESSAGE, Y.encodeStateAsUpdate(d));
}

const sendTo = (evil: RawPeer, v: Victim, data: Uint8Array) =>
  expect(evil.send(v.clientId, { type: 'sync', data })).toBe(true);

describe('first screen: a joiner sees its view before the board syncs', () => {
  it('holds exactly the elements in the view, nearest its centre first, before the sync; then the board', async () => {
    const { url, roomId } = await startRoom();
    const alice = quietSession(url, roomId, 'Alice');
    defer(() => alice.destroy());
    const ids: Record<string, string> = {};
    const put = (name: string, draft: ElementDraft) => {
      const r = addElement(alice.doc.doc, draft);
      if (!r.ok) throw new Error(r.message);
      ids[name] = r.value.id;
    };
    // inside the view, by distance from its centre (400, 300): centre, middle, corner, edge
    put('corner', box(10, 10));
    put('centre', box(390, 290));
    put('edge', stroke(790, 580, [0, 0, 0.5, 60, 10, 0.5])); // crosses the right edge
    put('middle', box(200, 150));
    // outside it
    put('right', box(900, 100, 50, 50));
    put('above', box(-300, -300, 100, 100));
    put('far', stroke(5000, 5000, [0, 0, 0.5, 30, 30, 0.5]));

    const bob = quietSession(url, roomId, 'Bob');
    defer(() => bob.destroy());
    const seen: { ids: string[]; synced: number; docElements: number }[] = [];
    bob.doc.firstScreen.onPreview((p) =>
      seen.push({
        ids: p ? p.elements.map((e) => e.id) : [],
        synced: bob.doc.provider.syncedPeers().length,
        docElements: elementsMap(bob.doc.doc).size,
      }),
    );
    // set before the link can open (that takes signaling and ICE, never this tick)
    bob.doc.firstScreen.setView(VIEW);

    await vi.waitFor(() => expect(elementsMap(bob.doc.doc).size).toBe(7), { timeout: 30_000 });
    expect(seen).toEqual([
      {
        ids: [ids.centre, ids.middle, ids.corner, ids.edge],
        synced: 0,
        docElements: 0,
      },
      // dropped when the SyncStep2 applied, the board whole by then
      { ids: [], synced: 1, docElements: 7 },
    ]);
    expect(bob.doc.firstScreen.preview()).toBeNull();
  });

  it('an older peer that does not know the request still syncs the joiner, and logs nothing', async () => {
    const { url, roomId } = await startRoom();
    const old = victim(url, roomId, 'Old', false);
    addElement(old.doc, box(390, 290));
    const bob = victim(url, roomId, 'Bob');
    await vi.waitFor(() => expect(elementsMap(bob.doc).size).toBe(1), { timeout: 30_000 });
    await vi.waitFor(() => expect(elementsMap(old.doc).size).toBe(1));
    expect(old.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
    expect(bob.previews).toEqual([]);
  });
});

describe('first screen attacks: the sender lies', () => {
  it('is drawn from a throwaway doc: never the document (so never undo) or its update tap (persistence); dropped when the link closes', async () => {
    const { url, roomId } = await startRoom();
    const bob = victim(url, roomId, 'Bob');
    const evil = attacker(url, roomId);
    await asked(evil, bob);
    sendTo(
      evil,
      bob,
      preview((d) => addElement(d, box(100, 100))),
    );
    await vi.waitFor(() => expect(bob.screen.preview()?.elements).toHaveLength(1), {
      timeout: 20_000,
    });
    expect(elementsMap(bob.doc).size).toBe(0);
    expect(bob.stored).toEqual([]);
    expect(bob.doc.store.clients.size).toBe(0);
    // the sender never sends its SyncStep2 and leaves: the preview goes with its link
    evil.destroy();
    await vi.waitFor(() => expect(bob.screen.preview()).toBeNull(), { timeout: 30_000 });
    expect(bob.previews.at(-1)).toBeNull();
    expect(bob.stored).toEqual([]);
  });

  it('refuses whole: over the byte cap, over the element cap, a key outside the schema, an element no reader takes', async () => {
    const { url, roomId } = await startRoom();
    const bob = victim(url, roomId, 'Bob');
    const rnd = seededRandom(14);
    const attacks: [string, Uint8Array][] = [
      [
        'bytes',
        preview((d) => {
          // valid strokes, ~100 KB of points each: more than the cap in all
          const points: number[] = [];
          for (let i = 0; i < 20_000; i++) points.push(rnd() * 800, rnd() * 600, 0.5);
          addElements(
            d,
            Array.from({ length: 7 }, () => stroke(0, 0, points)),
          );
        }),
      ],
      [
        'count',
        preview((d) => {
          const boxes: ElementDraft[] = [];
          for (let i = 0; i <= FIRST_SCREEN_MAX_ELEMENTS; i++) boxes.push(box(i % 800, 10));
          addElements(d, boxes);
        }),
      ],
      [
        'schema',
        preview((d) => {
          addElement(d, box(100, 100));
          const r = addElement(d, box(200, 100));
          if (r.ok) (elementsMap(d).get(r.value.id) as Y.Map<unknown>).set('script', 'x');
        }),
      ],
      [
        'element',
        preview((d) => {
          addElement(d, box(100, 100));
          const r = addElement(d, box(200, 100));
          if (r.ok) (elementsMap(d).get(r.value.id) as Y.Map<unknown>).set('colour', 'red');
        }),
      ],
    ];
    expect(attacks[0]![1].length).toBeGreaterThan(FIRST_SCREEN_MAX_BYTES);
    expect(attacks[1]![1].length).toBeLessThan(FIRST_SCREEN_MAX_BYTES);
    // one attacker per attack: a link gets one first screen
    const evils = attacks.map(([name]) => attacker(url, roomId, name));
    for (const evil of evils) await asked(evil, bob);
    attacks.forEach(([, data], i) => sendTo(evils[i]!, bob, data));
    await vi.waitFor(() => expect(bob.errors).toHaveLength(4), { timeout: 30_000 });
    const reasonOf = (evil: RawPeer) => bob.errors.find((e) => e.startsWith(`${evil.clientId}/`));
    expect(reasonOf(evils[0]!)).toMatch(/ERR_TOO_LARGE: first screen of \d+ bytes/);
    expect(reasonOf(evils[1]!)).toMatch(/ERR_TOO_LARGE: 2001 elements/);
    expect(reasonOf(evils[2]!)).toMatch(/ERR_DOC_SCHEMA/);
    expect(reasonOf(evils[3]!)).toMatch(/ERR_FIELD: element .*colour/);
    expect(bob.previews).toEqual([]);
    expect(bob.screen.preview()).toBeNull();
    expect(elementsMap(bob.doc).size).toBe(0);
    expect(bob.stored).toEqual([]);
  });

  it('ignores one not asked for, and a second one on a link', async () => {
    const { url, roomId } = await startRoom();
    // a board that is not empty asks for nothing
    const full = victim(url, roomId, 'Full');
    addElement(full.doc, box(5, 5));
    const evil = attacker(url, roomId);
    await vi.waitFor(
      () =>
        expect(evil.frames.some((f) => f.from === full.clientId && f.frame.type === 'sync')).toBe(
          true,
        ),
      { timeout: 30_000 },
    );
    const bob = victim(url, uniqueRoom('first-screen'), 'Bob');
    const good = preview((d) => addElement(d, box(100, 100)));
    sendTo(evil, full, good);
    await vi.waitFor(() => expect(full.errors).toHaveLength(1), { timeout: 20_000 });
    expect(full.errors[0]).toBe(`${evil.clientId}/sync: first screen not asked for on this link`);
    expect(full.previews).toEqual([]);
    expect(elementsMap(full.doc).size).toBe(1);

    const twice = attacker(url, bob.roomId);
    await asked(twice, bob);
    sendTo(twice, bob, good);
    sendTo(
      twice,
      bob,
      preview((d) => addElement(d, box(300, 100))),
    );
    await vi.waitFor(() => expect(bob.errors).toHaveLength(1), { timeout: 20_000 });
    expect(bob.errors[0]).toBe(`${twice.clientId}/sync: first screen not asked for on this link`);
    expect(bob.previews).toHaveLength(1);
    expect(bob.previews[0]!.elements.map((e) => e.x)).toEqual([100]);
  });

  it('ignores one sent after the board synced', async () => {
    const { url, roomId } = await startRoom();
    const bob = victim(url, roomId, 'Bob');
    const evil = attacker(url, roomId);
    await asked(evil, bob);
    const board = new Y.Doc();
    addElement(board, box(100, 100));
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep2(e, board);
    // the SyncStep2 first, then the preview, on one ordered channel
    sendTo(evil, bob, encoding.toUint8Array(e));
    sendTo(
      evil,
      bob,
      preview((d) => addElement(d, box(300, 100))),
    );
    await vi.waitFor(() => expect(bob.errors).toHaveLength(1), { timeout: 20_000 });
    expect(bob.errors[0]).toBe(
      `${evil.clientId}/sync: first screen after the board synced: ignored`,
    );
    expect(bob.provider.syncedPeers()).toEqual([evil.clientId]);
    expect(bob.previews).toEqual([]);
    expect(elementsMap(bob.doc).size).toBe(1);
  });
});

// the y-protocols reader this rides on: a SyncStep1 with bytes after its state vector is
// answered as any other (what an older peer, or another app's provider, does with a request)
it('y-protocols answers a SyncStep1 with a request after its state vector as a plain one', () => {
  const doc = new Y.Doc();
  addElement(doc, box(1, 1));
  const e = encoding.createEncoder();
  syncProtocol.writeSyncStep1(e, new Y.Doc());
  encoding.writeUint8Array(e, new Uint8Array([0x46, 1, 2, 3]));
  const reply = encoding.createEncoder();
  syncProtocol.readSyncMessage(decoding.createDecoder(encoding.toUint8Array(e)), reply, doc, null);
  const other = new Y.Doc();
  const d = decoding.createDecoder(encoding.toUint8Array(reply));
  expect(decoding.readVarUint(d)).toBe(syncProtocol.messageYjsSyncStep2);
  Y.applyUpdate(other, decoding.readVarUint8Array(d));
  expect(elementsMap(other).size).toBe(1);
});
