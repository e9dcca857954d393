/**
 * A folder's sender leaves mid-way and comes back (a new session) to share the same folder
 * again, over the real relay and real @roamhq/wrtc peers. The receiver keeps one folder: a file
 * it had finished is not sent again, the file it was part-way through continues from its last
 * verified block, and the file it had not started comes whole. The new session's sender counts
 * every chunk it sends. Someone else who shares the same tree with other content in a file does
 * not get that file's kept bytes joined to theirs: that download stops.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  bytesSource,
  makeFolderReceive,
  makeMemorySink,
  makeTransfers,
  type FolderSource,
  type Transfers,
} from '../src/transfer';
import { makeGatedSource } from './kit/gatedSource';
import { fullMesh, joinRoom, startRelay, uniqueRoom, type Relay, type TestPeer } from './kit/relay';

const KiB = 1024;
const BLOCK_CHUNKS = 8;
/** three whole blocks: the gate holds the big file there */
const HELD = FILE_CHUNK_BYTES * BLOCK_CHUNKS * 3;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let relay: Relay;
const live: { peer: TestPeer; files: Transfers }[] = [];

function join(roomId: string, name: string, sent: { id: string; index: number }[] = []) {
  const peer = joinRoom(relay.url, roomId, name);
  const files = makeTransfers({
    room: peer.room,
    blockChunks: BLOCK_CHUNKS,
    log: (m) => peer.logs.push(`files: ${m}`),
    onChunkSent: (_p, id, index) => void sent.push({ id, index }),
  });
  const p = { peer, files };
  live.push(p);
  return p;
}
const leave = (p: { peer: TestPeer; files: Transfers }) => {
  p.files.destroy();
  p.peer.room.destroy();
};

beforeAll(async () => {
  relay = await startRelay();
});
afterEach(() => {
  for (const p of live.splice(0)) leave(p);
});
afterAll(async () => {
  await relay?.close();
});

