import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { addElement, readBoard, type ElementDraft } from './boardModel';
import { makeDocUpdates, RemoteOrigin, type DocUpdates } from './docUpdates';
import { makeMemoryNetwork, type MemoryNetwork } from '../../test/kit/memoryNetwork';
import { seededRandom } from '../../test/kit/seededRandom';
import { makeBoardPersistence, type BoardPersistence } from './persistence';
import { makeCollabProvider, type CollabProvider } from './provider';

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

/** Whether Yjs had an 'update' listener (and so encoded) while each transaction finished. */
function encodeWatch(doc: Y.Doc): { origins: unknown[]; encoded: boolean[] } {
  const out = { origins: [] as unknown[], encoded: [] as boolean[] };
  const observers = (doc as unknown as { _observers: Map<string, Set<unknown>> })._observers;
  doc.on('afterTransactionCleanup', (tr: Y.Transaction) => {
    out.origins.push(tr.origin);
    out.encoded.push((observers.get('update')?.size ?? 0) > 0);
  });
  return out;
}

describe('doc updates: Yjs encodes only what is sent', () => {
  it('reports local edits once (bytes that rebuild them), remote bytes as received, quiet origins never', () => {
    const doc = new Y.Doc();
    const updates = makeDocUpdates(doc);
    const seen: { update: Uint8Array; origin: unknown; remote: boolean }[] = [];
    updates.onUpdate((update, origin, remote) => seen.push({ update, origin, remote }));
    const watch = encodeWatch(doc);

    addElement(doc, rect);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.remote).toBe(false);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, seen[0]!.update);
    expect(readBoard(copy)).toEqual(readBoard(doc));

    // a peer's update: applied, reported with its own bytes, never encoded by Yjs
    const other = new Y.Doc();
    addElement(other, { ...rect, x: 40 });
    const bytes = Y.encodeStateAsUpdate(other);
    const origin = new RemoteOrigin('peer-1');
    updates.applyRemote(bytes, origin);
    expect(readBoard(doc)).toHaveLength(2);
    expect(seen[1]).toEqual({ update: bytes, origin, remote: true });

    // a quiet origin (a persistence load): neither encoded nor reported
    const loader = {};
    updates.quiet(loader);
    const third = new Y.Doc();
    addElement(third, { ...rect, x: 80 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(third), loader);
    expect(readBoard(doc)).toHaveLength(3);
    expect(seen).toHaveLength(2);

    expect(watch.encoded).toEqual([true, false, false]);
    // garbage throws and is not reported
    expect(() => updates.applyRemote(new Uint8Array([9, 9, 9, 9]), origin)).toThrow();
    expect(seen).toHaveLength(2);
    updates.destroy();
    updates.destroy();
    addElement(doc, rect);
    expect(seen).toHaveLength(2);
  });
});

const g = globalThis as Record<string, unknown>;

interface Client {
  doc: Y.Doc;
  updates: DocUpdates;
  provider: CollabProvider;
  persistence: BoardPersistence;
  destroy(): void;
}

/** What roomDoc.ts composes: one tap shared by the provider and IndexedDB. */
function client(net: MemoryNetwork, id: string, room: string): Client {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const updates = makeDocUpdates(doc);
  const persistence = makeBoardPersistence(room, doc, { updates });
  const provider = makeCollabProvider({
    doc,
    awareness,
    transport: net.transport(id),
    updates,
    resyncIntervalMs: 0,
  });
  return {
    doc,
    updates,
    provider,
    persistence,
    destroy() {
      provider.destroy();
      persistence.destroy();
      updates.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}

describe('doc updates with the provider and IndexedDB (fake-indexeddb)', () => {
  beforeEach(() => {
    g.indexedDB = indexedDB;
    g.IDBKeyRange = IDBKeyRange;
  });
  afterEach(() => {
    delete g.indexedDB;
    delete g.IDBKeyRange;
  });

  it("stores local edits and peers' bytes, loads without encoding, pushes a late load to peers", async () => {
    const net = makeMemoryNetwork(seededRandom(3));
    const a = client(net, 'a', 'tap-room-a');
    const b = client(net, 'b', 'tap-room-b');
    await a.persistence.whenSynced;
    await b.persistence.whenSynced;
    addElement(a.doc, rect); // local: stored by a
    net.connect('a', 'b');
    net.flush();
    addElement(b.doc, { ...rect, x: 30 }); // a gets it as a broadcast update, stores the bytes
    net.flush();
    expect(readBoard(a.doc)).toHaveLength(2);
    const board = readBoard(a.doc);
    a.destroy();
    b.destroy();
    await new Promise((r) => setTimeout(r, 20));

    // reload a: the load is quiet (never encoded, never broadcast); peer c had synced with the
    // empty doc before the load finished, and gets the stored board through pushState
    const net2 = makeMemoryNetwork(seededRandom(4));
    const c = client(net2, 'c', 'tap-room-c');
    await c.persistence.whenSynced;
    const a2 = client(net2, 'a', 'tap-room-a');
    const watch = encodeWatch(a2.doc);
    net2.connect('a', 'c');
    net2.flush();
    expect(readBoard(a2.doc)).toHaveLength(0); // IndexedDB has not answered yet
    expect(await a2.persistence.whenSynced).toEqual({ kind: 'loaded' });
    expect(readBoard(a2.doc)).toEqual(board);
    expect(watch.encoded.every((e) => !e)).toBe(true);
    expect(net2.pending()).toBe(0); // nothing was broadcast for the load
    expect(readBoard(c.doc)).toHaveLength(0);
    a2.provider.pushState();
    net2.flush();
    expect(readBoard(c.doc)).toEqual(board);
    a2.destroy();
    c.destroy();
  });
});
