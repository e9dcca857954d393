/**
 * A malicious or broken peer: every bad file_control/file_data frame is dropped with a logged
 * reason, nothing throws, and a good transfer running at the same time still completes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFrame } from '@peerboard/protocol/wire';
import { makeGatedSource } from '../../test/kit/gatedSource';
import { makeMemoryNetwork } from '../../test/kit/memoryRooms';
import { hexToBytes } from './messages';
import { makeTransfers, type Transfers } from './transfers';

const CHUNK = 1024;
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

async function until(cond: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function make(net: ReturnType<typeof makeMemoryNetwork>, id: string, logs: string[]) {
  const t = makeTransfers({
    room: net.room(id),
    chunkBytes: CHUNK,
    blockChunks: 4,
    log: (m) => logs.push(m),
  });
  cleanup.push(() => t.destroy());
  return t;
}

describe('malicious file frames', () => {
  it('are dropped with a reason; the honest transfer still completes', async () => {
    const net = makeMemoryNetwork();
    const logs: string[] = [];
    const a = make(net, 'a', []);
    const b: Transfers = make(net, 'b', logs);
    net.connect('a', 'b');
    net.connect('m', 'b'); // m is the attacker
    const data = new Uint8Array(CHUNK * 40).map((_, i) => i % 251);
    const file = makeGatedSource(data, 'good.bin', CHUNK * 4);
    const id = a.offer(file.source);
    await until(() => b.get(id)?.state === 'offered' && a.get(id)?.state === 'offered');
    // hashed: from now on only the first block can be served until the test opens the gate
    file.shut();
    const tid = hexToBytes(id);
    const ctl = (msg: Record<string, unknown>): WireFrame => ({
      type: 'file_control',
      msg: { id, ...msg } as never,
    });
    const chunk = (index: number, size = CHUNK, t = tid): WireFrame => ({
      type: 'file_data',
      transferId: t,
      index,
      data: new Uint8Array(size),
    });
    const bad: [WireFrame, RegExp][] = [
      [chunk(0, CHUNK, new Uint8Array(16).fill(9)), /unknown transfer/],
      [chunk(0), /chunk while offered/],
      [
        ctl({ type: 'offer', name: 'x', size: -5, mime: '', chunk: 1024, block: 4, sha256: null }),
        /absurd size/,
      ],
      [
        ctl({
          type: 'offer',
          name: 'x',
          size: 2 ** 60,
          mime: '',
          chunk: 1024,
          block: 4,
          sha256: null,
        }),
        /absurd size/,
      ],
      [
        ctl({
          type: 'offer',
          name: 'evil',
          size: 1,
          mime: '',
          chunk: 1024,
          block: 4,
          sha256: null,
        }),
        /reuses the id/,
      ],
      [ctl({ type: 'want', from: 0, to: 4 }), /do not serve/],
      [ctl({ type: 'ack', upto: 3 }), /unknown transfer/],
      [ctl({ type: 'meta', sha256: '0'.repeat(64), first: 0, hashes: '' }), /did not offer/],
      [ctl({ type: 'nonsense' }), /ERR_FILE_TYPE/],
      [{ type: 'file_control', msg: { type: 'accept', id: 'x' } }, /ERR_FILE_FIELD/],
    ];
    for (const [frame] of bad) expect(() => net.inject('m', 'b', frame)).not.toThrow();
    for (const [, re] of bad)
      expect(
        logs.some((l) => re.test(l)),
        String(re),
      ).toBe(true);
    expect(b.get(id)!.state).toBe('offered');

    // while b receives from a, the attacker sends chunks nobody asked it for
    await b.accept(id);
    await until(() => b.get(id)!.bytes > 0);
    expect(b.get(id)!.state).toBe('receiving');
    net.inject('m', 'b', chunk(8));
    net.inject('m', 'b', chunk(1_000_000));
    expect(logs.some((l) => /was not requested from this peer/.test(l))).toBe(true);
    expect(logs.some((l) => /out of range/.test(l))).toBe(true);
    file.open();
    await until(() => b.get(id)!.state === 'done');
    expect(new Uint8Array(await (await b.received(id)!.blob())!.arrayBuffer())).toEqual(data);
    // after done
    net.inject('a', 'b', chunk(3));
    expect(logs.some((l) => /after the file was complete/.test(l))).toBe(true);
    expect(b.stats().dropped).toBeGreaterThanOrEqual(bad.length + 3);
  });

  it('the sender itself sending a wrong index or an oversize chunk fails the file in plain words', async () => {
    for (const kind of ['index', 'size'] as const) {
      const net = makeMemoryNetwork();
      const logs: string[] = [];
      const b = make(net, 'b', logs);
      net.connect('m', 'b');
      const id = 'cd'.repeat(16);
      const offer = {
        type: 'offer',
        id,
        name: 'x.bin',
        size: CHUNK * 8,
        mime: '',
        chunk: CHUNK,
        block: 4,
      };
      net.inject('m', 'b', { type: 'file_control', msg: { ...offer, sha256: null } });
      await until(() => b.get(id)?.state === 'offered');
      const wants: number[] = [];
      net.room('m').onFrame('file_control', (f) => {
        if (f.msg.type === 'want') wants.push(f.msg.from as number);
      });
      await b.accept(id);
      const hashes = btoa(String.fromCharCode(...new Uint8Array(64)));
      net.inject('m', 'b', {
        type: 'file_control',
        msg: { type: 'meta', id, sha256: 'a'.repeat(64), first: 0, hashes },
      });
      await until(() => wants.length > 0);
      const index = kind === 'index' ? 2 : 0;
      const size = kind === 'size' ? CHUNK + 1 : CHUNK;
      net.inject('m', 'b', {
        type: 'file_data',
        transferId: hexToBytes(id),
        index,
        data: new Uint8Array(size),
      });
      expect(b.get(id)!.state).toBe('failed');
      expect(b.get(id)!.error).toMatch(/does not belong to this file/);
      expect(logs.join('\n')).toMatch(
        kind === 'index'
          ? /wrong chunk index 2 \(expected 0\)/
          : /has 1025 bytes \(expected 1024\)/,
      );
    }
  });
});
