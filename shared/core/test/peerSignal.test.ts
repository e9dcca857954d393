import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '@peerboard/protocol';
import { encodePeerSignal, parsePeerSignal, type PeerSignal } from '../src/peers/peerSignal';

const cid = 'abcdefghijklmnopqrstuv';
const key = new Uint8Array(65).fill(4);
const proof = new Uint8Array(64).fill(9);
const id = { name: 'Ann', key, proof };
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const raw = (v: unknown) => utf8Encode(JSON.stringify(v));

describe('peer signal payloads', () => {
  it('round-trips hellos and each kind of simple-peer signal', () => {
    const cases = [
      { t: 'hello', cid, lost: null, ...id },
      { t: 'hello', cid, lost: 7, ...id },
      { t: 'sig', cid, gen: 1, data: { type: 'offer', sdp: 'v=0' } },
      { t: 'sig', cid, gen: 1, data: { type: 'answer', sdp: 'v=0' } },
      {
        t: 'sig',
        cid,
        gen: 2 ** 32 - 1,
        data: {
          type: 'candidate',
          candidate: { candidate: 'candidate:1', sdpMLineIndex: 0, sdpMid: '0' },
        },
      },
      { t: 'sig', cid, gen: 3, data: { type: 'renegotiate', renegotiate: true } },
      { t: 'sig', cid, gen: 4, data: { type: 'offer', sdp: 'v=0' }, ice: 'relay' },
      {
        t: 'sig',
        cid,
        gen: 3,
        data: { type: 'transceiverRequest', transceiverRequest: { kind: 'video' } },
      },
    ] as PeerSignal[];
    for (const c of cases)
      expect(parsePeerSignal(encodePeerSignal(c))).toEqual({ ok: true, value: c });
  });

  it('rebuilds signal data: unknown fields from a peer are not passed on', () => {
    const r = parsePeerSignal(
      raw({
        v: 1,
        t: 'sig',
        cid,
        gen: 1,
        data: { type: 'offer', sdp: 'x', evil: { deep: 1 } },
        extra: 1,
      }),
    );
    expect(r).toEqual({
      ok: true,
      value: { t: 'sig', cid, gen: 1, data: { type: 'offer', sdp: 'x' } },
    });
  });

  it('rejects malformed payloads', () => {
    const bad = [
      'nope',
      { v: 2, t: 'hello', cid, lost: null },
      { v: 1, t: 'hello', cid: 'short', lost: null },
      { v: 1, t: 'hello', cid, lost: -1 },
      { v: 1, t: 'hello', cid, lost: null, name: 'x' }, // no identity
      { v: 1, t: 'hello', cid, lost: null, name: 'x', key: b64(key), proof: b64(key) },
      { v: 1, t: 'hello', cid, lost: null, name: 'x', key: b64(proof), proof: b64(proof) },
      { v: 1, t: 'hello', cid, lost: null, name: 'x', key: '!'.repeat(87), proof: b64(proof) },
      { v: 1, t: 'sig', cid, gen: 1.5, data: { type: 'offer', sdp: 'x' } },
      { v: 1, t: 'sig', cid, gen: 1, data: { type: 'offer', sdp: 5 } },
      { v: 1, t: 'sig', cid, gen: 1, data: { type: 'candidate', candidate: { candidate: 1 } } },
      {
        v: 1,
        t: 'sig',
        cid,
        gen: 1,
        data: { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: -3 } },
      },
      {
        v: 1,
        t: 'sig',
        cid,
        gen: 1,
        data: { type: 'transceiverRequest', transceiverRequest: { kind: 'x' } },
      },
      { v: 1, t: 'sig', cid, gen: 1, data: { renegotiate: true } },
      { v: 1, t: 'sig', cid, gen: 1, data: { type: 'offer', sdp: 'x' }, ice: 'all' },
      { v: 1, t: 'sig', cid, gen: 1, data: { type: 'offer', sdp: 'x' }, ice: null },
      { v: 1, t: 'other', cid },
    ];
    for (const b of bad)
      expect(parsePeerSignal(typeof b === 'string' ? utf8Encode(b) : raw(b)).ok).toBe(false);
    expect(parsePeerSignal(new Uint8Array([0xff, 0xfe])).ok).toBe(false);
  });

  it('never throws on random bytes or random JSON (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(typeof parsePeerSignal(b).ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(typeof parsePeerSignal(raw({ v: 1, t: 'sig', cid, gen: 1, data: v })).ok).toBe(
          'boolean',
        );
      }),
    );
  });
});
