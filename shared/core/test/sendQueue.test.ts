/**
 * Scheduler ordering and backpressure against a scripted channel (the channel is not under test
 * here; the real RTCDataChannel path is covered in mesh.integration.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { parseWireFrame, encodeWireFrame } from '@peerboard/protocol/wire';
import { makeSendQueue, type ChannelLike } from '../src/peers/sendQueue';

/** A channel whose buffer drains only when the test says so. */
function scriptedChannel() {
  const sent: Uint8Array[] = [];
  let listener: (() => void) | null = null;
  const ch = {
    readyState: 'open',
    bufferedAmount: 0,
    bufferedAmountLowThreshold: 0,
    send(data: Uint8Array) {
      if (this.readyState !== 'open') throw new Error('closed');
      sent.push(data);
      this.bufferedAmount += data.length;
    },
    addEventListener: (_t: string, fn: () => void) => void (listener = fn),
    removeEventListener: () => void (listener = null),
  };
  return {
    ch: ch as ChannelLike & typeof ch,
    sent,
    /** the network took `bytes` off the buffer; fires bufferedamountlow like a browser */
    drain(bytes: number) {
      const before = ch.bufferedAmount;
      ch.bufferedAmount = Math.max(0, before - bytes);
      if (
        before > ch.bufferedAmountLowThreshold &&
        ch.bufferedAmount <= ch.bufferedAmountLowThreshold
      )
        listener?.();
    },
    hasListener: () => listener !== null,
  };
}

const sync = (n: number, fill = 1) =>
  encodeWireFrame({ type: 'sync', data: new Uint8Array(n).fill(fill) });
const chunk = (i: number, n = 1000) =>
  encodeWireFrame({
    type: 'file_data',
    transferId: new Uint8Array(16),
    index: i,
    data: new Uint8Array(n),
  });
const kinds = (sent: Uint8Array[]) =>
  sent.map((m) => parseWireFrame(m)).map((r) => (r.ok ? r.value.type : r.code));

const opts = {
  maxMessage: 1024,
  bulkHighWater: 4096,
  bulkLowWater: 1024,
  controlHighWater: 64 * 1024,
  pollMs: 1_000_000,
};