describe('a re-shared folder continues per file (real WebRTC)', () => {
  it('the sender leaves and shares the same folder again: finished files are not resent, a part-way file continues, nothing verified is sent twice', async () => {
    const roomId = uniqueRoom('folder-reshare');
    const alice = join(roomId, 'Alice');
    const bob = join(roomId, 'Bob');
    await vi.waitFor(() => expect(fullMesh([alice.peer, bob.peer])).toBe(true), {
      timeout: 20_000,
    });
    const tree: Record<string, Uint8Array> = {
      'first.txt': new TextEncoder().encode('finished before the sender left'),
      'media/big.bin': randomFillSync(new Uint8Array(1024 * KiB)),
      'media/later.bin': randomFillSync(new Uint8Array(200 * KiB)),
    };
    const gated = makeGatedSource(tree['media/big.bin']!, 'big.bin', HELD);
    const folderOf = (big: FolderSource['files'][number]['source']): FolderSource => ({
      name: 'trip',
      files: [
        { path: 'first.txt', source: bytesSource(tree['first.txt']!, 'first.txt') },
        { path: 'media/big.bin', source: big },
        { path: 'media/later.bin', source: bytesSource(tree['media/later.bin']!, 'later.bin') },
      ],
      dirs: ['empty'],
    });
    const folderId = alice.files.offerFolder(folderOf(gated.source));
    await vi.waitFor(
      () => {
        for (const f of alice.files.folder(folderId)!.files)
          expect(alice.files.get(f.id)?.state).toBe('offered');
        expect(bob.files.folder(folderId)?.fileCount).toBe(3);
      },
      { timeout: 20_000 },
    );
    gated.shut();
    const oldFiles = bob.files.folder(folderId)!.files;
    const oldId = (path: string) => oldFiles.find((f) => f.path === path)!.id;

    // one file at a time, in manifest order: first.txt done, big.bin held, later.bin untaken
    const got = new Map<string, string>();
    const rx = makeFolderReceive(bob.files, folderId, {
      concurrency: 1,
      sinkFor: async (f) => makeMemorySink(f.path, ''),
      onFile: async (f, result) => {
        got.set(f.path, sha(new Uint8Array(await (await result.blob())!.arrayBuffer())));
      },
    });
    live.push({ peer: bob.peer, files: { destroy: () => rx.destroy() } as Transfers });
    await vi.waitFor(() => expect(bob.files.get(oldId('media/big.bin'))?.bytes).toBe(HELD), {
      timeout: 20_000,
    });
    expect(bob.files.get(oldId('first.txt'))?.state).toBe('done');
    expect(bob.files.get(oldId('media/later.bin'))?.state).toBe('offered');

    leave(alice);
    gated.open();
    await vi.waitFor(() => expect(bob.files.get(oldId('media/big.bin'))?.peerOnline).toBe(false), {
      timeout: 20_000,
    });

    const sent: { id: string; index: number }[] = [];
    const again = join(roomId, 'Alice', sent);
    const newId = again.files.offerFolder(folderOf(bytesSource(tree['media/big.bin']!, 'big.bin')));
    const results = await rx.finished;
    expect(results.map((r) => [r.path, r.state])).toEqual([
      ['first.txt', 'done'],
      ['media/big.bin', 'done'],
      ['media/later.bin', 'done'],
    ]);
    expect(got).toEqual(new Map(Object.entries(tree).map(([p, b]) => [p, sha(b)])));

    // Bob sees one folder, the one he was saving, now from the new session
    const folders = bob.files.folders();
    expect(folders.map((f) => [f.id, f.peerId])).toEqual([[folderId, again.peer.room.clientId]]);
    const newFiles = again.files.folder(newId)!.files;
    const newOf = (path: string) => newFiles.find((f) => f.path === path)!.id;
    expect(folders[0]!.files.map((f) => f.id).sort()).toEqual(
      [oldId('first.txt'), newOf('media/big.bin'), newOf('media/later.bin')].sort(),
    );

    // what the new session sent: nothing of first.txt, big.bin from its first unverified block,
    // later.bin whole; every chunk once
    const chunks = (size: number) => Math.ceil(size / FILE_CHUNK_BYTES);
    const of = (path: string) =>
      sent
        .filter((s) => s.id === newOf(path))
        .map((s) => s.index)
        .sort((x, y) => x - y);
    expect(of('first.txt')).toEqual([]);
    const big = of('media/big.bin');
    expect(big[0]).toBe(HELD / FILE_CHUNK_BYTES);
    expect(big).toEqual([...new Set(big)]);
    expect(big).toHaveLength(chunks(tree['media/big.bin']!.length) - HELD / FILE_CHUNK_BYTES);
    expect(of('media/later.bin')).toHaveLength(chunks(tree['media/later.bin']!.length));
    expect(sent).toHaveLength(big.length + chunks(tree['media/later.bin']!.length));

    // the new session hears that Bob has every file, the finished one included
    await vi.waitFor(
      () => {
        for (const f of newFiles)
          expect(again.files.get(f.id)?.receivers).toEqual([
            expect.objectContaining({ peerId: bob.peer.room.clientId, state: 'done' }),
          ]);
      },
      { timeout: 20_000 },
    );
  }, 90_000);

  it('someone else re-shares the same tree with other content in a file: the part-way download of that file stops; kept bytes are never joined to other content', async () => {
    const roomId = uniqueRoom('folder-reshare-other');
    const alice = join(roomId, 'Alice');
    const bob = join(roomId, 'Bob');
    await vi.waitFor(() => expect(fullMesh([alice.peer, bob.peer])).toBe(true), {
      timeout: 20_000,
    });
    const big = randomFillSync(new Uint8Array(1024 * KiB));
    const gated = makeGatedSource(big, 'big.bin', HELD);
    const folderId = alice.files.offerFolder({
      name: 'trip',
      files: [{ path: 'big.bin', source: gated.source }],
    });
    await vi.waitFor(
      () =>
        expect(alice.files.get(alice.files.folder(folderId)!.files[0]!.id)?.state).toBe('offered'),
      { timeout: 20_000 },
    );
    await vi.waitFor(() => expect(bob.files.folder(folderId)?.fileCount).toBe(1), {
      timeout: 20_000,
    });
    gated.shut();
    const bigId = bob.files.folder(folderId)!.files[0]!.id;
    const rx = makeFolderReceive(bob.files, folderId, {
      sinkFor: async (f) => makeMemorySink(f.path, ''),
    });
    live.push({ peer: bob.peer, files: { destroy: () => rx.destroy() } as Transfers });
    await vi.waitFor(() => expect(bob.files.get(bigId)?.bytes).toBe(HELD), { timeout: 20_000 });
    leave(alice);
    gated.open();
    await vi.waitFor(() => expect(bob.files.get(bigId)?.peerOnline).toBe(false), {
      timeout: 20_000,
    });

    // Mallory shares a folder of the same name, path and size, with other bytes in it
    const sent: { id: string; index: number }[] = [];
    const mallory = join(roomId, 'Mallory', sent);
    const other = randomFillSync(new Uint8Array(big.length));
    mallory.files.offerFolder({
      name: 'trip',
      files: [{ path: 'big.bin', source: bytesSource(other, 'big.bin') }],
    });
    const results = await rx.finished;
    expect(results.map((r) => [r.path, r.state])).toEqual([['big.bin', 'cancelled']]);
    expect(bob.files.received(bigId)).toBeNull();
    // nothing of Mallory's file was asked for under the download Alice's bytes started
    expect(sent).toEqual([]);
  }, 90_000);
});
