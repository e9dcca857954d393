/**
 * Shared folders over the real relay and real WebRTC peers (@roamhq/wrtc): a three-level tree
 * with twins, a zero-byte file and an empty directory arrives at a receiver who was there and at
 * one who joined later, with the same paths and SHA-256s; a file the sender cannot read is named
 * and the rest still goes. A malicious peer (raw mesh peer writing its own file_control frames)
 * offers folders whose paths climb out (`../../etc/passwd`), are absolute, collide, or are too
 * many: each folder is refused whole and none of its files is ever offered.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { FOLDER_MAX_ENTRIES } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import { describe, expect, it, vi } from 'vitest';
import {
  bytesSource,
  makeFolderReceive,
  makeMemorySink,
  makeTransfers,
  type FileSource,
  type Transfers,
} from '../src/transfer';
import { newTransferId } from '../src/transfer/messages';
import { makeGatedSource } from './kit/gatedSource';
import { rawPeer, type RawPeer } from './kit/rawPeer';
import { joinRoom, type Relay, type TestPeer } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const KiB = 1024;

interface FilePeer extends TestPeer {
  files: Transfers;
}

const { startRoom, defer } = useRelayRoom('folder');

function filePeer(relay: Relay, roomId: string, name: string): FilePeer {
  const p = joinRoom(relay.url, roomId, name);
  // small blocks: the larger files span several blocks and meta pages stay tiny
  const files = makeTransfers({
    room: p.room,
    blockChunks: 8,
    log: (m) => p.logs.push(`files: ${m}`),
  });
  defer(() => {
    files.destroy();
    p.room.destroy();
  });
  return { ...p, files };
}

const linked = (peers: FilePeer[]) =>
  vi.waitFor(
    () => {
      for (const p of peers) expect(p.room.openPeers()).toHaveLength(peers.length - 1);
    },
    { timeout: 30_000, interval: 50 },
  );

/** Receives a folder into memory; resolves to path -> SHA-256 of what arrived, plus results. */
async function receiveAll(peer: FilePeer, folderId: string) {
  const got = new Map<string, string>();
  const rx = makeFolderReceive(peer.files, folderId, {
    sinkFor: async (f) => makeMemorySink(f.path, ''),
    onFile: async (f, result) => {
      const blob = await result.blob();
      got.set(f.path, sha(new Uint8Array(await blob!.arrayBuffer())));
    },
  });
  defer(() => rx.destroy());
  const results = await rx.finished;
  return { got, results };
}

