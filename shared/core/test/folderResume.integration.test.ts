/**
 * A received folder resumes per file after the receiver's session ends (a closed tab, a crash),
 * over the real relay and real @roamhq/wrtc peers. Bob saves Alice's folder into a directory on
 * disk (file sinks whose bytes outlive the session, as a browser's directory handle does) and
 * keeps a folder record in his resume store; his session is destroyed while one large file is
 * part-way. A new session of Bob finds the record by the folder's tree, saves into the same
 * directory again, and every file there is read back against Alice's block hashes:
 * - whole files are not sent again (Alice sends them no chunk at all);
 * - the part-way file continues after its kept blocks;
 * - a file changed on disk while Bob was away is fetched again from its first bad block.
 * Then the same when Alice also left and shares the folder again (new folder and file ids).
 */
import { createHash, randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  bytesSource,
  makeFolderReceive,
  makeFolderResume,
  makeMemoryResumeBackend,
  makeResumeStore,
  makeTransfers,
  type FolderView,
  type ResumeStore,
  type Transfers,
} from '../src/transfer';
import { makeFileSink } from './kit/fileSink';
import { joinRoom, startRelay, uniqueRoom, type Relay, type TestPeer } from './kit/relay';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const BLOCK_CHUNKS = 4;
const BLOCK = FILE_CHUNK_BYTES * BLOCK_CHUNKS;
const TIMEOUT = { timeout: 30_000, interval: 50 };
/** the large file: 30 blocks, its sender held after 9 of them */
const BIG = BLOCK * 30 - 333;
const HELD = BLOCK * 9;

const bytes = (n: number) => randomFillSync(new Uint8Array(n));
const tree = {
  'a.txt': bytes(BLOCK * 3 + 100),
  'docs/b.bin': bytes(BLOCK * 5),
  'docs/deep/big.bin': bytes(BIG),
};
type Path = keyof typeof tree;
const PATHS = Object.keys(tree) as Path[];

type Sent = { id: string; index: number; bytes: number };
interface Peer extends TestPeer {
  files: Transfers;
}

let relay: Relay;
let root: string;
const live: Peer[] = [];
beforeAll(async () => {
  relay = await startRelay();
  root = await mkdtemp(path.join(tmpdir(), 'peerboard-folder-resume-'));
});
afterEach(() => {
  for (const p of live.splice(0)) crash(p);
});
afterAll(async () => {
  await relay?.close();
  await rm(root, { recursive: true, force: true });
});

function join(roomId: string, name: string, o: { resume?: ResumeStore; sent?: Sent[] } = {}) {
  const p = joinRoom(relay.url, roomId, name);
  const files = makeTransfers({
    room: p.room,
    blockChunks: BLOCK_CHUNKS,
    log: (m) => p.logs.push(`files: ${m}`),
    resume: o.resume,
    onChunkSent: (_to, id, index, n) => void o.sent?.push({ id, index, bytes: n }),
  });
  const peer = { ...p, files };
  live.push(peer);
  return peer;
}
/** the session ends as a closed tab's does: transfers first (they keep what is durable) */
function crash(p: Peer) {
  p.files.destroy();
  p.room.destroy();
  const i = live.indexOf(p);
  if (i >= 0) live.splice(i, 1);
}

/**
 * big.bin's source as Alice's page sees it. The sender serves one peer's requests in order, so a
 * read that waits holds back every file behind it: its reads first wait for `start()` (the small
 * files are offered and received before big.bin is even hashed), and once the sender has read it
 * whole (its hash), serving reads past HELD wait for `open()`.
 */
function heldSource(data: Uint8Array, name: string) {
  let started!: () => void;
  const start = new Promise<void>((r) => (started = r));
  let released!: () => void;
  const gate = new Promise<void>((r) => (released = r));
  let read = 0;
  let shut = false;
  let opened = false;
  return {
    source: {
      name,
      size: data.length,
      type: '',
      async read(offset: number, length: number) {
        await start;
        if (shut && offset + length > HELD) await gate;
        read += length;
        if (read >= data.length && !opened) shut = true;
        return data.subarray(offset, offset + length);
      },
    },
    start: () => started(),
    open() {
      opened = true;
      shut = false;
      started();
      released();
    },
  };
}

/** Alice's folder; with `held`, big.bin waits as heldSource says. */
function share(alice: Peer, held: boolean) {
  const gated = heldSource(tree['docs/deep/big.bin'], 'big.bin');
  if (!held) gated.open();
  const id = alice.files.offerFolder({
    name: 'holiday',
    files: PATHS.map((p) =>
      p === 'docs/deep/big.bin'
        ? { path: p, source: gated.source }
        : { path: p, source: bytesSource(tree[p], path.basename(p)) },
    ),
    dirs: ['empty'],
  });
  return { id, gated };
}

const shapeOf = (f: FolderView) => ({
  name: f.name,
  bytes: f.bytes,
  peerId: f.peerId,
  files: f.files.map(({ path: p, size }) => ({ path: p, size })),
  dirs: f.dirs,
});

/** Bob saves the folder into `dir`, continuing whatever is there (as folderSave.ts does). */
function receiveInto(bob: Peer, folderId: string, dir: string) {
  return makeFolderReceive(bob.files, folderId, {
    async sinkFor(f) {
      const file = path.join(dir, f.path);
      await mkdir(path.dirname(file), { recursive: true });
      return makeFileSink(file);
    },
  });
}

