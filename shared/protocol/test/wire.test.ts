import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FILE_CHUNK_MAX_BYTES,
  MAX_WIRE_MESSAGE,
  PROTOCOL_VERSION,
  WIRE_FRAME_MAX_BYTES,
  utf8Encode,
} from '../src';
import {
  FRAGMENT_HEADER_BYTES,
  WIRE_TAG,
  encodeWireFrame,
  fragmentMessage,
  makeReassembler,
  parseWireFrame,
  type WireFrame,
} from '../src/wire/index';

const cid = 'abcdefghijklmnopqrstuv';
const tid = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

const roundTrip = (f: WireFrame) => {
  const r = parseWireFrame(encodeWireFrame(f));
  expect(r.ok).toBe(true);
  return r.ok ? r.value : null;
};

const codeOf = (bytes: Uint8Array) => {
  const r = parseWireFrame(bytes);
  return r.ok ? 'ok' : r.code;
};

/** Sends an encoded frame through fragmentation + reassembly as a receiver would. */
function transmit(encoded: Uint8Array, maxMessage = MAX_WIRE_MESSAGE) {
  const pieces = fragmentMessage(encoded, 7, maxMessage);
  const re = makeReassembler();
  let out: Uint8Array | null = null;
  for (const piece of pieces) {
    expect(piece.length).toBeLessThanOrEqual(maxMessage);
    const frame = parseWireFrame(piece);
    if (!frame.ok) throw new Error(frame.message);
    if (frame.value.type !== 'fragment') {
      out = piece;
      continue;
    }
    const r = re.push(frame.value, 0);
    if (!r.ok) throw new Error(r.message);
    if (r.value) out = r.value;
  }
  expect(re.pendingBytes()).toBe(0);
  return { pieces: pieces.length, out };
}

