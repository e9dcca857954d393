/**
 * People come and go (in-memory network, real wire encoding): a receiver that leaves is shown
 * as left at what it had and resumes when it returns; a sender that leaves shows no speed; the
 * same content offered twice is one offer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeGatedSource } from '../../test/kit/gatedSource';
import { makeMemoryNetwork } from '../../test/kit/memoryRooms';
import { bytesSource } from './source';
import { makeTransfers, type Transfers, type TransfersOptions } from './transfers';

const CHUNK = 1024;
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

function setup(ids: string[], onChunkSent?: TransfersOptions['onChunkSent']) {
  const net = makeMemoryNetwork();
  const t: Record<string, Transfers> = {};
  for (const id of ids) {
    t[id] = makeTransfers({
      room: net.room(id),
      chunkBytes: CHUNK,
      blockChunks: 4,
      windowBlocks: 4,
      perHolderBlocks: 2,
      log: () => undefined,
      onChunkSent,
    });
    cleanup.push(() => t[id]!.destroy());
  }
  return { net, t };
}

describe('receivers and senders that leave', () => {
  it('a receiver that said goodbye is "left" at its byte count with no speed, and resumes when it is back', async () => {
    const { net, t } = setup(['a', 'b']);
    net.connect('a', 'b');
    // the transfer is held at 100 chunks so the sender hears of them (acks come every 250 ms)
    const gated = makeGatedSource(random(CHUNK * 400), 'x.bin', CHUNK * 100);
    const id = t.a!.offer(gated.source);
    await vi.waitFor(() => expect(t.b!.get(id)?.state).toBe('offered'));
    await vi.waitFor(() => expect(t.a!.get(id)?.state).toBe('offered'));
    gated.shut();
    await t.b!.accept(id);
    await vi.waitFor(() => expect(t.a!.get(id)!.receivers[0]?.bytes).toBe(CHUNK * 100));
    net.cut('a', 'b', 'bye');
    await vi.waitFor(() => expect(t.a!.get(id)!.receivers[0]?.state).toBe('left'));
    const left = t.a!.get(id)!.receivers[0]!;
    expect(left.bytes).toBe(CHUNK * 100);
    expect(left.speed).toBeNull();
    expect(left.etaSeconds).toBeNull();
    // the receiver's side: the sender is gone, so no speed either
    const inView = t.b!.get(id)!;
    expect(inView).toMatchObject({ state: 'receiving', peerOnline: false, speed: null });
    expect(inView.etaSeconds).toBeNull();

    net.connect('a', 'b'); // the same peer id comes back and asks for the rest
    await vi.waitFor(() => expect(t.a!.get(id)!.receivers[0]?.state).toBe('receiving'));
    gated.open();
    await vi.waitFor(() => expect(t.b!.get(id)!.state).toBe('done'), { timeout: 10_000 });
    await vi.waitFor(() => expect(t.a!.get(id)!.receivers[0]?.state).toBe('done'));
  });

  it('a lost link (may come back) keeps the receiver receiving, without a speed', async () => {
    let cut = false;
    const { net, t } = setup(['a', 'b'], (_p, _id, index) => {
      if (!cut && index === 70) {
        cut = true;
        net.cut('a', 'b', 'lost');
      }
    });
    net.connect('a', 'b');
    const id = t.a!.offer(bytesSource(random(CHUNK * 200), 'x.bin'));
    await vi.waitFor(() => expect(t.b!.get(id)?.state).toBe('offered'));
    await t.b!.accept(id);
    await vi.waitFor(() => expect(cut).toBe(true));
    const r = t.a!.get(id)!.receivers[0]!;
    expect(r.state).toBe('receiving');
    expect(r.speed).toBeNull();
    expect(r.etaSeconds).toBeNull();
  });
});

describe('one offer per distinct content', () => {
  it('the same file (name + size) shared twice while it is offered is one offer', async () => {
    const { net, t } = setup(['a', 'b']);
    net.connect('a', 'b');
    const data = random(CHUNK * 20, 5);
    const id = t.a!.offer(bytesSource(data, 'report.pdf'));
    expect(t.a!.offer(bytesSource(data, 'report.pdf'))).toBe(id);
    await vi.waitFor(() => expect(t.a!.get(id)?.state).toBe('offered'));
    expect(t.a!.offer(bytesSource(data, 'report.pdf'))).toBe(id);
    await vi.waitFor(() => expect(t.b!.get(id)?.state).toBe('offered'));
    expect(t.a!.list()).toHaveLength(1);
    expect(t.b!.list()).toHaveLength(1);
    // once withdrawn, sharing it again is a new offer
    t.a!.cancel(id);
    expect(t.a!.offer(bytesSource(data, 'report.pdf'))).not.toBe(id);
  });

  it('same name and size but another modification time is another file', () => {
    const { t } = setup(['a']);
    const one = { ...bytesSource(random(CHUNK, 1), 'notes.txt'), lastModified: 1000 };
    const two = { ...bytesSource(random(CHUNK, 2), 'notes.txt'), lastModified: 2000 };
    expect(t.a!.offer(one)).not.toBe(t.a!.offer(two));
  });

  it('the same bytes under another name merge into the first offer once hashed', async () => {
    const { net, t } = setup(['a', 'b']);
    net.connect('a', 'b');
    const data = random(CHUNK * 20, 9);
    const first = t.a!.offer(bytesSource(data, 'photo.jpg'));
    await vi.waitFor(() => expect(t.a!.get(first)?.state).toBe('offered'));
    const second = t.a!.offer(bytesSource(data, 'photo (1).jpg'));
    expect(second).not.toBe(first);
    await vi.waitFor(() => expect(t.a!.get(second)).toBeNull());
    expect(t.a!.list().map((v) => v.id)).toEqual([first]);
    // the receiver saw the second offer come and silently go: one offer left, nothing cancelled
    await vi.waitFor(() =>
      expect(t.b!.list().map((v) => [v.id, v.state])).toEqual([[first, 'offered']]),
    );
  });
});

describe('withdrawing a duplicate', () => {
  it("a third peer cannot make someone else's offer vanish with a 'duplicate' cancel", async () => {
    const { net, t } = setup(['a', 'b', 'mallory']);
    net.connect('a', 'b');
    net.connect('b', 'mallory');
    const id = t.a!.offer(bytesSource(random(CHUNK * 4), 'x.bin'));
    await vi.waitFor(() => expect(t.b!.get(id)?.state).toBe('offered'));
    net.inject('mallory', 'b', {
      type: 'file_control',
      msg: { type: 'cancel', id, reason: 'duplicate' },
    });
    await new Promise((r) => setImmediate(r));
    expect(t.b!.get(id)?.state).toBe('offered');
  });
});
