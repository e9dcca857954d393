/**
 * The keeper's image store (keeperImages.ts) behind the room's image exchange, in process, with
 * real WebRTC peers over the real relay: fetched bytes go to disk and leave memory (a keeper may
 * hold more pictures than fit there), the exchange serves them from disk to a peer who joins
 * after the inserter left, and bytes changed on disk behind its back are never served.
 */
import { createHash, randomFillSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTransfers, type Transfers } from '@peerboard/core/transfer';
import { openKeeperImages } from '../../src/cli/keeperImages';
import {
  fullMesh,
  joinRoom,
  startRelay,
  uniqueRoom,
  type Relay,
  type TestPeer,
} from '../../../shared/core/test/kit/relay';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
function fakePng(bytes: number): Uint8Array {
  const b = randomFillSync(new Uint8Array(bytes));
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return b;
}

let relay: Relay;
let tmp: string;
const live: { peer: TestPeer; files: Transfers }[] = [];

function join(roomId: string, name: string, dir?: string, said: string[] = []) {
  const peer = joinRoom(relay.url, roomId, name);
  const imageStore = dir
    ? openKeeperImages(dir, null, {
        maxTotal: 10 * 1024 * 1024,
        otherUsed: () => 0,
        say: (m) => said.push(m),
      })
    : undefined;
  const files = makeTransfers({ room: peer.room, log: () => {}, imageStore });
  const p = { peer, files };
  live.push(p);
  return p;
}
function leave(p: { peer: TestPeer; files: Transfers }) {
  p.files.destroy();
  p.peer.room.destroy();
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'peerboard-keeper-images-'));
  relay = await startRelay();
});
afterEach(() => {
  for (const p of live.splice(0)) leave(p);
});
afterAll(async () => {
  await relay?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("the keeper's image store under the image exchange (real WebRTC)", () => {
  it('keeps fetched bytes on disk, not in memory, and serves them from disk after the inserter left', async () => {
    const roomId = uniqueRoom('keeperimg');
    const dir = path.join(tmp, 'served');
    const said: string[] = [];
    const alice = join(roomId, 'Alice');
    const keeper = join(roomId, 'Keeper', dir, said);
    await vi.waitFor(() => expect(fullMesh([alice.peer, keeper.peer])).toBe(true), {
      timeout: 20_000,
    });
    const png = fakePng(700 * 1024);
    const hash = sha(png);
    await alice.files.images.add(png);
    keeper.files.images.want(hash);
    await vi.waitFor(() => expect(said).toEqual(['Kept an image of 700 KiB of the board.']), {
      timeout: 20_000,
    });
    expect(keeper.files.images.status(hash)).toBe('ready');
    expect(keeper.files.images.get(hash)).toBeNull();
    expect(sha(await fs.readFile(path.join(dir, `${hash}.img`)))).toBe(hash);
    leave(alice);

    const carol = join(roomId, 'Carol');
    carol.files.images.want(hash);
    await vi.waitFor(() => expect(carol.files.images.status(hash)).toBe('ready'), {
      timeout: 20_000,
    });
    expect(sha(carol.files.images.get(hash)!)).toBe(hash);
  }, 60_000);

  it('bytes swapped on disk behind its back are not served', async () => {
    const roomId = uniqueRoom('keeperswap');
    const dir = path.join(tmp, 'swapped');
    const said: string[] = [];
    const alice = join(roomId, 'Alice');
    const keeper = join(roomId, 'Keeper', dir, said);
    await vi.waitFor(() => expect(fullMesh([alice.peer, keeper.peer])).toBe(true), {
      timeout: 20_000,
    });
    const png = fakePng(100 * 1024);
    const hash = sha(png);
    await alice.files.images.add(png);
    keeper.files.images.want(hash);
    await vi.waitFor(() => expect(said).toHaveLength(1), { timeout: 20_000 });
    leave(alice);
    // another valid PNG under the same name: the keeper would serve a picture nobody pasted
    await fs.writeFile(path.join(dir, `${hash}.img`), fakePng(100 * 1024));

    const carol = join(roomId, 'Carol');
    carol.files.images.want(hash);
    await vi.waitFor(() => expect(carol.files.images.status(hash)).toBe('missing'), {
      timeout: 20_000,
    });
    expect(carol.files.images.get(hash)).toBeNull();
  }, 60_000);
});
