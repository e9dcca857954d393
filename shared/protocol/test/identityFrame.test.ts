import { describe, expect, it } from 'vitest';
import { encodeWireFrame, parseWireFrame, WIRE_TAG, type WireFrame } from '../src/wire';

const fp = 'sha-256 ' + Array.from({ length: 32 }, (_, i) => (i + 16).toString(16)).join(':');
const frame: WireFrame = {
  type: 'identity',
  gen: 0xfffffffe,
  key: new Uint8Array(65).fill(4),
  sig: new Uint8Array(64).fill(7),
  ownFp: fp,
  peerFp: fp.replace('10', 'AA'),
};

describe('identity frame (0x0b)', () => {
  it('round-trips', () => {
    const bytes = encodeWireFrame(frame);
    expect(bytes[0]).toBe(WIRE_TAG.identity);
    expect(parseWireFrame(bytes)).toEqual({ ok: true, value: frame });
  });

  it('rejects truncated, padded, oversized and non-printable fingerprints', () => {
    const bytes = encodeWireFrame(frame);
    const codeOf = (b: Uint8Array) => {
      const r = parseWireFrame(b);
      return r.ok ? 'ok' : r.code;
    };
    for (let cut = 1; cut < bytes.length; cut += 7)
      expect(codeOf(bytes.subarray(0, cut)), `cut at ${cut}`).not.toBe('ok');
    expect(codeOf(new Uint8Array([...bytes, 0]))).toBe('ERR_WIRE_BAD_FIELD');
    const long = encodeWireFrame({ ...frame, ownFp: 'a'.repeat(513) });
    expect(codeOf(long)).toBe('ERR_WIRE_TOO_BIG');
    expect(codeOf(encodeWireFrame({ ...frame, peerFp: 'a\nb' }))).toBe('ERR_WIRE_BAD_FIELD');
  });
});