describe('shared folders between real peers', () => {
  it('a 3-level tree arrives with the same paths and SHA-256s, at a peer who was there and one who joined later', async () => {
    const { relay, roomId } = await startRoom();
    const alice = filePeer(relay, roomId, 'alice');
    const bob = filePeer(relay, roomId, 'bob');
    await linked([alice, bob]);

    const twin = randomFillSync(new Uint8Array(3 * KiB));
    const tree: Record<string, Uint8Array> = {
      'readme.txt': new TextEncoder().encode('hello folder\n'),
      'twin.bin': twin,
      'src/main.bin': randomFillSync(new Uint8Array(300 * KiB)),
      'src/twin.bin': twin.slice(),
      'src/deep/empty.txt': new Uint8Array(0),
      'src/deep/data.bin': randomFillSync(new Uint8Array(150 * KiB + 7)),
      'src/deep/ünïcode näme.txt': new TextEncoder().encode('named with accents'),
    };
    const id = alice.files.offerFolder({
      name: 'project',
      files: Object.entries(tree).map(([path, bytes]) => ({
        path,
        source: bytesSource(bytes, path),
      })),
      dirs: ['docs/empty'],
    });
    const total = Object.values(tree).reduce((n, b) => n + b.length, 0);

    await vi.waitFor(() => expect(bob.files.folder(id)).not.toBeNull(), { timeout: 20_000 });
    const seen = bob.files.folder(id)!;
    expect(seen).toMatchObject({ name: 'project', fileCount: 7, bytes: total, direction: 'in' });
    expect(seen.files.map((f) => f.path).sort()).toEqual(Object.keys(tree).sort());
    expect(seen.dirs).toEqual(['docs/empty']);

    const carol = filePeer(relay, roomId, 'carol');
    await linked([alice, bob, carol]);
    await vi.waitFor(() => expect(carol.files.folder(id)?.fileCount).toBe(7), { timeout: 20_000 });

    const [atBob, atCarol] = await Promise.all([receiveAll(bob, id), receiveAll(carol, id)]);
    const want = new Map(Object.entries(tree).map(([p, b]) => [p, sha(b)]));
    for (const { got, results } of [atBob, atCarol]) {
      expect(results.map((r) => [r.path, r.state])).toEqual(
        Object.keys(tree).map((p) => [p, 'done']),
      );
      expect(got).toEqual(want);
    }
    // each file was checked against the SHA-256 its sender announced
    for (const f of seen.files) expect(bob.files.get(f.id)?.sha256).toBe(want.get(f.path));
  });

  it('a declined folder stays declined: its files offered after the Decline are declined as they come', async () => {
    const { relay, roomId } = await startRoom({ prefix: 'folder-decline' });
    const alice = filePeer(relay, roomId, 'alice');
    const bob = filePeer(relay, roomId, 'bob');
    await linked([alice, bob]);
    // the sender hashes two files at a time: while these two cannot be read, the others wait
    // unoffered, and their offers come after the Decline
    const gated = ['slow1.bin', 'slow2.bin'].map((p) => {
      const g = makeGatedSource(randomFillSync(new Uint8Array(20 * KiB)), p, 0);
      g.shut();
      return { path: p, gate: g };
    });
    const later = ['a.txt', 'b.txt', 'c.txt'];
    const id = alice.files.offerFolder({
      name: 'bulk',
      files: [
        ...gated.map((g) => ({ path: g.path, source: g.gate.source })),
        ...later.map((p) => ({ path: p, source: bytesSource(new TextEncoder().encode(p), p) })),
      ],
    });
    await vi.waitFor(() => expect(bob.files.folder(id)?.fileCount).toBe(5), { timeout: 20_000 });
    const files = bob.files.folder(id)!.files;
    const idOf = (p: string) => files.find((f) => f.path === p)!.id;
    await vi.waitFor(
      () => {
        for (const g of gated) expect(bob.files.get(idOf(g.path))?.state).toBe('offered');
      },
      { timeout: 20_000 },
    );
    for (const p of later) expect(bob.files.get(idOf(p))).toBeNull();
    bob.files.declineFolder(id);
    for (const g of gated) g.gate.open();
    await vi.waitFor(
      () => {
        for (const f of files) {
          expect(bob.files.get(f.id)?.state).toBe('declined');
          expect(alice.files.get(f.id)?.receivers).toEqual([
            expect.objectContaining({ peerId: bob.room.clientId, state: 'declined' }),
          ]);
        }
      },
      { timeout: 20_000 },
    );
  });

  it('a manifest of many pages (300 files, long paths) reaches a late joiner whole; every file arrives', async () => {
    const { relay, roomId } = await startRoom({ prefix: 'folder-pages' });
    const alice = filePeer(relay, roomId, 'alice');
    const files = Array.from({ length: 300 }, (_, i) => {
      const path = `${'long-directory-name-'.repeat(8)}${i % 7}/${'file-'.repeat(30)}${i}.txt`;
      return { path, bytes: new TextEncoder().encode(`file number ${i}`) };
    });
    const id = alice.files.offerFolder({
      name: 'many',
      files: files.map((f) => ({ path: f.path, source: bytesSource(f.bytes, f.path) })),
    });
    // bob opens his link after the folder was offered: he gets every page, then the offers
    const bob = filePeer(relay, roomId, 'bob');
    await linked([alice, bob]);
    await vi.waitFor(() => expect(bob.files.folder(id)?.fileCount).toBe(300), { timeout: 20_000 });
    const { got, results } = await receiveAll(bob, id);
    expect(results.every((r) => r.state === 'done')).toBe(true);
    expect(got).toEqual(new Map(files.map((f) => [f.path, sha(f.bytes)])));
  });

  it('a file the sender cannot read is named; the rest of the folder still arrives', async () => {
    const { relay, roomId } = await startRoom({ prefix: 'folder-unreadable' });
    const alice = filePeer(relay, roomId, 'alice');
    const bob = filePeer(relay, roomId, 'bob');
    await linked([alice, bob]);
    const good = randomFillSync(new Uint8Array(20 * KiB));
    // what a browser File removed from disk after it was picked does: reading it throws
    const gone: FileSource = {
      name: 'gone.txt',
      size: 100,
      type: '',
      read: async () => {
        throw new Error('A requested file or directory could not be found');
      },
    };
    const id = alice.files.offerFolder({
      name: 'photos',
      files: [
        { path: 'a/gone.txt', source: gone },
        { path: 'a/good.bin', source: bytesSource(good, 'good.bin') },
      ],
    });
    const goneId = alice.files.folder(id)!.files.find((f) => f.path === 'a/gone.txt')!.id;
    await vi.waitFor(() => expect(alice.files.get(goneId)?.state).toBe('failed'));
    expect(alice.files.get(goneId)?.error).toMatch(/could not be read.*could not be found/);

    await vi.waitFor(() => expect(bob.files.folder(id)).not.toBeNull(), { timeout: 20_000 });
    const { got, results } = await receiveAll(bob, id);
    expect(got).toEqual(new Map([['a/good.bin', sha(good)]]));
    expect(results.find((r) => r.path === 'a/gone.txt')).toMatchObject({
      state: 'cancelled',
      error: 'The sender could not read it or stopped sharing it.',
    });
  });
});

