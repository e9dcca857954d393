/**
 * Node integration: chat over the real relay (uWebSockets.js on port 0) and real WebRTC peers
 * (@roamhq/wrtc), each peer built exactly like the app builds it: makeRoom + makeRoomDoc.
 * Messages sent concurrently by 3 peers end up in the same order everywhere, a late joiner gets
 * the whole history, and typing shows through awareness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { startRelay, waitFor as waitUntil, type Relay } from './kit/relay';
import { makeRoom, type Room } from '../src/room';
import { makeRoomDoc, type RoomDoc } from '../src/collab/roomDoc';
import { initPresence } from '../src/collab/presence';
import { observeChat, readChat, sendChatMessage } from '../src/chat/chatModel';
import { makeTypingReporter, typingNames } from '../src/chat/typing';

interface Peer {
  name: string;
  room: Room;
  rd: RoomDoc;
}

let server: Relay;
const peers: Peer[] = [];

const waitFor = (what: string, cond: () => boolean, timeoutMs = 45_000) =>
  waitUntil(what, cond, timeoutMs);

function join(name: string): Peer {
  const room = makeRoom({
    roomId: 'chat-it',
    name,
    signalingUrl: `ws://127.0.0.1:${server.port}/ws`,
    WebSocket,
    wrtc,
    log: () => {},
  });
  const rd = makeRoomDoc(room);
  initPresence(rd.awareness, {
    name,
    colour: '#336699',
    cursor: null,
    selection: [],
    typing: false,
  });
  const peer = { name, room, rd };
  peers.push(peer);
  return peer;
}

const texts = (p: Peer) => readChat(p.rd.doc).map((m) => `${m.authorName}: ${m.text}`);

beforeAll(async () => {
  server = await startRelay();
});

afterAll(async () => {
  for (const p of peers) {
    p.rd.destroy();
    p.rd.destroy(); // idempotent
    p.room.destroy();
  }
  await server?.close();
});

describe('chat over real WebRTC peers (makeRoom + makeRoomDoc)', () => {
  it('3 peers sending at once converge on one order; a late joiner gets the history', async () => {
    const [a, b, c] = ['Ann', 'Bob', 'Cy'].map(join) as [Peer, Peer, Peer];
    await waitFor('mesh of 3', () => [a, b, c].every((p) => p.room.openPeers().length === 2));

    // remote messages reach the observer (the UI's unread counter) as not local
    const seenByB: { text: string; local: boolean }[] = [];
    const off = observeChat(b.rd.doc, (ch) =>
      ch.added.forEach((m) => seenByB.push({ text: m.text, local: ch.local })),
    );

    // interleaved bursts, so concurrent inserts really race on the wire
    for (let i = 0; i < 10; i++)
      for (const p of [a, b, c]) {
        const r = sendChatMessage(
          p.rd.doc,
          { name: p.name, colour: '#336699' },
          `msg ${i} <b>x</b>`,
        );
        expect(r.ok).toBe(true);
      }
    await waitFor('30 messages everywhere', () =>
      [a, b, c].every((p) => readChat(p.rd.doc).length === 30),
    );
    const order = texts(a);
    expect(texts(b)).toEqual(order);
    expect(texts(c)).toEqual(order);
    // each author's own messages keep their sending order within the shared order
    for (const name of ['Ann', 'Bob', 'Cy'])
      expect(order.filter((t) => t.startsWith(name))).toEqual(
        Array.from({ length: 10 }, (_, i) => `${name}: msg ${i} <b>x</b>`),
      );
    off();
    expect(seenByB.filter((s) => !s.local)).toHaveLength(20);
    expect(seenByB.filter((s) => s.local)).toHaveLength(10);

    // over-long and empty messages are refused before they reach the doc
    expect(
      sendChatMessage(a.rd.doc, { name: 'Ann', colour: '#336699' }, 'x'.repeat(2001)),
    ).toMatchObject({ ok: false, code: 'ERR_TOO_LONG' });
    expect(sendChatMessage(a.rd.doc, { name: 'Ann', colour: '#336699' }, ' \n ')).toMatchObject({
      ok: false,
      code: 'ERR_EMPTY',
    });

    // typing through awareness
    const typing = makeTypingReporter(a.rd.awareness, 60_000);
    typing.keystroke();
    await waitFor('Ann typing at Bob', () => typingNames(b.rd.awareness).includes('Ann'));
    typing.stop();
    await waitFor('Ann stopped typing', () => !typingNames(b.rd.awareness).includes('Ann'));
    typing.destroy();

    // late joiner: full history in the same order
    const d = join('Dee');
    await waitFor('late joiner has history', () => readChat(d.rd.doc).length === 30);
    expect(texts(d)).toEqual(order);
    sendChatMessage(d.rd.doc, { name: 'Dee', colour: '#336699' }, 'hi all');
    await waitFor('reply reaches all', () =>
      [a, b, c].every((p) => texts(p).at(-1) === 'Dee: hi all'),
    );
  });
});