const folderOf = async (bob: Peer) => {
  await vi.waitFor(() => expect(bob.files.folders()).toHaveLength(1), TIMEOUT);
  return bob.files.folders()[0]!;
};

const idOf = (f: FolderView, p: Path) => f.files.find((x) => x.path === p)!.id;

/** Bob receives into a fresh directory until the small files are in and big.bin is at HELD. */
async function partway(roomId: string, store: ResumeStore, sent: Sent[]) {
  const alice = join(roomId, 'Alice', { sent });
  const bob = join(roomId, 'Bob', { resume: store });
  const { gated } = share(alice, true);
  const folder = await folderOf(bob);
  const bigId = idOf(folder, 'docs/deep/big.bin');
  const dir = path.join(root, roomId);
  await makeFolderResume(store).keep(shapeOf(folder), {
    kind: 'folder',
    mode: 'directory',
    handle: { dir },
  });
  void receiveInto(bob, folder.id, dir);
  await vi.waitFor(() => {
    expect(bob.files.get(idOf(folder, 'a.txt'))?.state).toBe('done');
    expect(bob.files.get(idOf(folder, 'docs/b.bin'))?.state).toBe('done');
  }, TIMEOUT);
  gated.start();
  await vi.waitFor(() => {
    expect(bob.files.get(bigId)?.sha256).toBe(sha(tree['docs/deep/big.bin']));
    expect(bob.files.get(bigId)?.bytes).toBe(HELD);
  }, TIMEOUT);
  // verified is counted before the block's write resolves: crash once it is on disk
  const big = path.join(dir, 'docs/deep/big.bin');
  await vi.waitFor(async () => expect((await stat(big)).size).toBe(HELD), TIMEOUT);
  crash(bob);
  return { alice, gated, dir };
}

/** The new Bob finds where he was saving, saves there again; returns path -> SHA-256. */
async function resume(bob: Peer, store: ResumeStore) {
  const folder = await folderOf(bob);
  const place = await makeFolderResume(store).find(shapeOf(folder));
  expect(place).toMatchObject({ kind: 'folder', mode: 'directory' });
  const { dir } = (place as { handle: { dir: string } }).handle;
  const results = await receiveInto(bob, folder.id, dir).finished;
  expect(results.map((r) => [r.path, r.state])).toEqual(PATHS.map((p) => [p, 'done']));
  const got: Record<string, string> = {};
  for (const p of PATHS) got[p] = sha(await readFile(path.join(dir, p)));
  return { folder, got };
}

const want = Object.fromEntries(PATHS.map((p) => [p, sha(tree[p])]));

describe('a received folder resumes per file after the receiver leaves (real WebRTC)', () => {
  it('whole files are not sent again, the part-way one continues, a file changed on disk is fetched again', async () => {
    const roomId = uniqueRoom('folderresume');
    const store = makeResumeStore(makeMemoryResumeBackend(), { roomId });
    const sent: Sent[] = [];
    const { gated, dir } = await partway(roomId, store, sent);
    // while Bob is away, one byte of b.bin's second block changes on his disk
    const b = await readFile(path.join(dir, 'docs/b.bin'));
    b[BLOCK + 3]! ^= 0xff;
    await writeFile(path.join(dir, 'docs/b.bin'), b);
    const before = sent.length;

    const bob2 = join(roomId, 'Bob', { resume: store });
    gated.open();
    const { folder, got } = await resume(bob2, store);
    expect(got).toEqual(want);

    const again = sent.slice(before);
    const of = (p: Path) => again.filter((s) => s.id === idOf(folder, p));
    expect(of('a.txt')).toEqual([]);
    expect(Math.min(...of('docs/b.bin').map((s) => s.index))).toBe(BLOCK_CHUNKS);
    expect(of('docs/b.bin').reduce((n, s) => n + s.bytes, 0)).toBe(BLOCK * 4);
    const big = of('docs/deep/big.bin');
    expect(Math.min(...big.map((s) => s.index))).toBe(HELD / FILE_CHUNK_BYTES);
    expect(new Set(big.map((s) => s.index)).size).toBe(big.length);
    expect(big.reduce((n, s) => n + s.bytes, 0)).toBe(BIG - HELD);
    // finished: the folder's record is Bob's to drop (folderSave.ts does), the files' are gone
    await vi.waitFor(
      async () => expect(await store.find(sha(tree['docs/deep/big.bin']))).toBeNull(),
      TIMEOUT,
    );
  }, 90_000);

  it('Alice left too and shares the same folder again: found by its tree, only the missing part is sent', async () => {
    const roomId = uniqueRoom('folderreshare');
    const store = makeResumeStore(makeMemoryResumeBackend(), { roomId });
    const { alice } = await partway(roomId, store, []);
    crash(alice);

    const bob2 = join(roomId, 'Bob', { resume: store });
    const sent: Sent[] = [];
    const alice2 = join(roomId, 'Alice', { sent });
    const { id } = share(alice2, false);
    const { folder, got } = await resume(bob2, store);
    expect(folder.id).toBe(id);
    expect(got).toEqual(want);
    const of = (p: Path) => sent.filter((s) => s.id === idOf(folder, p));
    expect(of('a.txt')).toEqual([]);
    expect(of('docs/b.bin')).toEqual([]);
    expect(Math.min(...of('docs/deep/big.bin').map((s) => s.index))).toBe(HELD / FILE_CHUNK_BYTES);
    expect(sent.reduce((n, s) => n + s.bytes, 0)).toBe(BIG - HELD);
  }, 90_000);
});
