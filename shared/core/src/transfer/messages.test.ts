import { describe, expect, it } from 'vitest';
import {
  FILE_HASHES_PER_META,
  FILE_MAX_BLOCKS,
  FILE_MAX_BYTES,
  WIRE_JSON_MAX_BYTES,
} from '@peerboard/protocol';
import { encodeWireFrame, parseWireFrame } from '@peerboard/protocol/wire';
import {
  base64ToBytes,
  bytesToBase64,
  cleanFileName,
  hexToBytes,
  idToHex,
  newTransferId,
  parseFileControl,
} from './messages';

const id = 'ab'.repeat(16);
const offer = {
  type: 'offer',
  id,
  name: 'a.txt',
  size: 10,
  mime: 'text/plain',
  chunk: 65515,
  block: 16,
  sha256: null,
};
const code = (msg: Record<string, unknown>) => {
  const r = parseFileControl(msg as never);
  return r.ok ? 'ok' : r.code;
};

describe('file control messages', () => {
  it('accepts every valid message', () => {
    for (const m of [
      offer,
      { ...offer, sha256: 'f'.repeat(64), size: 0 },
      { ...offer, sha256: 'f'.repeat(64), list: 'a'.repeat(64) },
      {
        type: 'meta',
        id,
        sha256: '0'.repeat(64),
        first: 0,
        hashes: bytesToBase64(new Uint8Array(64)),
      },
      { type: 'meta', id, sha256: '0'.repeat(64), first: 0, hashes: '' },
      { type: 'accept', id },
      { type: 'decline', id },
      { type: 'want', id, from: 0, to: 16 },
      { type: 'ack', id, upto: 5 },
      { type: 'have', id },
      { type: 'done', id },
      { type: 'failed', id, reason: 'x' },
      { type: 'cancel', id, reason: 'sender' },
    ])
      expect(code(m), JSON.stringify(m)).toBe('ok');
  });

  it('rejects bad fields, absurd sizes and unknown types', () => {
    const bad = [
      { ...offer, id: 'nothex' },
      // a hash-list digest needs the whole-file hash beside it, and must be a SHA-256
      { ...offer, list: 'a'.repeat(64) },
      { ...offer, sha256: 'f'.repeat(64), list: 'A'.repeat(64) },
      { ...offer, sha256: 'f'.repeat(64), list: 'a'.repeat(65) },
      { ...offer, id: id.toUpperCase() },
      { ...offer, size: -1 },
      { ...offer, size: FILE_MAX_BYTES + 1 },
      { ...offer, size: 1e300 },
      { ...offer, size: 1.5 },
      { ...offer, size: '10' },
      { ...offer, name: '' },
      { ...offer, name: 'x'.repeat(300) },
      { ...offer, mime: 'not a mime' },
      { ...offer, chunk: 10 },
      { ...offer, chunk: 2 ** 30 },
      { ...offer, block: 0 },
      { ...offer, sha256: 'zz' },
      { type: 'meta', id, sha256: '0'.repeat(64), first: -1, hashes: '' },
      { type: 'meta', id, sha256: '0'.repeat(64), first: 0, hashes: '***' },
      {
        type: 'meta',
        id,
        sha256: '0'.repeat(64),
        first: 0,
        hashes: 'A'.repeat(Math.ceil((FILE_HASHES_PER_META * 32) / 3) * 4 + 4),
      },
      { type: 'want', id, from: 5, to: 5 },
      { type: 'want', id, from: 0, to: 2 ** 33 },
      { type: 'ack', id, upto: -3 },
    ];
    for (const m of bad) expect(code(m), JSON.stringify(m)).toBe('ERR_FILE_FIELD');
    expect(code({ type: 'explode', id })).toBe('ERR_FILE_TYPE');
  });

  it('cleans names and keeps reasons short', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(cleanFileName('a\u0000b\nc')).toBe('a_b_c');
    expect(cleanFileName('..')).toBe('file');
    // a right-to-left override would show "invoice_exe.pdf" for an .exe
    expect(cleanFileName('invoice_\u202efdp.exe')).toBe('invoice_fdp.exe');
    expect(cleanFileName('\u2067a\u2069\u200f.txt\u061c')).toBe('a.txt');
    const offer = parseFileControl({
      type: 'offer',
      id,
      name: 'invoice_\u202efdp.exe',
      size: 1,
      mime: '',
      chunk: 1024,
      block: 4,
      sha256: null,
    });
    expect(offer.ok && offer.value.type === 'offer' && offer.value.name).toBe('invoice_fdp.exe');
  });

  it('refuses offers whose block list would be absurd (the hash table is 32 B a block)', () => {
    const base = { type: 'offer', id, name: 'f', mime: '', sha256: null };
    const tiny = parseFileControl({ ...base, size: FILE_MAX_BYTES, chunk: 1024, block: 1 });
    expect(tiny).toMatchObject({ ok: false, code: 'ERR_FILE_FIELD' });
    expect(!tiny.ok && tiny.message).toContain(`more than ${FILE_MAX_BLOCKS} blocks`);
    // the largest file in default-sized blocks is fine
    expect(
      parseFileControl({ ...base, size: FILE_MAX_BYTES, chunk: 16 * 1024, block: 64 }).ok,
    ).toBe(true);
    const r = parseFileControl({ type: 'cancel', id, reason: 'x'.repeat(5000) });
    expect(r.ok && r.value.type === 'cancel' && r.value.reason.length).toBe(300);
  });

  it('a full meta page fits a wire JSON frame', () => {
    const hashes = bytesToBase64(new Uint8Array(FILE_HASHES_PER_META * 32).fill(255));
    const msg = { type: 'meta', id, sha256: 'f'.repeat(64), first: 2 ** 31, hashes };
    const enc = encodeWireFrame({ type: 'file_control', msg });
    expect(enc.length).toBeLessThan(WIRE_JSON_MAX_BYTES);
    expect(parseWireFrame(enc).ok).toBe(true);
    expect(code(msg)).toBe('ok');
  });

  it('ids and base64 round-trip', () => {
    const tid = newTransferId();
    expect(tid).toMatch(/^[0-9a-f]{32}$/);
    expect(idToHex(hexToBytes(tid))).toBe(tid);
    const bytes = new Uint8Array(100_000).map((_, i) => i * 31);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64ToBytes('%%%')).toBeNull();
  });
});
