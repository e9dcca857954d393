/**
 * Node integration: real relay (uWebSockets.js on port 0), real WebRTC peers (@roamhq/wrtc)
 * through makeRoom, the collab provider over makeRoomTransport. Concurrent edits converge, a late
 * joiner receives the full board (> 1 MB: exercises wire fragmentation), chat history arrives in
 * the same order, and a peer sending garbage sync/awareness frames breaks nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { startRelay, waitFor as waitUntil, type Relay } from './kit/relay';
import { makeRoom, type Room } from '../src/room';
import { readChat, sendChatMessage } from '../src/chat/chatModel';
import { addElement, readBoard, type ElementDraft } from '../src/collab/boardModel';
import { initPresence, remotePresences } from '../src/collab/presence';
import { makeCollabProvider, type CollabProvider } from '../src/collab/provider';
import { makeRoomTransport } from '../src/collab/roomTransport';
import { seededRandom } from './kit/seededRandom';

interface Peer {
  name: string;
  room: Room;
  doc: Y.Doc;
  awareness: Awareness;
  provider: CollabProvider | null;
  errors: string[];
}

let server: Relay;
const peers: Peer[] = [];
const ROOM = 'collab-it';

const waitFor = (what: string, cond: () => boolean, timeoutMs = 30_000) =>
  waitUntil(what, cond, timeoutMs);

function join(name: string, withProvider = true): Peer {
  const room = makeRoom({
    roomId: ROOM,
    name,
    signalingUrl: `ws://127.0.0.1:${server.port}/ws`,
    WebSocket,
    wrtc,
    log: () => {},
  });
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const errors: string[] = [];
  const provider = withProvider
    ? makeCollabProvider({
        doc,
        awareness,
        transport: makeRoomTransport(room),
        onError: (p, ch, reason) => errors.push(`${p}/${ch}: ${reason}`),
      })
    : null;
  const peer = { name, room, doc, awareness, provider, errors };
  peers.push(peer);
  return peer;
}

const boardJson = (p: Peer): string => JSON.stringify(readBoard(p.doc));
const rnd = seededRandom(11);
const rect = (x: number): ElementDraft => ({
  type: 'rect',
  x,
  y: x,
  w: 10,
  h: 10,
  colour: '#224466',
  strokeWidth: 2,
  fill: null,
});
/** a long stroke of random jumps: ~125 KB of update per stroke (pts, strokePoints.ts) */
const bigStroke = (): ElementDraft => ({
  type: 'stroke',
  x: 0,
  y: 0,
  colour: '#000000',
  strokeWidth: 2,
  points: Array.from({ length: 60_000 }, (_, i) => (i % 3 === 2 ? rnd() : rnd() * 5000 + 0.25)),
});

beforeAll(async () => {
  server = await startRelay();
});

afterAll(async () => {
  for (const p of peers) {
    p.provider?.destroy();
    p.awareness.destroy();
    p.room.destroy();
    p.doc.destroy();
  }
  await server?.close();
});

describe('collab over real WebRTC peers', () => {
  it('3 peers converge, a late joiner gets the full >1 MB board, garbage frames break nobody', async () => {
    const [a, b, c] = ['Ann', 'Bob', 'Cy'].map((n) => join(n)) as [Peer, Peer, Peer];
    for (const p of [a, b, c])
      initPresence(p.awareness, {
        name: p.name,
        colour: '#123456',
        cursor: null,
        selection: [],
        typing: false,
      });
    await waitFor('mesh of 3', () => [a, b, c].every((p) => p.room.openPeers().length === 2));

    // concurrent edits and chat from all three at once
    for (let i = 0; i < 20; i++)
      for (const [k, p] of [a, b, c].entries()) {
        addElement(p.doc, rect(i * 10 + k));
        if (i % 5 === 0)
          sendChatMessage(p.doc, { name: p.name, colour: '#123456' }, `${p.name} ${i}`);
      }
    await waitFor('convergence', () =>
      [b, c].every((p) => readBoard(p.doc).length === 60 && boardJson(p) === boardJson(a)),
    );
    await waitFor('chat', () => [b, c].every((p) => readChat(p.doc).length === 12));
    const chatOrder = readChat(a.doc).map((m) => m.text);
    for (const p of [b, c]) expect(readChat(p.doc).map((m) => m.text)).toEqual(chatOrder);
    await waitFor('presence', () =>
      [a, b, c].every((p) => remotePresences(p.awareness).size === 2),
    );

    // a big board: more than 1 MB of state, far above one data-channel message
    for (let i = 0; i < 10; i++) addElement(a.doc, bigStroke());
    expect(Y.encodeStateAsUpdate(a.doc).length).toBeGreaterThan(1024 * 1024);
    await waitFor('big strokes', () => [b, c].every((p) => boardJson(p) === boardJson(a)), 60_000);

    // a hostile peer joins and sprays garbage on both Yjs channels
    const evil = join('Evil', false);
    await waitFor('evil connected', () => evil.room.openPeers().length === 3);
    for (let i = 0; i < 50; i++) {
      const junk = Uint8Array.from({ length: 1 + Math.floor(rnd() * 300) }, () =>
        Math.floor(rnd() * 256),
      );
      evil.room.broadcast({ type: i % 2 ? 'sync' : 'awareness', data: junk });
      evil.room.broadcast({ type: 'sync', data: Uint8Array.from([2, 5, 1, 2, 3, 4, 5]) });
    }

    // the late joiner: receives everything from whoever is present
    const d = join('Dee');
    await waitFor(
      'late joiner synced',
      () => readBoard(d.doc).length === 70 && boardJson(d) === boardJson(a),
      60_000,
    );
    expect(readChat(d.doc).map((m) => m.text)).toEqual(chatOrder);

    // still live after the garbage: one more edit from each reaches everyone
    for (const p of [a, b, c, d]) addElement(p.doc, rect(-1));
    await waitFor('after garbage', () =>
      [b, c, d].every((p) => readBoard(p.doc).length === 74 && boardJson(p) === boardJson(a)),
    );
    await waitFor('garbage reported', () => [a, b, c].every((p) => p.errors.length > 0));
    for (const p of [a, b, c])
      expect(p.errors.every((e) => e.startsWith(evil.room.clientId))).toBe(true);
  });
});
