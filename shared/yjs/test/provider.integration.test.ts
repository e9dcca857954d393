/**
 * PeerboardProvider in Node: the real relay, `ws` and @roamhq/wrtc peers, BroadcastChannel off so
 * everything crosses WebRTC data channels. Any Y.Doc syncs (text, map), a 1 MB insert and a 1 MB
 * late join arrive intact (above the 256 KiB data-channel message limit: fragmentation),
 * awareness propagates and leaves, destroy() leaves the room, and the events come as y-webrtc's.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { makeSession } from '@peerboard/core';
import { addElement, readBoard } from '@peerboard/core/collab';
import { deriveRoomId, newRoomSecret } from '@peerboard/core/secret';
import { FAST, startRelay, uniqueRoom, wrtc, type Relay } from '../../core/test/kit/relay';
import { roomIdForName, secretFromPassword } from '../src/roomTarget';
import { clientIdOf, eventsOf, startProvider, type TestProvider } from './kit';

let relay: Relay;
const started: TestProvider[] = [];

beforeAll(async () => {
  relay = await startRelay();
});
afterEach(() => {
  for (const p of started.splice(0)) p.provider.destroy();
});
afterAll(async () => {
  await relay?.close();
});

function start(roomName: string, options: Parameters<typeof startProvider>[1] = {}) {
  const p = startProvider(roomName, { signaling: relay.url, ...options });
  started.push(p);
  return p;
}

const WAIT = { timeout: 30_000, interval: 25 };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** 1 MiB of text that no run-length trick shrinks */
function megabyteText(): string {
  const parts: string[] = [];
  let x = 7;
  for (let i = 0; i < 1024 * 1024; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    parts.push(String.fromCharCode(97 + (x % 26)));
  }
  return parts.join('');
}

