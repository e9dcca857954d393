import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CHAT_MESSAGE_MAX_LENGTH } from '@peerboard/protocol';
import { makeMemoryNetwork } from '../../test/kit/memoryNetwork';
import { seededRandom } from '../../test/kit/seededRandom';
import { makeTestPeer } from '../../test/kit/testPeers';
import {
  CHAT_HISTORY_MAX,
  chatArray,
  chatTextLength,
  observeChat,
  readChat,
  readChatMessage,
  sendChatMessage,
  type ChatChange,
} from './chatModel';

const ann = { name: 'Ann', colour: '#aa0000' };
const valid = {
  id: 'm1',
  authorClientId: 1,
  authorName: 'Ann',
  colour: '#aa0000',
  text: 'hi',
  ts: 1,
};

describe('chat model', () => {
  it('readChat returns the newest CHAT_HISTORY_MAX messages, in order', () => {
    const doc = new Y.Doc();
    const total = CHAT_HISTORY_MAX + 25;
    chatArray(doc).push(
      Array.from({ length: total }, (_, i) => ({ ...valid, id: `m${i}`, text: `n${i}` })),
    );
    const shown = readChat(doc);
    expect(shown).toHaveLength(CHAT_HISTORY_MAX);
    expect(shown[0]!.text).toBe(`n${total - CHAT_HISTORY_MAX}`);
    expect(shown.at(-1)!.text).toBe(`n${total - 1}`);
  });

  it('validates on read', () => {
    expect(readChatMessage(valid)).toEqual({ ok: true, value: valid });
    const bad: [unknown, string][] = [
      [null, 'ERR_NOT_OBJECT'],
      ['hi', 'ERR_NOT_OBJECT'],
      [new Y.Map(), 'ERR_NOT_OBJECT'],
      [{ ...valid, id: '' }, 'ERR_FIELD'],
      [{ ...valid, authorClientId: -1 }, 'ERR_FIELD'],
      [{ ...valid, authorName: 5 }, 'ERR_FIELD'],
      [{ ...valid, colour: 'javascript:alert(1)' }, 'ERR_FIELD'],
      [{ ...valid, ts: NaN }, 'ERR_FIELD'],
      [{ ...valid, text: null }, 'ERR_FIELD'],
      [{ ...valid, text: '   \n ' }, 'ERR_EMPTY'],
      [{ ...valid, text: 'a'.repeat(CHAT_MESSAGE_MAX_LENGTH + 1) }, 'ERR_TOO_LONG'],
      [{ ...valid, text: 'a'.repeat(10_000_000) }, 'ERR_TOO_LONG'],
    ];
    for (const [raw, code] of bad) {
      const r = readChatMessage(raw);
      expect(r.ok ? 'ok' : r.code).toBe(code);
    }
    // the limit counts characters as users see them: 2000 emoji are allowed
    expect(readChatMessage({ ...valid, text: '😀'.repeat(CHAT_MESSAGE_MAX_LENGTH) }).ok).toBe(true);
    expect(chatTextLength('😀a')).toBe(2);
  });

  it('sanitises text and names: controls and bidi overrides removed, newlines kept', () => {
    const r = readChatMessage({
      ...valid,
      authorName: 'Ev\u202eil\nName' + 'x'.repeat(100),
      text: '\r\nline1\r\nline2\u0000\u202e txt.exe\u2066\n',
    });
    expect(r.ok && r.value.text).toBe('line1\nline2 txt.exe');
    expect(r.ok && r.value.authorName).toBe(('Evil Name' + 'x'.repeat(100)).slice(0, 40));
  });

  it('sendChatMessage refuses empty / too long text with a code and writes nothing', () => {
    const doc = new Y.Doc();
    expect(sendChatMessage(doc, ann, '  ')).toMatchObject({ ok: false, code: 'ERR_EMPTY' });
    expect(sendChatMessage(doc, ann, 'x'.repeat(2001))).toMatchObject({
      ok: false,
      code: 'ERR_TOO_LONG',
    });
    expect(chatArray(doc).length).toBe(0);
    const sent = sendChatMessage(doc, ann, ' hello ', 42);
    expect(sent.ok && sent.value).toMatchObject({
      text: 'hello',
      ts: 42,
      authorClientId: doc.clientID,
    });
    chatArray(doc).push([{ evil: true }, 'junk', { ...valid, text: 'y'.repeat(3000) }]);
    expect(readChat(doc).map((m) => m.text)).toEqual(['hello']);
  });

  it('three peers sending concurrently converge to the same order; a late joiner gets history', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const net = makeMemoryNetwork(seededRandom(seed));
      const peers = ['a', 'b', 'c'].map((id) => makeTestPeer(net, id));
      net.connect('a', 'b');
      net.connect('a', 'c');
      net.connect('b', 'c');
      const changes: ChatChange[] = [];
      const off = observeChat(peers[0]!.doc, (c) => changes.push(c));
      for (let i = 0; i < 5; i++) {
        // sender clocks deliberately disagree: order must not depend on them
        peers.forEach((p, k) =>
          sendChatMessage(
            p.doc,
            { name: p.id, colour: '#000000' },
            `${p.id}${i}`,
            1000 - k * 500 + i,
          ),
        );
        for (let d = 0; d < 4; d++) net.deliverOne();
      }
      net.flush();
      const orders = peers.map((p) => readChat(p.doc).map((m) => m.text));
      expect(orders[0]).toHaveLength(15);
      expect(orders[1]).toEqual(orders[0]);
      expect(orders[2]).toEqual(orders[0]);
      // each peer's own messages stay in the order it sent them
      for (const id of ['a', 'b', 'c'])
        expect(orders[0]!.filter((t) => t.startsWith(id))).toEqual(
          [0, 1, 2, 3, 4].map((i) => `${id}${i}`),
        );
      expect(changes.filter((c) => c.local).flatMap((c) => c.added)).toHaveLength(5);
      expect(changes.filter((c) => !c.local).flatMap((c) => c.added)).toHaveLength(10);
      off();
      const late = makeTestPeer(net, 'late');
      net.connect('late', 'b');
      net.flush();
      expect(readChat(late.doc).map((m) => m.text)).toEqual(orders[0]);
      for (const p of [...peers, late]) p.destroy();
    }
  });
});
