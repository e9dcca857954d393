/**
 * The resume records on fake-indexeddb (a complete in-memory IndexedDB, a fresh factory per
 * test): what a later session finds, what "Forget" removes, and what someone reading this
 * browser's storage learns of a protected room's downloads (no name, no content hash).
 */
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { newSecretRoom } from '../secret/roomSecret';
import { makeIdbResumeBackend, makeResumeStore, type ResumeRecord } from './resumeStore';

const SHA = 'ab'.repeat(32);
const record = (over: Partial<ResumeRecord> = {}): ResumeRecord => ({
  sha256: SHA,
  size: 315_000_000,
  chunk: 16_363,
  block: 64,
  name: 'quarterly-secrets.mov',
  mime: 'video/quicktime',
  sender: 'alice-id',
  bytes: 93_000_000,
  place: { kind: 'opfs', base: 'peerboard-0123' },
  ...over,
});

let idb: IDBFactory;
beforeEach(() => {
  idb = new IDBFactory();
});

describe('resume store', () => {
  it('a later session (a new store over the same database) finds the record; drop forgets it', async () => {
    await makeResumeStore(makeIdbResumeBackend(idb), { roomId: 'room-a' }).put(record());
    const later = makeResumeStore(makeIdbResumeBackend(idb), { roomId: 'room-a' });
    expect(await later.find(SHA)).toEqual(record());
    // another room does not see it
    expect(await makeResumeStore(makeIdbResumeBackend(idb), { roomId: 'room-b' }).find(SHA)).toBe(
      null,
    );
    const discarded: unknown[] = [];
    const s = makeResumeStore(makeIdbResumeBackend(idb), {
      roomId: 'room-a',
      discardPlace: async (p) => void discarded.push(p),
    });
    await s.drop(SHA, false);
    expect(await s.find(SHA)).toBeNull();
    expect(discarded).toEqual([]);
  });

  it('declined: drop with discard deletes the partial bytes too', async () => {
    const discarded: unknown[] = [];
    const s = makeResumeStore(makeIdbResumeBackend(idb), {
      roomId: 'room-a',
      discardPlace: async (p) => void discarded.push(p),
    });
    await s.put(record());
    await s.drop(SHA, true);
    expect(discarded).toEqual([record().place]);
    expect(await s.find(SHA)).toBeNull();
  });

  it('"Forget this room" removes that room\'s records and partials, and no other room\'s', async () => {
    const discarded: unknown[] = [];
    const discardPlace = async (p: unknown) => void discarded.push(p);
    const backend = makeIdbResumeBackend(idb);
    const a = makeResumeStore(backend, { roomId: 'room-a', discardPlace });
    const b = makeResumeStore(backend, { roomId: 'room-b', discardPlace });
    await a.put(record());
    await a.put(record({ sha256: 'cd'.repeat(32), place: 'p2' }));
    await b.put(record({ place: 'p3' }));
    await a.clear();
    expect(await a.find(SHA)).toBeNull();
    expect(discarded).toEqual(expect.arrayContaining([record().place, 'p2']));
    expect(discarded).toHaveLength(2);
    expect(await b.find(SHA)).toMatchObject({ place: 'p3' });
  });

  it('a protected room stores no room id, file name or content hash in the clear, and needs the secret', async () => {
    const { roomId, secret } = await newSecretRoom();
    const backend = makeIdbResumeBackend(idb);
    const s = makeResumeStore(backend, { roomId, secret });
    await s.put(record());
    expect(await s.find(SHA)).toEqual(record());

    const rows = await backend.all();
    expect(rows).toHaveLength(1);
    const dump = JSON.stringify(rows, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    for (const clear of [roomId, 'quarterly-secrets', 'video/quicktime', SHA, 'alice-id'])
      expect(dump).not.toContain(clear);

    // the room id alone (a bare /r/<id> link) or another secret finds nothing
    expect(await makeResumeStore(backend, { roomId }).find(SHA)).toBeNull();
    const other = await newSecretRoom();
    expect(await makeResumeStore(backend, { roomId, secret: other.secret }).find(SHA)).toBeNull();
  });

  it('a record damaged in storage is ignored, not trusted', async () => {
    const backend = makeIdbResumeBackend(idb);
    const s = makeResumeStore(backend, { roomId: 'room-a' });
    await s.put(record());
    const [row] = await backend.all();
    await backend.put({ ...row!, body: { ...(row!.body as object), bytes: -5 } });
    expect(await s.find(SHA)).toBeNull();
  });
});
