import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IDBKeyRange, IDBObjectStore, indexedDB } from 'fake-indexeddb';
import { addElement, readBoard, type ElementDraft } from './boardModel';
import { makeMemoryNetwork } from '../../test/kit/memoryNetwork';
import { seededRandom } from '../../test/kit/seededRandom';
import { makeDocUpdates, RemoteOrigin } from './docUpdates';
import { makeBoardPersistence, STORE_LATER_BYTES } from './persistence';
import { boardUpdate, strokeFields } from '../../test/kit/syntheticBoard';
import { makeTestPeer } from '../../test/kit/testPeers';
import { readChat, sendChatMessage } from '../chat/chatModel';

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
const g = globalThis as Record<string, unknown>;

describe('board persistence without IndexedDB (Node)', () => {
  it('is a clear no-op', async () => {
    expect(g.indexedDB).toBeUndefined();
    const p = makeBoardPersistence('room', new Y.Doc());
    expect(p.enabled).toBe(false);
    expect(await p.whenSynced).toEqual({ kind: 'unavailable', reason: 'no IndexedDB here' });
    p.destroy();
    await p.clearData();
  });
});

describe('board persistence with IndexedDB (fake-indexeddb: a complete in-memory implementation)', () => {
  beforeEach(() => {
    g.indexedDB = indexedDB;
    g.IDBKeyRange = IDBKeyRange;
  });
  afterEach(() => {
    delete g.indexedDB;
    delete g.IDBKeyRange;
  });

  it('restores board and chat on reload before any peer answers; offline edits merge later', async () => {
    const doc1 = new Y.Doc();
    const p1 = makeBoardPersistence('room-1', doc1);
    expect(await p1.whenSynced).toEqual({ kind: 'loaded' });
    addElement(doc1, rect);
    addElement(doc1, { ...rect, x: 50 });
    sendChatMessage(doc1, { name: 'Ann', colour: '#000000' }, 'saved?');
    const board = readBoard(doc1);
    p1.destroy();
    p1.destroy();

    // "reload": a fresh doc for the same room
    const doc2 = new Y.Doc();
    const p2 = makeBoardPersistence('room-1', doc2);
    expect(await p2.whenSynced).toEqual({ kind: 'loaded' });
    expect(readBoard(doc2)).toEqual(board);
    expect(readChat(doc2).map((m) => m.text)).toEqual(['saved?']);
    // another room is separate
    const other = new Y.Doc();
    const p3 = makeBoardPersistence('room-2', other);
    await p3.whenSynced;
    expect(readBoard(other)).toEqual([]);
    p3.destroy();

    // offline edit on the reloaded doc, then a peer connects that edited meanwhile too
    addElement(doc2, { ...rect, x: 99 });
    const net = makeMemoryNetwork(seededRandom(5));
    const me = makeTestPeer(net, 'me', doc2);
    const peerDoc = new Y.Doc();
    Y.applyUpdate(peerDoc, Y.encodeStateAsUpdate(doc1));
    addElement(peerDoc, { ...rect, x: -5 });
    const other2 = makeTestPeer(net, 'peer', peerDoc);
    net.connect('me', 'peer');
    net.flush();
    expect(readBoard(doc2)).toHaveLength(4);
    expect(readBoard(peerDoc)).toEqual(readBoard(doc2));
    p2.destroy();

    // what arrived from the peer was persisted as well
    const doc3 = new Y.Doc();
    const p4 = makeBoardPersistence('room-1', doc3);
    expect(await p4.whenSynced).toEqual({ kind: 'loaded' });
    expect(readBoard(doc3)).toEqual(readBoard(doc2));
    await p4.clearData();
    const doc4 = new Y.Doc();
    const p5 = makeBoardPersistence('room-1', doc4);
    await p5.whenSynced;
    expect(readBoard(doc4)).toEqual([]);
    p5.destroy();
    me.destroy();
    other2.destroy();
  });

  /** a room's doc stored through the room's update tap, as roomDoc.ts composes them */
  async function storedThroughTap(room: string) {
    const doc = new Y.Doc();
    const updates = makeDocUpdates(doc);
    const p = makeBoardPersistence(room, doc, { updates });
    await p.whenSynced;
    return { doc, updates, p };
  }

  /** what a reload of `room` finds (its persistence destroyed after) */
  async function reloaded(room: string) {
    const again = new Y.Doc();
    const p = makeBoardPersistence(room, again);
    const status = await p.whenSynced;
    p.destroy();
    return { status, elements: readBoard(again) };
  }

  it("a peer's whole board is stored after the current task (Node: no idle callback), edits behind it, all of it on reload", async () => {
    const { doc, updates, p } = await storedThroughTap('room-later');
    const board = boardUpdate(1_000);
    expect(board.length).toBeGreaterThan(STORE_LATER_BYTES);
    // what is handed to IndexedDB, as it is handed over (the store's own add, counted)
    const added: number[] = [];
    const add = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = function (
      this: IDBObjectStore,
      value: unknown,
      key?: IDBValidKey,
    ) {
      added.push((value as Uint8Array).length);
      return add.call(this, value, key);
    };
    try {
      updates.applyRemote(board, new RemoteOrigin('peer'));
      addElement(doc, rect); // a local edit in the same task
      expect(added).toEqual([]); // neither handed over yet: the first frame comes first
      await new Promise((r) => setTimeout(r, 0));
      expect(added[0]).toBe(board.length); // then both, in their order
      expect(added).toHaveLength(2);
      addElement(doc, { ...rect, x: 40 }); // nothing waits now: a small edit goes at once
      expect(added).toHaveLength(3);
      // a big local change (not a peer's: this page's own transaction) goes at once too, as
      // no peer may hold it yet
      const r = seededRandom(9);
      doc.transact(() => {
        for (let i = 0; i < 1_000; i++) addElement(doc, strokeFields(r));
      });
      expect(added.at(-1)).toBeGreaterThan(STORE_LATER_BYTES);
      expect(added).toHaveLength(4);
    } finally {
      IDBObjectStore.prototype.add = add;
    }
    await p.flush();
    const elements = readBoard(doc);
    p.destroy();
    updates.destroy();
    expect(await reloaded('room-later')).toEqual({ status: { kind: 'loaded' }, elements });
    expect(elements).toHaveLength(2_002);
  });

  it('flush and destroy hand over what waits at once', async () => {
    const { updates, p } = await storedThroughTap('room-flush');
    updates.applyRemote(boardUpdate(1_000, 5), new RemoteOrigin('peer'));
    await p.flush();
    p.destroy();
    updates.destroy();
    expect((await reloaded('room-flush')).elements).toHaveLength(1_000);
  });

  it('settles as failed instead of hanging when IndexedDB never answers', async () => {
    g.indexedDB = { open: () => ({}) }; // a request whose events never fire (blocked storage)
    const p = makeBoardPersistence('room-x', new Y.Doc(), { timeoutMs: 50 });
    expect(p.enabled).toBe(true);
    expect(await p.whenSynced).toMatchObject({ kind: 'failed' });
    p.destroy();
  });
});
