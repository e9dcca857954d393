/**
 * Tabs of one origin over BroadcastChannel (Node's, which links channels of one process like a
 * browser links tabs): two providers whose relay is down still sync text and awareness, and a
 * rogue script on the same channel (malformed, oversize, unannounced, impersonating, flooding)
 * changes nothing and stops nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { randomId } from '@peerboard/protocol';
import { freePort } from '../../core/test/kit/relay';
import { BROADCAST_LIMITS, parseBroadcastMessage, type BroadcastMessage } from '../src/broadcast';
import { roomIdForName } from '../src/roomTarget';
import { eventsOf, startProvider, type TestProvider } from './kit';

const started: TestProvider[] = [];
const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const p of started.splice(0)) p.provider.destroy();
  for (const c of channels.splice(0)) c.close();
});
const WAIT = { timeout: 15_000, interval: 20 };

/** a provider whose relay is not there: only the BroadcastChannel can carry anything */
async function startOffline(name: string): Promise<TestProvider> {
  const p = startProvider(name, {
    signaling: `ws://127.0.0.1:${await freePort()}/ws`,
    broadcastChannel: true,
  });
  started.push(p);
  return p;
}

const tab = () => randomId(16);

describe('parseBroadcastMessage', () => {
  const from = tab();
  const bytes = new Uint8Array([0, 0]);
  it.each<[string, BroadcastMessage]>([
    ['hello', { v: 1, t: 'hello', from }],
    ['addressed hello', { v: 1, t: 'hello', from, to: tab() }],
    ['bye', { v: 1, t: 'bye', from }],
    ['sync', { v: 1, t: 'sync', from, data: bytes }],
    ['addressed awareness', { v: 1, t: 'awareness', from, to: tab(), data: bytes }],
  ])('accepts %s', (_label, message) => {
    expect(parseBroadcastMessage(message)).toEqual({ ok: true, value: message });
  });

  it.each<[string, unknown, string]>([
    ['a string', 'hello', 'ERR_BC_SHAPE'],
    ['null', null, 'ERR_BC_SHAPE'],
    ['another version', { v: 2, t: 'hello', from }, 'ERR_BC_VERSION'],
    ['a short tab id', { v: 1, t: 'hello', from: 'abc' }, 'ERR_BC_SHAPE'],
    ['a bad addressee', { v: 1, t: 'hello', from, to: 42 }, 'ERR_BC_SHAPE'],
    ['an unknown type', { v: 1, t: 'chat', from, data: bytes }, 'ERR_BC_SHAPE'],
    ['sync without bytes', { v: 1, t: 'sync', from, data: [0, 0] }, 'ERR_BC_SHAPE'],
    [
      'awareness over its bound',
      { v: 1, t: 'awareness', from, data: new Uint8Array(BROADCAST_LIMITS.maxAwarenessBytes + 1) },
      'ERR_BC_TOO_LARGE',
    ],
  ])('refuses %s', (_label, raw, code) => {
    expect(parseBroadcastMessage(raw)).toMatchObject({ ok: false, code });
  });

  it('takes a sync message at its bound and refuses one byte more', () => {
    const at = new Uint8Array(BROADCAST_LIMITS.maxSyncBytes);
    expect(parseBroadcastMessage({ v: 1, t: 'sync', from, data: at }).ok).toBe(true);
    const over = new Uint8Array(BROADCAST_LIMITS.maxSyncBytes + 1);
    expect(parseBroadcastMessage({ v: 1, t: 'sync', from, data: over })).toMatchObject({
      ok: false,
      code: 'ERR_BC_TOO_LARGE',
    });
  });
});

