/**
 * A protected room's store on this device (sealedStore.ts through makeBoardPersistence, as
 * roomDoc.ts wires it), on fake-indexeddb: a complete in-memory IndexedDB, one fresh factory per
 * test. The attacker here is whoever opens this browser's storage or a bare `/r/<id>` link: the
 * room id without the secret.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { IndexeddbPersistence } from 'y-indexeddb';
import { utf8Encode } from '@peerboard/protocol';
import { addElement, readBoard, type ElementDraft } from './boardModel';
import { makeDocUpdates } from './docUpdates';
import { makeBoardPersistence, forgetRoomStores, persistenceName } from './persistence';
import { makeCollabProvider } from './provider';
import { makeSealedPersistence } from './sealedStore';
import { readChat, sendChatMessage } from '../chat/chatModel';
import { newSecretRoom } from '../secret/roomSecret';
import { makeMemoryNetwork } from '../../test/kit/memoryNetwork';
import { seededRandom } from '../../test/kit/seededRandom';

const BOARD_TEXT = 'launch plan: codename bluebird';
const CHAT_TEXT = 'the door code is 4471';
const note: ElementDraft = {
  type: 'text',
  x: 10,
  y: 20,
  w: 200,
  h: 40,
  colour: '#112233',
  strokeWidth: 2,
  text: BOARD_TEXT,
  fontSize: 20,
};
const g = globalThis as Record<string, unknown>;

/** Every database on this "device": its name and the raw records of its stores. */
async function dumpDevice(): Promise<{ names: string[]; bytes: Uint8Array[] }> {
  const factory = g.indexedDB as IDBFactory;
  const names = (await factory.databases()).map((d) => d.name ?? '');
  const bytes: Uint8Array[] = [];
  for (const name of names) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = factory.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    for (const store of db.objectStoreNames) {
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const v of all) bytes.push(v instanceof Uint8Array ? v : utf8Encode(JSON.stringify(v)));
    }
    db.close();
  }
  return { names, bytes };
}

const contains = (hay: Uint8Array, needle: Uint8Array): boolean => {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
};

/** The board and chat Alice leaves on her device in a protected room. */
async function aliceSession(roomId: string, secret: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const p = makeBoardPersistence(roomId, doc, { secret });
  expect(await p.whenSynced).toEqual({ kind: 'loaded' });
  addElement(doc, note);
  sendChatMessage(doc, { name: 'Alice', colour: '#000000' }, CHAT_TEXT);
  await p.flush();
  p.destroy();
  return doc;
}

/** A reload: a fresh doc opened on this device with the given secret (or none: an open room). */
async function reload(roomId: string, secret?: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const p = makeBoardPersistence(roomId, doc, { secret });
  expect(await p.whenSynced).toEqual({ kind: 'loaded' });
  p.destroy();
  return doc;
}