// ---- attacks ----

const control = (msg: Record<string, unknown>): WireFrame => ({
  type: 'file_control',
  msg: msg as never,
});

/** A folder manifest (one page) and an offer for each of its files, as the attacker writes them. */
function evilFolder(paths: string[], count = paths.length) {
  const id = newTransferId();
  const files = paths.map((p) => ({ p, f: newTransferId(), s: 4 }));
  // the frame holds this object: a test may bend it before sending
  const msg = {
    type: 'folder',
    id,
    name: 'innocent',
    count,
    bytes: files.length * 4,
    first: 0,
    entries: files,
  };
  const manifest = control(msg);
  const offers = files.map((f) =>
    control({
      type: 'offer',
      id: f.f,
      name: f.p.slice(f.p.lastIndexOf('/') + 1) || 'x',
      size: 4,
      mime: '',
      chunk: 16 * KiB,
      block: 64,
      sha256: null,
      folder: id,
    }),
  );
  return { id, msg, manifest, offers };
}

describe('a malicious peer against shared folders', () => {
  async function setup() {
    const { relay, roomId } = await startRoom({ prefix: 'folder-attack' });
    const victim = filePeer(relay, roomId, 'victim');
    const evil: RawPeer = rawPeer(relay.url, roomId, 'evil');
    defer(() => evil.destroy());
    await vi.waitFor(() => expect(evil.mesh.link(victim.room.clientId)?.isOpen()).toBe(true), {
      timeout: 30_000,
      interval: 50,
    });
    return { victim, evil };
  }

  it('folders with ../ paths, absolute paths, duplicates or too many entries are refused whole; none of their files is offered', async () => {
    const { victim, evil } = await setup();
    const to = victim.room.clientId;
    const attacks = [
      { paths: ['notes.txt', '../../etc/passwd'], why: 'refused a ".." segment' },
      { paths: ['ok/../../../.ssh/authorized_keys'], why: 'refused a ".." segment' },
      { paths: ['/etc/passwd'], why: 'refused an absolute path' },
      { paths: ['C:/Windows/System32/evil.dll'], why: 'refused a drive letter' },
      { paths: ['a\\..\\..\\evil.bat'], why: 'refused a backslash' },
      { paths: ['a//b.txt'], why: 'refused an empty path segment' },
      { paths: ['invoice_\u202efdp.exe'], why: 'refused a control or bidi character' },
      { paths: ['same.txt', 'same.txt'], why: 'a duplicate path' },
      { paths: ['Readme.md', 'README.md'], why: 'a duplicate path' },
      { paths: ['x', 'x/y.txt'], why: 'both a file and a directory' },
      {
        paths: ['one.txt'],
        count: FOLDER_MAX_ENTRIES + 1,
        why: `more than ${FOLDER_MAX_ENTRIES} entries`,
      },
    ];
    const sent = attacks.map((a) => ({ ...a, ...evilFolder(a.paths, a.count) }));
    // manifests first: the victim logs the first 20 dropped frames with their reasons
    for (const a of sent) expect(evil.send(to, a.manifest)).toBe(true);
    for (const a of sent) for (const o of a.offers) expect(evil.send(to, o)).toBe(true);
    // an offer that names a folder never announced
    const orphan = evilFolder(['orphan.txt']);
    for (const o of orphan.offers) expect(evil.send(to, o)).toBe(true);
    // last, an honest-looking folder from the same peer: it shows, so the ones before were read
    const fine = evilFolder(['docs/fine.txt']);
    expect(evil.send(to, fine.manifest)).toBe(true);
    for (const o of fine.offers) expect(evil.send(to, o)).toBe(true);

    await vi.waitFor(() => expect(victim.files.folder(fine.id)?.fileCount).toBe(1), {
      timeout: 10_000,
    });
    await vi.waitFor(() => expect(victim.files.list()).toHaveLength(1));
    expect(victim.files.folders().map((f) => f.id)).toEqual([fine.id]);
    expect(victim.files.list()[0]!.name).toBe('fine.txt');
    const logs = victim.logs.join('\n');
    for (const a of sent) expect(logs).toContain(a.why);
    expect(logs).toContain('offer names a folder this peer did not announce');
    expect(logs).not.toContain('threw');
  });

  it('a manifest cannot smuggle files past its announced count or total, take over a file id already in use, or name itself out of its directory', async () => {
    const { victim, evil } = await setup();
    const to = victim.room.clientId;
    // says one entry, then a second page adds more
    const short = evilFolder(['a.txt']);
    evil.send(to, short.manifest);
    for (const o of short.offers) evil.send(to, o);
    evil.send(
      to,
      control({
        type: 'folder',
        id: short.id,
        name: 'innocent',
        count: 1,
        bytes: 4,
        first: 1,
        entries: [{ p: 'b.txt', f: newTransferId(), s: 4 }],
      }),
    );
    // files larger than the total it announced
    const big = evilFolder(['big.bin']);
    big.msg.bytes = 1;
    evil.send(to, big.manifest);
    for (const o of big.offers) evil.send(to, o);
    // a second folder listing the first folder's file id
    const first = evilFolder(['first.txt']);
    evil.send(to, first.manifest);
    const thief = evilFolder(['thief.txt']);
    thief.msg.entries[0]!.f = first.msg.entries[0]!.f;
    evil.send(to, thief.manifest);
    for (const o of first.offers) evil.send(to, o);
    // a folder name that would climb out of the directory or the zip it is saved as
    const climber = evilFolder(['inside.txt']);
    climber.msg.name = '../../\u202e..';
    evil.send(to, climber.manifest);
    for (const o of climber.offers) evil.send(to, o);

    await vi.waitFor(() => expect(victim.files.list()).toHaveLength(3), { timeout: 10_000 });
    const shown = victim.files.folders().map((f) => f.id);
    expect(shown.sort()).toEqual([short.id, first.id, climber.id].sort());
    expect(victim.files.folder(climber.id)!.name).toBe('.._.._..');
    expect(victim.files.folder(short.id)!.files.map((f) => f.path)).toEqual(['a.txt']);
    const logs = victim.logs.join('\n');
    expect(logs).toContain('more entries than announced');
    expect(logs).toContain('files larger than the announced total');
    expect(logs).toContain('a transfer id used twice');
  });
});
