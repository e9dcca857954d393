/**
 * The image store on fake-indexeddb (a complete in-memory IndexedDB, fresh per test): bytes come
 * back by hash after a "reload" (a new store object); a protected room's records hold neither
 * the bytes nor the hash in the clear and another secret reads nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { newRoomSecret } from '../secret/roomSecret';
import { makeIdbImageStore, OPEN_IMAGES_DB } from './imageStore';

const g = globalThis as Record<string, unknown>;
const SHA = 'ab'.repeat(32);
const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256);

/** every stored record, raw, of every database in the factory */
async function rawRecords(): Promise<{ db: string; key: unknown; value: Uint8Array }[]> {
  const factory = g.indexedDB as IDBFactory;
  const out: { db: string; key: unknown; value: Uint8Array }[] = [];
  for (const { name } of await factory.databases()) {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = factory.open(name!);
      r.onsuccess = () => resolve(r.result);
    });
    const store = db.transaction('images').objectStore('images');
    const [keys, values] = await Promise.all(
      [store.getAllKeys(), store.getAll()].map(
        (r) => new Promise<unknown[]>((resolve) => (r.onsuccess = () => resolve(r.result))),
      ),
    );
    keys!.forEach((key, i) => out.push({ db: name!, key, value: values![i] as Uint8Array }));
    db.close();
  }
  return out;
}

const contains = (hay: Uint8Array, needle: Uint8Array) =>
  Buffer.from(hay).includes(Buffer.from(needle));

describe('image store (IndexedDB)', () => {
  beforeEach(() => {
    g.indexedDB = new IDBFactory();
    g.IDBKeyRange = IDBKeyRange;
  });
  afterEach(() => {
    delete g.indexedDB;
    delete g.IDBKeyRange;
  });

  it('an open room keeps the bytes by hash across a reload', async () => {
    await makeIdbImageStore()!.put(SHA, bytes);
    expect(await makeIdbImageStore()!.get(SHA)).toEqual(bytes);
    expect(await makeIdbImageStore()!.get('cd'.repeat(32))).toBeNull();
    expect((await rawRecords()).map((r) => [r.db, r.key])).toEqual([[OPEN_IMAGES_DB, SHA]]);
  });

  it('a protected room seals them: no bytes or hash in the clear, another secret reads nothing', async () => {
    const secret = newRoomSecret();
    await makeIdbImageStore(secret)!.put(SHA, bytes);
    expect(await makeIdbImageStore(secret)!.get(SHA)).toEqual(bytes);
    expect(await makeIdbImageStore(newRoomSecret())!.get(SHA)).toBeNull();
    expect(await makeIdbImageStore()!.get(SHA)).toBeNull();
    const records = (await rawRecords()).filter((r) => r.value instanceof Uint8Array);
    expect(records).toHaveLength(1);
    const [rec] = records;
    expect(rec!.db).not.toBe(OPEN_IMAGES_DB);
    expect(rec!.key).not.toBe(SHA);
    expect(contains(rec!.value, bytes.subarray(0, 64))).toBe(false);
  });
});