describe('wire frames', () => {
  it('round-trips every frame type', () => {
    const bytes = new Uint8Array([0, 1, 2, 250]);
    for (const type of ['sync', 'awareness', 'chat', 'signal'] as const)
      expect(roundTrip({ type, data: bytes })).toEqual({ type, data: bytes });
    for (const type of ['file_control', 'call_control'] as const)
      expect(roundTrip({ type, msg: { type: 'offer', size: 3, name: 'ä.txt' } })).toEqual({
        type,
        msg: { type: 'offer', size: 3, name: 'ä.txt' },
      });
    expect(
      roundTrip({ type: 'file_data', transferId: tid, index: 4_000_000_000, data: bytes }),
    ).toEqual({ type: 'file_data', transferId: tid, index: 4_000_000_000, data: bytes });
    expect(
      roundTrip({ type: 'file_data', transferId: tid, index: 0, data: new Uint8Array() }),
    ).toMatchObject({ index: 0, data: new Uint8Array() });
    expect(roundTrip({ type: 'ping', seq: 9, t: 1234.5678 })).toEqual({
      type: 'ping',
      seq: 9,
      t: 1234.5678,
    });
    expect(roundTrip({ type: 'pong', seq: 2 ** 32 - 1, t: 0 })).toMatchObject({ seq: 2 ** 32 - 1 });
    expect(
      roundTrip({ type: 'hello', version: PROTOCOL_VERSION, clientId: cid, name: 'Zoë' }),
    ).toEqual({ type: 'hello', version: PROTOCOL_VERSION, clientId: cid, name: 'Zoë' });
    expect(encodeWireFrame({ type: 'bye' })).toEqual(Uint8Array.of(WIRE_TAG.bye));
    expect(roundTrip({ type: 'bye' })).toEqual({ type: 'bye' });
  });

  it('reads fields from a view with a byte offset (pooled Node buffers)', () => {
    const enc = encodeWireFrame({ type: 'ping', seq: 5, t: 42 });
    const big = new Uint8Array(enc.length + 3);
    big.set(enc, 3);
    expect(parseWireFrame(big.subarray(3))).toMatchObject({ ok: true, value: { seq: 5, t: 42 } });
  });

  it('rejects malformed frames with a code', () => {
    const json = (tag: number, text: string) => new Uint8Array([tag, ...utf8Encode(text)]);
    expect(codeOf(new Uint8Array())).toBe('ERR_WIRE_EMPTY');
    expect(codeOf(new Uint8Array([0x55, 1]))).toBe('ERR_WIRE_UNKNOWN_TAG');
    expect(codeOf(new Uint8Array([WIRE_TAG.sync]))).toBe('ERR_WIRE_TRUNCATED');
    expect(codeOf(new Uint8Array([WIRE_TAG.ping, 1, 2]))).toBe('ERR_WIRE_TRUNCATED');
    expect(codeOf(new Uint8Array([WIRE_TAG.file_data, 1, 2]))).toBe('ERR_WIRE_TRUNCATED');
    expect(codeOf(new Uint8Array([WIRE_TAG.hello, 0, 1]))).toBe('ERR_WIRE_TRUNCATED');
    expect(codeOf(new Uint8Array([WIRE_TAG.bye, 0]))).toBe('ERR_WIRE_BAD_FIELD');
    expect(codeOf(json(WIRE_TAG.file_control, '{nope'))).toBe('ERR_WIRE_BAD_JSON');
    expect(codeOf(new Uint8Array([WIRE_TAG.file_control, 0xff, 0xfe]))).toBe('ERR_WIRE_BAD_JSON');
    expect(codeOf(json(WIRE_TAG.file_control, '[1]'))).toBe('ERR_WIRE_BAD_FIELD');
    expect(codeOf(json(WIRE_TAG.call_control, '{"type":"Bad Type"}'))).toBe('ERR_WIRE_BAD_FIELD');
    expect(codeOf(json(WIRE_TAG.call_control, `{"type":"a","x":"${'y'.repeat(20000)}"}`))).toBe(
      'ERR_WIRE_TOO_BIG',
    );
    const nan = encodeWireFrame({ type: 'ping', seq: 1, t: 0 });
    new DataView(nan.buffer).setFloat64(5, NaN);
    expect(codeOf(nan)).toBe('ERR_WIRE_BAD_FIELD');
    const badId = encodeWireFrame({ type: 'hello', version: 1, clientId: cid, name: 'x' });
    badId[4] = 0x20;
    expect(codeOf(badId)).toBe('ERR_WIRE_BAD_FIELD');
    const chunk = encodeWireFrame({
      type: 'file_data',
      transferId: tid,
      index: 1,
      data: new Uint8Array(FILE_CHUNK_MAX_BYTES + 1),
    });
    expect(codeOf(chunk)).toBe('ERR_WIRE_TOO_BIG');
    const frag = encodeWireFrame({
      type: 'fragment',
      messageId: 1,
      total: 10,
      offset: 8,
      data: new Uint8Array(3),
    });
    expect(codeOf(frag)).toBe('ERR_WIRE_FRAGMENT');
    const huge = encodeWireFrame({
      type: 'fragment',
      messageId: 1,
      total: WIRE_FRAME_MAX_BYTES + 1,
      offset: 0,
      data: new Uint8Array(3),
    });
    expect(codeOf(huge)).toBe('ERR_WIRE_TOO_BIG');
  });

  it('never throws on random garbage (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = parseWireFrame(bytes);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 5000 },
    );
    // garbage behind every valid tag, to reach each branch
    const tags = Object.values(WIRE_TAG);
    fc.assert(
      fc.property(fc.constantFrom(...tags), fc.uint8Array({ maxLength: 200 }), (tag, body) => {
        const r = parseWireFrame(new Uint8Array([tag, ...body]));
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 5000 },
    );
  });

  it('a reassembler fed random fragments never throws and stays bounded (property)', () => {
    const arbFrag = fc.record({
      messageId: fc.integer({ min: 0, max: 3 }),
      total: fc.integer({ min: 1, max: 5000 }),
      offset: fc.integer({ min: 0, max: 5000 }),
      data: fc.uint8Array({ minLength: 1, maxLength: 600 }),
    });
    fc.assert(
      fc.property(fc.array(arbFrag, { maxLength: 60 }), (frags) => {
        const re = makeReassembler({ maxBytes: 8000, maxPartials: 2 });
        for (const f of frags) {
          const r = re.push({ type: 'fragment', ...f }, 0);
          expect(typeof r.ok).toBe('boolean');
          expect(re.pendingBytes()).toBeLessThanOrEqual(8000);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('fragmentation', () => {
  const room = MAX_WIRE_MESSAGE - FRAGMENT_HEADER_BYTES;
  const sync = (n: number) => encodeWireFrame({ type: 'sync', data: new Uint8Array(n).fill(7) });

  it.each([
    ['1-byte payload', 1, 1],
    ['exactly one message', MAX_WIRE_MESSAGE - 1, 1],
    ['one byte over one message', MAX_WIRE_MESSAGE, 2],
    ['exact multiple of the fragment room', 3 * room - 1, 3],
    ['exact multiple + 1', 3 * room, 4],
  ])('%s', (_name, payload, expectedPieces) => {
    const encoded = sync(payload);
    const { pieces, out } = transmit(encoded);
    expect(pieces).toBe(expectedPieces);
    expect(out).toEqual(encoded);
  });

  it('0-byte payloads: an empty file chunk passes, an empty sync frame is rejected', () => {
    const chunk = encodeWireFrame({
      type: 'file_data',
      transferId: tid,
      index: 3,
      data: new Uint8Array(),
    });
    expect(transmit(chunk)).toEqual({ pieces: 1, out: chunk });
    expect(fragmentMessage(sync(0), 1)).toEqual([sync(0)]);
    expect(codeOf(sync(0))).toBe('ERR_WIRE_TRUNCATED');
  });

  it('carries the largest allowed frame', () => {
    const encoded = new Uint8Array(WIRE_FRAME_MAX_BYTES);
    encoded[0] = WIRE_TAG.sync;
    encoded[WIRE_FRAME_MAX_BYTES - 1] = 9;
    const { pieces, out } = transmit(encoded);
    expect(pieces).toBe(Math.ceil(WIRE_FRAME_MAX_BYTES / room));
    expect(out?.[WIRE_FRAME_MAX_BYTES - 1]).toBe(9);
    expect(parseWireFrame(out!).ok).toBe(true);
  });

  it('round-trips random frames at random message sizes (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 5000 }),
        fc.integer({ min: FRAGMENT_HEADER_BYTES + 1, max: 2000 }),
        (data, max) => {
          const encoded = encodeWireFrame({ type: 'awareness', data });
          expect(transmit(encoded, max).out).toEqual(encoded);
        },
      ),
    );
  });

  it('interleaves two messages and rejects out-of-order, unknown and nested fragments', () => {
    const a = fragmentMessage(sync(200), 1, 64).map((p) => parseWireFrame(p));
    const b = fragmentMessage(sync(150), 2, 64).map((p) => parseWireFrame(p));
    const re = makeReassembler();
    const results: (Uint8Array | null)[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      for (const list of [a, b]) {
        const f = list[i];
        if (f?.ok && f.value.type === 'fragment') {
          const r = re.push(f.value, 0);
          if (!r.ok) throw new Error(r.message);
          results.push(r.value);
        }
      }
    expect(results.filter(Boolean).map((r) => r!.length)).toEqual([151, 201]);

    const frags = a.map((f) => (f.ok && f.value.type === 'fragment' ? f.value : null)!);
    const re2 = makeReassembler();
    expect(re2.push(frags[1]!, 0)).toMatchObject({ ok: false, code: 'ERR_WIRE_FRAGMENT' });
    expect(re2.push(frags[0]!, 0).ok).toBe(true);
    expect(re2.push(frags[2]!, 0)).toMatchObject({ ok: false, code: 'ERR_WIRE_FRAGMENT' });
    expect(re2.pendingBytes()).toBe(0);

    const nested = fragmentMessage(fragmentMessage(sync(300), 5, 100)[0]!, 6, 40);
    const re3 = makeReassembler();
    const last = nested
      .map((p) => parseWireFrame(p))
      .map((f) => (f.ok && f.value.type === 'fragment' ? re3.push(f.value, 0) : null))
      .at(-1);
    expect(last).toMatchObject({ ok: false, code: 'ERR_WIRE_FRAGMENT' });
  });

  it('bounds memory and drops stale partial messages', () => {
    const re = makeReassembler({ maxBytes: 1000, maxPartials: 2, timeoutMs: 100 });
    const start = (id: number, total: number, now = 0) =>
      re.push({ type: 'fragment', messageId: id, total, offset: 0, data: new Uint8Array(10) }, now);
    expect(start(1, 600).ok).toBe(true);
    expect(start(2, 600)).toMatchObject({ ok: false, code: 'ERR_WIRE_REASSEMBLY_FULL' });
    expect(start(3, 300).ok).toBe(true);
    expect(start(4, 10)).toMatchObject({ ok: false, code: 'ERR_WIRE_FRAGMENT' });
    expect(start(4, 20)).toMatchObject({ ok: false, code: 'ERR_WIRE_REASSEMBLY_FULL' });
    expect(re.pendingBytes()).toBe(900);
    expect(re.sweep(101)).toBe(2);
    expect(re.pendingBytes()).toBe(0);
    expect(start(2, 600, 200).ok).toBe(true);
  });
});