describe('sealed local store of a protected room', () => {
  beforeEach(() => {
    g.indexedDB = new IDBFactory();
    g.IDBKeyRange = IDBKeyRange;
  });
  afterEach(() => {
    delete g.indexedDB;
    delete g.IDBKeyRange;
  });

  it('reloads board and chat from disk with the secret', async () => {
    const { roomId, secret } = await newSecretRoom();
    const before = await aliceSession(roomId, secret);
    const doc = await reload(roomId, secret);
    expect(readBoard(doc)).toEqual(readBoard(before));
    expect(readChat(doc).map((m) => m.text)).toEqual([CHAT_TEXT]);
  });

  it('stores no plaintext and no room id: names and bytes on disk reveal neither', async () => {
    const { roomId, secret } = await newSecretRoom();
    await aliceSession(roomId, secret);
    const { names, bytes } = await dumpDevice();
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^peerboard-sealed:[A-Za-z0-9_-]{43}$/);
    expect(names[0]).not.toContain(roomId);
    expect(bytes.length).toBeGreaterThan(0);
    for (const b of bytes) {
      expect(contains(b, utf8Encode(BOARD_TEXT))).toBe(false);
      expect(contains(b, utf8Encode(CHAT_TEXT))).toBe(false);
      expect(contains(b, utf8Encode('Alice'))).toBe(false);
      expect(contains(b, utf8Encode(roomId))).toBe(false);
    }
  });

  it('loads nothing without the secret (bare link: an open room with that id) or with another', async () => {
    const { roomId, secret } = await newSecretRoom();
    await aliceSession(roomId, secret);
    // the bare `/r/<id>` link: the open-room store under the id the relay knows
    const bare = await reload(roomId);
    expect(readBoard(bare)).toEqual([]);
    expect(readChat(bare)).toEqual([]);
    // another room's secret, even paired with this room's id
    const other = await newSecretRoom();
    const wrong = await reload(roomId, other.secret);
    expect(readBoard(wrong)).toEqual([]);
    expect(readChat(wrong)).toEqual([]);
    // and the right secret still has it
    expect(readChat(await reload(roomId, secret)).map((m) => m.text)).toEqual([CHAT_TEXT]);
  });

  it('drops a record sealed under another key or altered on disk', async () => {
    const { roomId, secret } = await newSecretRoom();
    await aliceSession(roomId, secret);
    const factory = g.indexedDB as IDBFactory;
    const [name] = (await factory.databases()).map((d) => d.name!);
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = factory.open(name!);
      r.onsuccess = () => resolve(r.result);
    });
    // an attacker with disk access flips one bit of every record
    const tx = db.transaction('updates', 'readwrite');
    const store = tx.objectStore('updates');
    await new Promise<void>((resolve) => {
      const cursor = store.openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return resolve();
        const v = new Uint8Array(c.value as Uint8Array);
        v[v.length - 1]! ^= 1;
        c.update(v);
        c.continue();
      };
    });
    db.close();
    const doc = await reload(roomId, secret);
    expect(readBoard(doc)).toEqual([]);
    expect(readChat(doc)).toEqual([]);
  });

  it('merges records into one snapshot past the threshold; every edit survives', async () => {
    const { secret } = await newSecretRoom();
    const doc = new Y.Doc();
    const p = makeSealedPersistence(secret, doc, { compactRecords: 8 });
    await p.whenSynced;
    for (let i = 0; i < 30; i++) addElement(doc, { ...note, x: i, text: `note ${i}` });
    const board = readBoard(doc);
    await p.flush();
    p.destroy();
    const again = new Y.Doc();
    const p2 = makeSealedPersistence(secret, again, { compactRecords: 8 });
    await p2.whenSynced;
    expect(readBoard(again)).toEqual(board);
    p2.destroy();
    const { bytes } = await dumpDevice();
    expect(bytes.length).toBeLessThan(8);
  });

  it("stores peers' bytes as received, loads quietly, and pushState hands a late load to a peer", async () => {
    const { roomId, secret } = await newSecretRoom();
    const client = (net: ReturnType<typeof makeMemoryNetwork>, id: string) => {
      const doc = new Y.Doc();
      const awareness = new Awareness(doc);
      const updates = makeDocUpdates(doc);
      const persistence = makeBoardPersistence(roomId, doc, { updates, secret });
      const provider = makeCollabProvider({
        doc,
        awareness,
        transport: net.transport(id),
        updates,
        resyncIntervalMs: 0,
      });
      const destroy = () => {
        provider.destroy();
        persistence.destroy();
        updates.destroy();
        awareness.destroy();
      };
      return { doc, updates, provider, persistence, destroy };
    };
    const net = makeMemoryNetwork(seededRandom(7));
    const a = client(net, 'a');
    await a.persistence.whenSynced;
    const peer = new Y.Doc();
    const peerNet = makeDocUpdates(peer);
    const peerProvider = makeCollabProvider({
      doc: peer,
      awareness: new Awareness(peer),
      transport: net.transport('b'),
      updates: peerNet,
      resyncIntervalMs: 0,
    });
    net.connect('a', 'b');
    net.flush();
    addElement(peer, note); // reaches a as a peer's update: stored from its bytes
    net.flush();
    expect(readBoard(a.doc)).toHaveLength(1);
    await a.persistence.flush();
    a.destroy();
    peerProvider.destroy();

    const net2 = makeMemoryNetwork(seededRandom(8));
    const c = new Y.Doc();
    const cProvider = makeCollabProvider({
      doc: c,
      awareness: new Awareness(c),
      transport: net2.transport('c'),
      resyncIntervalMs: 0,
    });
    const a2 = client(net2, 'a');
    net2.connect('a', 'c');
    net2.flush();
    expect(await a2.persistence.whenSynced).toEqual({ kind: 'loaded' });
    expect(readBoard(a2.doc).map((e) => (e.type === 'text' ? e.text : ''))).toEqual([BOARD_TEXT]);
    expect(net2.pending()).toBe(0); // the load was not broadcast
    a2.provider.pushState();
    net2.flush();
    expect(readBoard(c)).toEqual(readBoard(a2.doc));
    a2.destroy();
    cProvider.destroy();
  });

  it('moves a plaintext store from before (y-indexeddb under the room id) in, then deletes it', async () => {
    const { roomId, secret } = await newSecretRoom();
    const old = new Y.Doc();
    const legacy = new IndexeddbPersistence(persistenceName(roomId), old);
    await legacy.whenSynced;
    addElement(old, note);
    await new Promise((r) => setTimeout(r, 20)); // y-indexeddb writes asynchronously
    await legacy.destroy();

    const doc = await reload(roomId, secret);
    expect(readBoard(doc)).toEqual(readBoard(old));
    const { names, bytes } = await dumpDevice();
    expect(names).not.toContain(persistenceName(roomId));
    for (const b of bytes) expect(contains(b, utf8Encode(BOARD_TEXT))).toBe(false);
    expect(readBoard(await reload(roomId, secret))).toEqual(readBoard(old));
  });

  it('clearData and forgetRoomStores leave nothing on the device', async () => {
    const { roomId, secret } = await newSecretRoom();
    const doc = new Y.Doc();
    const p = makeBoardPersistence(roomId, doc, { secret });
    await p.whenSynced;
    addElement(doc, note);
    await p.clearData();
    expect((await dumpDevice()).names).toEqual([]);

    await aliceSession(roomId, secret);
    const open = await reload(roomId); // leaves an (empty) open-room store under the id
    expect(readBoard(open)).toEqual([]);
    expect((await dumpDevice()).names).toHaveLength(2);
    await forgetRoomStores(roomId, secret);
    expect((await dumpDevice()).names).toEqual([]);
    expect(readBoard(await reload(roomId, secret))).toEqual([]);
  });

  it('settles as failed instead of hanging when IndexedDB never answers', async () => {
    const { roomId, secret } = await newSecretRoom();
    g.indexedDB = { open: () => ({}) };
    const p = makeBoardPersistence(roomId, new Y.Doc(), { secret, timeoutMs: 50 });
    expect(await p.whenSynced).toMatchObject({ kind: 'failed' });
    p.destroy();
  });
});