describe('send queue', () => {
  it('sends control at once and stops bulk at the high-water mark', async () => {
    const { ch, sent, drain } = scriptedChannel();
    const q = makeSendQueue(ch, opts);
    const done: number[] = [];
    for (let i = 0; i < 10; i++) void q.sendBulk(chunk(i)).then(() => done.push(i));
    // 1021-byte chunks: 4 fit below 4096 (the 5th sees 4084 < 4096 and goes too)
    expect(sent.length).toBe(5);
    expect(ch.bufferedAmount).toBeLessThan(opts.bulkHighWater + opts.maxMessage);
    expect(q.sendControl(sync(10))).toBe(true);
    expect(kinds(sent).at(-1)).toBe('sync'); // jumped the 5 queued chunks
    expect(q.bulkQueuedBytes()).toBe(5 * 1021);
    await Promise.resolve();
    expect(done).toEqual([0, 1, 2, 3, 4]);
    drain(ch.bufferedAmount); // bufferedamountlow -> resume
    expect(sent.length).toBe(11);
    drain(ch.bufferedAmount);
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(q.sentBytes()).toBe(10 * 1021 + 11);
  });

  it('a control frame never waits behind more than the high-water mark of bulk', () => {
    const { ch, sent, drain } = scriptedChannel();
    const q = makeSendQueue(ch, opts);
    for (let i = 0; i < 200; i++) void q.sendBulk(chunk(i, 700 + (i % 5) * 60));
    for (let round = 0; round < 50; round++) {
      const before = ch.bufferedAmount;
      const index = sent.length;
      q.sendControl(sync(5, round));
      expect(kinds(sent)[index]).toBe('sync'); // first out, ahead of any waiting bulk
      // everything ahead of the control frame in the channel buffer is bounded
      expect(before).toBeLessThan(opts.bulkHighWater + opts.maxMessage);
      drain(700 + round * 37);
    }
  });

  it('fragments large frames; pieces of one frame stay contiguous per class', async () => {
    const { ch, sent, drain } = scriptedChannel();
    const q = makeSendQueue(ch, { ...opts, bulkHighWater: 1, bulkLowWater: 0 });
    const bulk = q.sendBulk(chunk(0, 3000)); // 3 fragments at 1024
    q.sendControl(sync(2500, 7)); // 3 fragments, all sent ahead of the remaining bulk pieces
    expect(sent.every((m) => m.length <= 1024)).toBe(true);
    const firstBulk = parseWireFrame(sent[0]!);
    expect(firstBulk.ok && firstBulk.value.type === 'fragment' && firstBulk.value.messageId).toBe(
      1,
    );
    const ids = sent.slice(1).map((m) => {
      const f = parseWireFrame(m);
      return f.ok && f.value.type === 'fragment' ? f.value.messageId : -1;
    });
    expect(ids).toEqual([2, 2, 2]);
    for (let i = 0; i < 10 && q.bulkQueuedBytes() > 0; i++) drain(ch.bufferedAmount);
    await bulk;
    expect(sent.length).toBe(6);
  });

  it('resumes by polling when the channel never fires bufferedamountlow', async () => {
    vi.useFakeTimers();
    try {
      const { ch, sent } = scriptedChannel();
      const q = makeSendQueue(ch, { ...opts, pollMs: 5 });
      for (let i = 0; i < 8; i++) void q.sendBulk(chunk(i));
      expect(sent.length).toBe(5);
      ch.bufferedAmount = 0; // drained silently (like @roamhq/wrtc)
      await vi.advanceTimersByTimeAsync(6);
      expect(sent.length).toBe(8);
    } finally {
      vi.useRealTimers();
    }
  });

  it('destroy rejects pending bulk, refuses new frames and is idempotent', async () => {
    const { ch, hasListener } = scriptedChannel();
    const q = makeSendQueue(ch, opts);
    const pending = Array.from({ length: 10 }, (_, i) => q.sendBulk(chunk(i)));
    q.destroy('bye');
    q.destroy();
    const results = await Promise.allSettled(pending);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(5);
    expect(q.sendControl(sync(1))).toBe(false);
    await expect(q.sendBulk(chunk(0))).rejects.toThrow();
    expect(hasListener()).toBe(false);
  });

  it('a channel that throws on send closes the queue and reports once', async () => {
    const { ch } = scriptedChannel();
    const onFatal = vi.fn();
    const q = makeSendQueue(ch, { ...opts, onFatal });
    ch.readyState = 'closing';
    const p = q.sendBulk(chunk(1));
    ch.readyState = 'open';
    ch.send = () => {
      throw new Error('boom');
    };
    q.sendControl(sync(3));
    await expect(p).rejects.toThrow();
    expect(onFatal).toHaveBeenCalledTimes(1);
    expect(q.sendControl(sync(3))).toBe(false);
  });

  it('control bytes waiting past the budget close the queue with the reason, once', () => {
    const { ch, sent } = scriptedChannel();
    const onFatal = vi.fn();
    const budget = 200 * 1024;
    const q = makeSendQueue(ch, { ...opts, controlBudget: budget, onFatal });
    // the channel never drains: the first 64 KiB go into it, the rest waits in the queue
    let accepted = 0;
    while (q.sendControl(sync(1000))) accepted++;
    expect(onFatal).toHaveBeenCalledTimes(1);
    expect(String(onFatal.mock.calls[0]![0])).toMatch(/control queue over budget/);
    const inChannel = sent.reduce((n, m) => n + m.length, 0);
    // it closed at the first frame that took the waiting bytes past the budget
    const frame = sync(1000).length;
    expect(accepted * frame - inChannel).toBeLessThanOrEqual(budget);
    expect((accepted + 1) * frame - inChannel).toBeGreaterThan(budget);
    expect(q.controlQueuedBytes()).toBe(0);
    expect(q.sendControl(sync(1))).toBe(false);
  });
  it('with a bulk channel, bulk fills its own deeper buffer and control never waits behind it', async () => {
    const main = scriptedChannel();
    const side = scriptedChannel();
    const q = makeSendQueue(main.ch, opts);
    expect(q.routeBulk(side.ch, 16 * 1024, 4096)).toBe(true);
    const done: number[] = [];
    for (let i = 0; i < 40; i++) void q.sendBulk(chunk(i)).then(() => done.push(i));
    // 16 KiB of bulk (4x the one-channel mark) went on the side channel, none on the first
    expect(kinds(side.sent).every((k) => k === 'file_data')).toBe(true);
    expect(side.sent.length).toBe(17);
    expect(main.sent.length).toBe(0);
    q.sendControl(sync(10));
    expect(kinds(main.sent)).toEqual(['sync']);
    expect(main.ch.bufferedAmount).toBe(main.sent[0]!.length); // nothing bulk ahead of it
    side.drain(side.ch.bufferedAmount); // bufferedamountlow of the side channel resumes bulk
    expect(side.sent.length).toBe(34);
    await Promise.resolve();
    expect(done.length).toBe(34);
  });

  it('a burst of sends in one run stops at the mark where bufferedAmount lags (@roamhq/wrtc)', async () => {
    const lagging = scriptedChannel();
    // what was sent shows in bufferedAmount only later, as with @roamhq/wrtc
    lagging.ch.send = (data: Uint8Array) => void lagging.sent.push(data);
    const q = makeSendQueue(lagging.ch, opts);
    const settled = (i: number) => q.sendBulk(chunk(i)).catch(() => 'rejected at destroy');
    for (let i = 0; i < 40; i++) void settled(i); // one pump per send, as a transfer does
    const bytes = () => lagging.sent.reduce((n, m) => n + m.length, 0);
    expect(bytes()).toBeGreaterThanOrEqual(opts.bulkHighWater);
    expect(bytes()).toBeLessThan(opts.bulkHighWater + opts.maxMessage);
    await Promise.resolve(); // after the run, the channel's own figure counts again
    lagging.ch.bufferedAmount = bytes();
    void settled(40);
    expect(bytes()).toBeLessThan(opts.bulkHighWater + opts.maxMessage);
    q.destroy();
  });

  it('refuses to move bulk to another channel once bulk went on the first', () => {
    const main = scriptedChannel();
    const side = scriptedChannel();
    const q = makeSendQueue(main.ch, opts);
    void q.sendBulk(chunk(0));
    expect(q.routeBulk(side.ch)).toBe(false);
    void q.sendBulk(chunk(1));
    expect(kinds(main.sent)).toEqual(['file_data', 'file_data']);
    expect(side.sent.length).toBe(0);
    expect(q.bulkChannel()).toBe(main.ch);
  });
});
