import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { addElement, readBoard, type ElementDraft } from './boardModel';
import { makeMemoryNetwork } from '../../test/kit/memoryNetwork';
import { seededRandom } from '../../test/kit/seededRandom';
import { encodeAwarenessEntries } from './awarenessFilter';
import { initPresence, remotePresences, setPresence } from './presence';
import { makeTestPeer, type TestPeer } from '../../test/kit/testPeers';
import { MAX_CLIENT_IDS_PER_PEER } from './provider';

const rect: ElementDraft = {
  type: 'rect',
  x: 0,
  y: 0,
  w: 10,
  h: 10,
  colour: '#112233',
  strokeWidth: 2,
  fill: null,
};
const presence = (name: string) => ({
  name,
  colour: '#336699',
  cursor: null,
  selection: [],
  typing: false,
});

let peers: TestPeer[] = [];
afterEach(() => {
  for (const p of peers) p.destroy();
  peers = [];
});

function setup(ids: string[], seed = 1) {
  const net = makeMemoryNetwork(seededRandom(seed));
  peers = ids.map((id) => makeTestPeer(net, id));
  return { net, peers };
}

const syncMessage = (type: number, payload: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
};

describe('collab provider', () => {
  it('a newcomer gets the full state from whoever is present, both ways', () => {
    const {
      net,
      peers: [a, b],
    } = setup(['a', 'b']);
    addElement(a!.doc, rect);
    addElement(b!.doc, { ...rect, x: 5 });
    const synced: string[] = [];
    a!.provider.onSynced((p) => synced.push(p));
    net.connect('a', 'b');
    net.flush();
    expect(readBoard(a!.doc)).toHaveLength(2);
    expect(readBoard(b!.doc)).toEqual(readBoard(a!.doc));
    expect(synced).toEqual(['b']);
    expect(b!.provider.syncedPeers()).toEqual(['a']);
    // live updates afterwards
    addElement(b!.doc, { ...rect, x: 9 });
    net.flush();
    expect(readBoard(a!.doc)).toHaveLength(3);
    expect(a!.errors).toEqual([]);
  });

  it('does not echo remote updates (each update crosses each link once)', () => {
    const { net } = setup(['a', 'b', 'c']);
    net.connect('a', 'b');
    net.connect('b', 'c');
    net.connect('a', 'c');
    net.flush();
    addElement(peers[0]!.doc, rect);
    expect(net.pending()).toBe(2); // a -> b, a -> c
    expect(net.flush()).toBe(2); // and nothing bounced back
    expect(readBoard(peers[2]!.doc)).toHaveLength(1);
  });

  it('drops garbage and hostile sync frames with a logged reason; the doc stays usable', () => {
    const {
      net,
      peers: [a, b],
    } = setup(['a', 'b']);
    net.connect('a', 'b');
    net.flush();
    addElement(a!.doc, rect);
    net.flush();
    const before = Y.encodeStateAsUpdate(b!.doc);
    const rnd = seededRandom(99);
    const garbage = [
      new Uint8Array(0),
      new Uint8Array([7]),
      new Uint8Array([0]),
      new Uint8Array([0, 200, 1, 2]),
      syncMessage(0, new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255])),
      syncMessage(1, new Uint8Array([1, 2, 3, 4, 5])),
      syncMessage(
        2,
        Uint8Array.from({ length: 4096 }, () => Math.floor(rnd() * 256)),
      ),
      syncMessage(2, Y.encodeStateAsUpdate(a!.doc).slice(0, 20)),
    ];
    for (const g of garbage) net.inject('x', 'b', 'sync', g);
    expect(() => net.flush()).not.toThrow();
    expect(b!.errors.length).toBeGreaterThanOrEqual(6);
    expect(b!.errors[0]).toMatch(/^x\/sync: /);
    expect(readBoard(b!.doc)).toEqual(readBoard(a!.doc));
    // the garbage changed nothing in the document
    expect(Y.encodeStateAsUpdate(b!.doc)).toEqual(before);
    // still syncing normally after the garbage
    addElement(a!.doc, rect);
    addElement(b!.doc, rect);
    net.flush();
    expect(readBoard(b!.doc)).toHaveLength(3);
    expect(readBoard(a!.doc)).toEqual(readBoard(b!.doc));
  });

  it('shares awareness, ignores hostile entries, removes states of closed peers', () => {
    const {
      net,
      peers: [a, b, c],
    } = setup(['a', 'b', 'c']);
    initPresence(a!.awareness, presence('Ann'));
    net.connect('a', 'b');
    net.connect('a', 'c');
    net.connect('b', 'c');
    initPresence(b!.awareness, presence('Bob'));
    net.flush();
    expect([...remotePresences(c!.awareness).values()].map((p) => p.name).sort()).toEqual([
      'Ann',
      'Bob',
    ]);
    setPresence(a!.awareness, { cursor: { x: 1, y: 2 } });
    net.flush();
    expect(remotePresences(b!.awareness).get(a!.doc.clientID)?.cursor).toEqual({ x: 1, y: 2 });

    // c tries to overwrite b's own state and a's state: both ignored
    const hijack = encodeAwarenessEntries([
      { clientId: b!.doc.clientID, clock: 1000, state: { ...presence('evil') } },
      { clientId: a!.doc.clientID, clock: 1000, state: null },
    ]);
    net.inject('c', 'b', 'awareness', hijack);
    for (const g of [
      new Uint8Array([200]),
      new Uint8Array([1, 5, 1, 3, 65, 66, 67]),
      new Uint8Array([1, 5, 1, 1, 53]),
    ])
      net.inject('c', 'b', 'awareness', g);
    net.flush();
    expect(b!.awareness.getLocalState()).toMatchObject({ name: 'Bob' });
    expect(remotePresences(b!.awareness).get(a!.doc.clientID)?.name).toBe('Ann');
    expect(b!.errors.length).toBe(3);

    net.disconnect('a', 'b');
    expect(remotePresences(b!.awareness).has(a!.doc.clientID)).toBe(false);
    expect(remotePresences(c!.awareness).has(a!.doc.clientID)).toBe(true);
    // reconnect: a's state comes back although its clock did not change
    net.connect('a', 'b');
    net.flush();
    expect(remotePresences(b!.awareness).get(a!.doc.clientID)?.name).toBe('Ann');

    // a leaves: its provider tells the others, and destroy is idempotent
    a!.provider.destroy();
    a!.provider.destroy();
    net.flush();
    expect(remotePresences(b!.awareness).has(a!.doc.clientID)).toBe(false);
    expect(remotePresences(c!.awareness).has(a!.doc.clientID)).toBe(false);
    addElement(a!.doc, rect);
    expect(net.pending()).toBe(0); // no listeners left on the doc
  });

  it('a peer may speak for at most MAX_CLIENT_IDS_PER_PEER awareness client ids', () => {
    const {
      net,
      peers: [a, b],
    } = setup(['a', 'b']);
    net.connect('a', 'b');
    initPresence(a!.awareness, presence('Ann'));
    net.flush();
    // a hostile a claims 16 more client ids, 8 per update
    const fake = Array.from({ length: 16 }, (_, i) => 1_000_000 + i);
    for (const ids of [fake.slice(0, 8), fake.slice(8)])
      net.inject(
        'a',
        'b',
        'awareness',
        encodeAwarenessEntries(
          ids.map((clientId) => ({ clientId, clock: 1, state: presence('x') })),
        ),
      );
    net.flush();
    const fromA = [...b!.awareness.getStates().keys()].filter(
      (id) => id === a!.doc.clientID || fake.includes(id),
    );
    expect(fromA).toHaveLength(MAX_CLIENT_IDS_PER_PEER);
    expect(fromA).toContain(a!.doc.clientID);
  });

  it('awareness applied via y-protocols emits a change for the UI', () => {
    const {
      net,
      peers: [a, b],
    } = setup(['a', 'b']);
    net.connect('a', 'b');
    let changes = 0;
    b!.awareness.on('change', () => changes++);
    initPresence(a!.awareness, presence('Ann'));
    net.flush();
    expect(changes).toBeGreaterThan(0);
    expect(awarenessProtocol.outdatedTimeout).toBe(30_000);
  });
});