describe('tabs over BroadcastChannel, relay down', () => {
  it('sync text and awareness with bcPeers events, and a closed tab leaves', async () => {
    const name = `bc-${randomId(6)}`;
    const a = await startOffline(name);
    const b = await startOffline(name);
    a.doc.getText('t').insert(0, 'tab a');
    b.provider.awareness.setLocalStateField('user', { name: 'B' });
    await vi.waitFor(() => {
      expect(b.doc.getText('t').toString()).toBe('tab a');
      expect(a.provider.awareness.getStates().get(b.doc.clientID)).toEqual({ user: { name: 'B' } });
    }, WAIT);
    expect(a.provider.connected).toBe(false);
    const peers = eventsOf(a, 'peers');
    expect(peers).toHaveLength(1);
    expect(peers[0]).toMatchObject({ removed: [], webrtcPeers: [] });
    expect(peers[0]?.bcPeers).toEqual(peers[0]?.added);

    b.provider.destroy();
    await vi.waitFor(() => {
      expect(a.provider.awareness.getStates().has(b.doc.clientID)).toBe(false);
      expect(eventsOf(a, 'peers').at(-1)).toMatchObject({ removed: peers[0]?.added, bcPeers: [] });
    }, WAIT);
  });

  it('a rogue script on the channel cannot corrupt, impersonate, flood or stop the tabs', async () => {
    const name = `bc-${randomId(6)}`;
    const a = await startOffline(name);
    const b = await startOffline(name);
    a.provider.awareness.setLocalStateField('user', { name: 'A' });
    a.doc.getText('t').insert(0, 'genuine');
    await vi.waitFor(() => {
      expect(b.doc.getText('t').toString()).toBe('genuine');
      expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'A' } });
    }, WAIT);

    const rogue = new BroadcastChannel(`peerboard-yjs:${roomIdForName(name)}`);
    channels.push(rogue);
    const me = tab();
    const post = (m: unknown) => rogue.postMessage(m);
    // bytes before any hello
    post({ v: 1, t: 'sync', from: me, data: new Uint8Array([2, 3, 1, 2, 3]) });
    post({ v: 1, t: 'hello', from: me });
    // a SyncStep2 / Update whose payload Yjs cannot decode
    post({ v: 1, t: 'sync', from: me, data: new Uint8Array([1, 6, 255, 255, 255, 255, 255, 0]) });
    post({ v: 1, t: 'sync', from: me, data: new Uint8Array([2, 4, 9, 9, 9, 9]) });
    // more than the bound
    post({ v: 1, t: 'sync', from: me, data: new Uint8Array(BROADCAST_LIMITS.maxSyncBytes + 1) });
    // A's cursor, claimed by the rogue with a higher clock
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, 1);
    encoding.writeVarUint(forged, a.doc.clientID);
    encoding.writeVarUint(forged, 1_000);
    encoding.writeVarString(forged, JSON.stringify({ user: { name: 'Mallory as A' } }));
    post({ v: 1, t: 'awareness', from: me, data: encoding.toUint8Array(forged) });
    // tab flood: more tabs than the bound
    for (let i = 0; i <= BROADCAST_LIMITS.maxTabs; i++) post({ v: 1, t: 'hello', from: tab() });
    // the rogue's own cursor last: once it shows, everything above was handled (one sender's
    // messages arrive in order)
    const own = new awarenessProtocol.Awareness(new Y.Doc());
    own.setLocalState({ marker: true });
    const ownUpdate = awarenessProtocol.encodeAwarenessUpdate(own, [own.clientID]);
    own.destroy();
    post({ v: 1, t: 'awareness', from: me, data: ownUpdate });
    await vi.waitFor(() => {
      expect(b.provider.awareness.getStates().get(own.clientID)).toEqual({ marker: true });
    }, WAIT);

    expect(b.doc.getText('t').toString()).toBe('genuine');
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'A' } });
    const logs = b.logs.join('\n');
    expect(logs).toContain('ERR_BC_UNKNOWN_TAB');
    expect(logs).toContain('ERR_BC_TOO_LARGE');
    expect(logs).toContain('ERR_BC_TOO_MANY_TABS');
    expect(logs).toMatch(/dropped sync frame from .*: /);

    // and the genuine tabs carry on
    b.doc.getText('t').insert(7, ' and still syncing');
    await vi.waitFor(
      () => expect(a.doc.getText('t').toString()).toBe('genuine and still syncing'),
      WAIT,
    );
  });
});
