/**
 * makeTransfers over the in-memory network (real wire encoding, async delivery, cuttable links):
 * edge sizes end to end, resume bookkeeping, hash mismatch, swarm with a lying holder, cancel.
 * The real WebRTC path is covered in shared/core/test/transfer.integration.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DAMAGED } from './incoming';
import { makeMemoryNetwork } from '../../test/kit/memoryRooms';
import { makeMemorySink } from './sink';
import { bytesSource, type FileSource } from './source';
import { makeTransfers, type Transfers } from './transfers';
import type { TransferState } from './types';

const CHUNK = 1024;
const BLOCK = 4;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const random = (n: number, seed = 1) => {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
};

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function setup(ids: string[], opts: Partial<Parameters<typeof makeTransfers>[0]> = {}) {
  const net = makeMemoryNetwork();
  const logs = new Map<string, string[]>();
  const sent = new Map<string, number[]>();
  const t: Record<string, Transfers> = {};
  for (const id of ids) {
    logs.set(id, []);
    sent.set(id, []);
    t[id] = makeTransfers({
      room: net.room(id),
      chunkBytes: CHUNK,
      blockChunks: BLOCK,
      windowBlocks: 4,
      perHolderBlocks: 2,
      log: (m) => logs.get(id)!.push(m),
      ...opts,
      onChunkSent: (p, tid, index, n) => {
        sent.get(id)!.push(index);
        opts.onChunkSent?.(p, tid, index, n);
      },
    });
    cleanup.push(() => t[id]!.destroy());
  }
  return { net, t, logs, sent };
}

function waitState(t: Transfers, id: string, states: TransferState[], timeoutMs = 10_000) {
  return new Promise<TransferState>((resolve, reject) => {
    const check = () => {
      const v = t.get(id);
      if (v && states.includes(v.state)) {
        off();
        clearTimeout(timer);
        resolve(v.state);
      }
    };
    const off = t.on('state', check);
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(`timed out waiting for ${states} (now ${t.get(id)?.state}: ${t.get(id)?.error})`),
      );
    }, timeoutMs);
    check();
  });
}

const nextOffer = (t: Transfers) =>
  new Promise<string>((resolve) => {
    const off = t.on('state', (e) => {
      if (e.direction === 'in' && e.state === 'offered') {
        off();
        resolve(e.id);
      }
    });
  });

async function bytesOf(t: Transfers, id: string) {
  const blob = await t.received(id)!.blob();
  return new Uint8Array(await blob!.arrayBuffer());
}

describe('transfers over an in-memory network', () => {
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['exact multiple of the chunk size', CHUNK * BLOCK * 3],
    ['exact multiple + 1 B', CHUNK * BLOCK * 3 + 1],
    ['odd size', 12_345],
  ])('%s arrives byte-identical with a matching SHA-256', async (_n, size) => {
    const { net, t } = setup(['a', 'b']);
    net.connect('a', 'b');
    const data = random(size, size + 7);
    const offered = nextOffer(t.b!);
    const id = t.a!.offer(bytesSource(data, 'f.bin', 'application/octet-stream'));
    expect(await offered).toBe(id);
    expect(t.b!.get(id)).toMatchObject({ name: 'f.bin', size, state: 'offered', direction: 'in' });
    await t.b!.accept(id);
    await waitState(t.b!, id, ['done']);
    expect(await bytesOf(t.b!, id)).toEqual(data);
    expect(t.b!.get(id)!.sha256).toBe(sha(data));
    expect(t.a!.get(id)!.sha256).toBe(sha(data));
    // the sender sees the receiver done
    await waitUntil(() => t.a!.get(id)!.receivers[0]?.state === 'done');
  });

  it('decline is reported to the sender; nothing is sent', async () => {
    const { net, t, sent } = setup(['a', 'b']);
    net.connect('a', 'b');
    const offered = nextOffer(t.b!);
    const id = t.a!.offer(bytesSource(random(10_000), 'x'));
    await offered;
    t.b!.decline(id);
    await waitUntil(() => t.a!.get(id)!.receivers[0]?.state === 'declined');
    expect(t.b!.get(id)!.state).toBe('declined');
    expect(sent.get('a')).toEqual([]);
  });

  it('resume: a cut link continues from the last confirmed chunk, never resending it', async () => {
    let cutAt = -1;
    const { net, t, sent } = setup(['a', 'b'], {
      onChunkSent: (_p, _id, index) => {
        if (cutAt < 0 && index === 70) {
          cutAt = index;
          net.cut('a', 'b');
        }
      },
    });
    net.connect('a', 'b');
    const data = random(CHUNK * 200 + 17, 3);
    const offered = nextOffer(t.b!);
    const id = t.a!.offer(bytesSource(data, 'r.bin'));
    await offered;
    await t.b!.accept(id);
    await waitUntil(() => cutAt >= 0);
    const before = t.b!.get(id)!.bytes;
    const confirmed = Math.floor(before / CHUNK); // chunks b holds at the cut
    expect(t.b!.get(id)!.state).toBe('receiving');
    await new Promise((r) => setTimeout(r, 50));
    expect(t.b!.get(id)!.error).toMatch(/Waiting for the sender/);
    net.connect('a', 'b');
    await waitState(t.b!, id, ['done']);
    expect(await bytesOf(t.b!, id)).toEqual(data);
    const indexes = sent.get('a')!;
    const counts = new Map<number, number>();
    for (const i of indexes) counts.set(i, (counts.get(i) ?? 0) + 1);
    const resent = [...counts].filter(([, n]) => n > 1).map(([i]) => i);
    // Only chunks lost in flight at the cut are sent twice: none of the held ones.
    for (const i of resent) expect(i).toBeGreaterThanOrEqual(confirmed);
    expect(resent.length).toBeLessThanOrEqual(BLOCK * 2 * 2);
    expect(counts.size).toBe(Math.ceil(data.length / CHUNK));
  });

  it('hash mismatch: the file is failed with a plain reason and not offered as good', async () => {
    const { net, t } = setup(['a', 'b']);
    net.connect('a', 'b');
    const data = random(CHUNK * 10, 5);
    let hashingDone = false;
    // A source that changes after it was hashed (like a file edited during the transfer).
    const src: FileSource = {
      name: 'changing.bin',
      size: data.length,
      type: '',
      async read(offset, length) {
        const out = data.slice(offset, offset + length);
        if (hashingDone && offset === 0) out[0]! ^= 0xff;
        return out;
      },
    };
    const offered = nextOffer(t.b!);
    const id = t.a!.offer(src);
    await offered;
    await waitState(t.a!, id, ['offered']);
    hashingDone = true;
    await t.b!.accept(id);
    expect(await waitState(t.b!, id, ['done', 'failed'])).toBe('failed');
    expect(t.b!.get(id)!.error).toBe(DAMAGED);
    expect(t.b!.received(id)).toBeNull();
    await waitUntil(() => t.a!.get(id)!.receivers[0]?.state === 'failed');
    expect(t.a!.get(id)!.receivers[0]!.error).toBe(DAMAGED);
  });

  it('swarm: fetches from two holders at once; a lying holder is caught per block', async () => {
    const { net, t, sent, logs } = setup(['a', 'b', 'c', 'd']);
    net.connect('a', 'b');
    const data = random(CHUNK * BLOCK * 12 + 100, 9);
    const offered = nextOffer(t.b!);
    const id = t.a!.offer(bytesSource(data, 's.bin'));
    await offered;
    await t.b!.accept(id);
    await waitState(t.b!, id, ['done']);
    // c joins: a and b both hold it (b announces `have` to new peers).
    const offeredC = nextOffer(t.c!);
    net.connect('a', 'c');
    net.connect('b', 'c');
    await offeredC;
    await waitUntil(() => true);
    sent.get('a')!.length = 0;
    await t.c!.accept(id);
    await waitState(t.c!, id, ['done']);
    expect(await bytesOf(t.c!, id)).toEqual(data);
    expect(sent.get('a')!.length).toBeGreaterThan(0);
    expect(sent.get('b')!.length).toBeGreaterThan(0);
    expect(sent.get('a')!.length + sent.get('b')!.length).toBe(Math.ceil(data.length / CHUNK));

    // d: a holder e (a raw peer driven by hand) announces the file and serves flipped bytes
    const offeredD = nextOffer(t.d!);
    net.connect('a', 'd');
    await offeredD;
    net.connect('e', 'd');
    net.inject('e', 'd', { type: 'file_control', msg: { type: 'have', id } });
    const wantsToE: { from: number; to: number }[] = [];
    net.room('e').onFrame('file_control', (f) => {
      if (f.msg.type === 'want') wantsToE.push(f.msg as never);
    });
    await t.d!.accept(id);
    await waitUntil(() => wantsToE.length > 0);
    const w = wantsToE[0]!;
    for (let i = w.from; i < w.to; i++) {
      const bytes = data.slice(i * CHUNK, Math.min(data.length, (i + 1) * CHUNK));
      bytes[0]! ^= 1;
      net.inject('e', 'd', { type: 'file_data', transferId: hex(id), index: i, data: bytes });
    }
    await waitState(t.d!, id, ['done']);
    expect(await bytesOf(t.d!, id)).toEqual(data);
    expect(
      logs.get('d')!.some((l) => /not using e any more: block \d+ failed its SHA-256/.test(l)),
    ).toBe(true);
  });

  it('cancel by a receiver and by the sender cleans up both sides', async () => {
    const toPeer: Record<string, number> = { b: 0, c: 0 };
    let id = '';
    const { net, t } = setup(['a', 'b', 'c'], {
      perHolderBlocks: 1,
      windowBlocks: 2,
      onChunkSent: (peer, _id, index) => {
        toPeer[peer]!++;
        // b cancels while receiving; later the sender withdraws the file while c receives
        if (peer === 'b' && index === 20) t.b!.cancel(id);
        if (peer === 'c' && index === 60) t.a!.cancel(id);
      },
    });
    net.connect('a', 'b');
    net.connect('a', 'c');
    const data = random(CHUNK * 400, 11);
    const ob = nextOffer(t.b!);
    const oc = nextOffer(t.c!);
    id = t.a!.offer(bytesSource(data, 'c.bin'));
    await Promise.all([ob, oc]);
    await Promise.all([t.b!.accept(id), t.c!.accept(id)]);
    await waitState(t.b!, id, ['cancelled']);
    expect(t.b!.get(id)!.error).toMatch(/You cancelled/);
    await waitUntil(
      () => t.a!.get(id)!.receivers.find((r) => r.peerId === 'b')?.state === 'cancelled',
    );
    await waitState(t.c!, id, ['cancelled']);
    expect(t.c!.get(id)!.error).toMatch(/stopped sharing/);
    expect(t.a!.get(id)!.state).toBe('cancelled');
    await waitUntil(() => t.a!.stats().serving === 0);
    const sentToB = toPeer.b!;
    const sentToC = toPeer.c!;
    // at most what was already handed over when the cancel happened (one block in flight)
    expect(sentToB).toBeLessThanOrEqual(21 + BLOCK);
    expect(sentToC).toBeLessThanOrEqual(61 + BLOCK);
    await new Promise((r) => setTimeout(r, 50));
    expect(toPeer).toEqual({ b: sentToB, c: sentToC });
    expect(t.b!.received(id)).toBeNull();
    expect(t.c!.received(id)).toBeNull();
    // the withdrawn file stays listed as cancelled at the receiver
    expect(t.c!.list().find((v) => v.id === id)?.state).toBe('cancelled');
  });

  it('accept without a sink refuses files above the memory bound with a plain message', async () => {
    const { net, t } = setup(['a', 'b'], { memorySinkMaxBytes: 5000 });
    net.connect('a', 'b');
    const offered = nextOffer(t.b!);
    const id = t.a!.offer(bytesSource(random(6000), 'big.bin'));
    await offered;
    await expect(t.b!.accept(id)).rejects.toThrow(/larger than 0 MB.*cannot save straight to disk/);
    await t.b!.accept(id, makeMemorySink('big.bin', ''));
    await waitState(t.b!, id, ['done']);
  });
});

function hex(id: string) {
  return Uint8Array.from(id.match(/../g)!.map((h) => parseInt(h, 16)));
}

function waitUntil(cond: () => boolean, timeout = 10_000) {
  return vi.waitFor(() => expect(cond()).toBe(true), { timeout, interval: 5 });
}