describe('PeerboardProvider over the relay and WebRTC', () => {
  it('syncs a Y.Text and a Y.Map both ways, with status, peers and synced events as y-webrtc', async () => {
    const name = uniqueRoom('yjs-basic');
    const a = start(name);
    const b = start(name);
    await vi.waitFor(() => {
      expect(a.provider.synced && b.provider.synced).toBe(true);
    }, WAIT);

    a.doc.getText('t').insert(0, 'hello from a');
    b.doc.getMap('m').set('colour', 'teal');
    b.doc.getText('t').insert(0, '[b] ');
    await vi.waitFor(() => {
      expect(a.doc.getText('t').toString()).toBe(b.doc.getText('t').toString());
      expect(a.doc.getMap('m').get('colour')).toBe('teal');
    }, WAIT);
    expect(b.doc.getText('t').toString()).toContain('hello from a');

    // the relay room is the hash of the name, never the name
    expect(a.provider.roomId).toBe(roomIdForName(name));
    expect(a.provider.roomId).not.toContain(name);
    expect(a.provider.connected).toBe(true);
    expect(eventsOf(a, 'status')).toEqual([{ type: 'status', connected: true }]);
    expect(eventsOf(a, 'synced')).toEqual([{ type: 'synced', synced: true }]);
    const aPeers = eventsOf(a, 'peers');
    expect(aPeers).toEqual([
      {
        type: 'peers',
        added: [clientIdOf(b)],
        removed: [],
        webrtcPeers: [clientIdOf(b)],
        bcPeers: [],
      },
    ]);
  });

  it('a 1 MB insert arrives intact, and a late joiner gets the 2 MB doc through SyncStep2', async () => {
    const name = uniqueRoom('yjs-big');
    const a = start(name);
    const b = start(name);
    await vi.waitFor(() => expect(a.provider.synced && b.provider.synced).toBe(true), WAIT);

    const big = megabyteText();
    a.doc.getText('t').insert(0, big);
    await vi.waitFor(() => expect(b.doc.getText('t').length).toBe(big.length), WAIT);
    expect(sha256(b.doc.getText('t').toString())).toBe(sha256(big));

    b.doc.getText('t').insert(big.length, big);
    const c = start(name);
    await vi.waitFor(() => expect(c.doc.getText('t').length).toBe(2 * big.length), WAIT);
    expect(sha256(c.doc.getText('t').toString())).toBe(sha256(big + big));
    await vi.waitFor(() => expect(c.provider.synced).toBe(true), WAIT);
  });

  it('awareness states propagate, and destroy() leaves the room and takes its cursor along', async () => {
    const name = uniqueRoom('yjs-aware');
    const a = start(name);
    const b = start(name);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', colour: '#aa3355' });
    await vi.waitFor(() => {
      expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
        user: { name: 'Ada', colour: '#aa3355' },
      });
    }, WAIT);
    b.provider.awareness.setLocalStateField('cursor', { index: 3 });
    await vi.waitFor(() => {
      expect(a.provider.awareness.getStates().get(b.doc.clientID)).toEqual({
        cursor: { index: 3 },
      });
    }, WAIT);

    const aId = clientIdOf(a);
    a.provider.destroy();
    a.provider.destroy(); // idempotent
    expect(a.provider.connected).toBe(false);
    expect(a.provider.room).toBeNull();
    expect(eventsOf(a, 'status').at(-1)).toEqual({ type: 'status', connected: false });

    await vi.waitFor(() => {
      expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false);
      expect(b.provider.room?.snapshot().peers.map((p) => p.id)).toEqual([]);
    }, WAIT);
    expect(eventsOf(b, 'peers').at(-1)).toEqual({
      type: 'peers',
      added: [],
      removed: [aId],
      webrtcPeers: [],
      bcPeers: [],
    });
    // the doc stays the caller's: still usable, no longer sent anywhere
    a.doc.getText('t').insert(0, 'after destroy');
    expect(b.doc.getText('t').toString()).toBe('');
  });

  it('disconnect() and connect() leave and rejoin; edits made while away arrive on rejoin', async () => {
    const name = uniqueRoom('yjs-reconnect');
    const a = start(name);
    const b = start(name);
    await vi.waitFor(() => expect(a.provider.synced && b.provider.synced).toBe(true), WAIT);
    a.provider.disconnect();
    expect(a.provider.shouldConnect).toBe(false);
    await vi.waitFor(() => expect(b.provider.room?.openPeers()).toEqual([]), WAIT);

    a.doc.getText('t').insert(0, 'written offline');
    b.doc.getMap('m').set('k', 1);
    a.provider.connect();
    await vi.waitFor(() => {
      expect(b.doc.getText('t').toString()).toBe('written offline');
      expect(a.doc.getMap('m').get('k')).toBe(1);
    }, WAIT);
    expect(eventsOf(a, 'status').map((e) => e.connected)).toEqual([true, false, true]);
  });

  it('a secret room: the id is core deriveRoomId(secret), members sync, a name-only provider is elsewhere', async () => {
    const secret = newRoomSecret();
    const a = start('label-a', { secret });
    const b = start('label-b', { link: `http://127.0.0.1:${relay.port}/r/whatever#k=${secret}` });
    const outsider = start('label-a');
    await vi.waitFor(() => expect(a.provider.synced && b.provider.synced).toBe(true), WAIT);
    expect(a.provider.roomId).toBe(await deriveRoomId(secret));
    expect(b.provider.roomId).toBe(a.provider.roomId);
    a.doc.getText('t').insert(0, 'sealed');
    await vi.waitFor(() => expect(b.doc.getText('t').toString()).toBe('sealed'), WAIT);
    await vi.waitFor(() => expect(outsider.provider.connected).toBe(true), WAIT);
    expect(outsider.provider.room?.snapshot().peers).toEqual([]);
    expect(outsider.provider.roomId).not.toBe(a.provider.roomId);
    expect(outsider.doc.getText('t').toString()).toBe('');
  });

  it('a password (y-webrtc option) seals the room: same password and name meet, another password does not', async () => {
    const name = uniqueRoom('yjs-password');
    const a = start(name, { password: 'correct horse battery staple' });
    const b = start(name, { password: 'correct horse battery staple' });
    const wrong = start(name, { password: 'another one' });
    await vi.waitFor(() => expect(a.provider.synced && b.provider.synced).toBe(true), WAIT);
    const secret = await secretFromPassword('correct horse battery staple', name);
    expect(a.provider.roomId).toBe(await deriveRoomId(secret));
    expect(a.provider.roomId).not.toBe(roomIdForName(name));
    a.doc.getText('t').insert(0, 'for password holders');
    await vi.waitFor(
      () => expect(b.doc.getText('t').toString()).toBe('for password holders'),
      WAIT,
    );
    await vi.waitFor(() => expect(wrong.provider.connected).toBe(true), WAIT);
    expect(wrong.provider.roomId).not.toBe(a.provider.roomId);
    expect(wrong.provider.room?.snapshot().peers).toEqual([]);
    expect(wrong.doc.getText('t').toString()).toBe('');
  });

  it('a link joins a Peerboard app room: the provider syncs with a core session, whose schema it must keep', async () => {
    const secret = newRoomSecret();
    const roomId = await deriveRoomId(secret);
    const app = makeSession({
      roomId,
      secret,
      name: 'App user',
      signalingUrl: relay.url,
      WebSocket,
      wrtc,
      timing: FAST,
      log: () => {},
      transfers: { log: () => {} },
      call: { log: () => {} },
    });
    try {
      const p = start('ignored', { link: `https://peerboard.example/r/${roomId}#k=${secret}` });
      const added = addElement(app.doc.doc, {
        type: 'rect',
        x: 1,
        y: 2,
        w: 3,
        h: 4,
        colour: '#112233',
        strokeWidth: 2,
        fill: null,
      });
      expect(added.ok).toBe(true);
      await vi.waitFor(() => expect(readBoard(p.doc)).toHaveLength(1), WAIT);
      expect(p.provider.roomId).toBe(roomId);
      // The app's room admits only its board + chat schema: a valid board element from the
      // provider arrives, a root of the provider's own is refused there (and, as Yjs updates of
      // one client build on each other, so is whatever that client writes after it).
      const back = addElement(p.doc, {
        type: 'ellipse',
        x: 5,
        y: 6,
        w: 7,
        h: 8,
        colour: '#445566',
        strokeWidth: 2,
        fill: null,
      });
      expect(back.ok).toBe(true);
      await vi.waitFor(() => expect(readBoard(app.doc.doc)).toHaveLength(2), WAIT);
      const refused: string[] = [];
      app.doc.provider.onRefused((r) => refused.push(r.code));
      p.doc.getMap('from-yjs').set('hello', 'app');
      await vi.waitFor(() => expect(refused).toContain('ERR_DOC_SCHEMA'), WAIT);
      expect(app.doc.doc.share.has('from-yjs')).toBe(false);
    } finally {
      app.destroy();
    }
  });

  it('the constructor refuses what it cannot honour (no silent open room)', () => {
    const doc = new Y.Doc();
    expect(() => start('x', { secret: 'short' })).toThrow(/ERR_BAD_SECRET/);
    expect(() => start('x', { secret: newRoomSecret(), password: 'p' })).toThrow(/ERR_BAD_OPTIONS/);
    expect(() => start('x', { link: 'http://host/r/abc#k=damaged' })).toThrow(/ERR_BAD_LINK/);
    expect(() => start('', {})).toThrow(/ERR_BAD_OPTIONS/);
    expect(() => start('x', { signaling: 'http://not-a-socket' })).toThrow(/ERR_BAD_OPTIONS/);
    doc.destroy();
  });
});
