import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTROL_FRAME_MAX_BYTES,
  PEER_ID_LENGTH,
  PEER_TIMEOUT_SETTING_MAX_MS,
  PEER_TIMEOUT_SETTING_MIN_MS,
  SIGNAL_PAYLOAD_MAX_BYTES,
  encodeClientMessage,
  encodeSignal,
  parseClientMessage,
  parseServerMessage,
  utf8Encode,
} from '../src';

const peerA = 'AbCdEfGh-_12';
const text = (v: unknown) => ({ text: typeof v === 'string' ? v : JSON.stringify(v) });

describe('parseClientMessage', () => {
  it('accepts each valid control message', () => {
    expect(parseClientMessage(text({ type: 'hello', version: 1 }))).toEqual({
      ok: true,
      value: { type: 'hello', version: 1 },
    });
    expect(parseClientMessage(text({ type: 'join', room: 'room-1', name: ' Ann\u0007 ' }))).toEqual(
      {
        ok: true,
        value: { type: 'join', room: 'room-1', name: 'Ann' },
      },
    );
    expect(parseClientMessage(text({ type: 'join', room: 'r' }))).toMatchObject({
      ok: true,
      value: { name: 'Guest' },
    });
    expect(parseClientMessage(text({ type: 'leave' }))).toMatchObject({ ok: true });
    expect(parseClientMessage(text({ type: 'ping', t: 5 }))).toMatchObject({ ok: true });
  });

  it('rejects malformed control messages with a code', () => {
    const cases: [unknown, string][] = [
      ['{not json', 'ERR_BAD_JSON'],
      [[1, 2], 'ERR_BAD_MESSAGE'],
      [{ type: 7 }, 'ERR_BAD_MESSAGE'],
      [{ type: 'nope' }, 'ERR_UNKNOWN_TYPE'],
      [{ type: 'hello', version: '1' }, 'ERR_BAD_MESSAGE'],
      [{ type: 'join', room: '' }, 'ERR_BAD_MESSAGE'],
      [{ type: 'join', room: 'a/b' }, 'ERR_BAD_MESSAGE'],
      [{ type: 'join', room: 'x'.repeat(65) }, 'ERR_BAD_MESSAGE'],
      [{ type: 'join', room: 'ok', name: 5 }, 'ERR_BAD_MESSAGE'],
      [{ type: 'ping', t: 'soon' }, 'ERR_BAD_MESSAGE'],
      [{ type: 'signal', to: peerA, data: {} }, 'ERR_BAD_MESSAGE'],
      ['x'.repeat(CONTROL_FRAME_MAX_BYTES + 1), 'ERR_TOO_BIG'],
    ];
    for (const [input, code] of cases) {
      expect(parseClientMessage(text(input)), JSON.stringify(input)).toMatchObject({
        ok: false,
        code,
      });
    }
  });

  it('round-trips binary signal envelopes and enforces their bounds', () => {
    const payload = utf8Encode('{"type":"offer"}');
    const frame = encodeClientMessage({ type: 'signal', to: peerA, payload });
    const parsed = parseClientMessage({ binary: frame as Uint8Array });
    expect(parsed).toEqual({ ok: true, value: { type: 'signal', to: peerA, payload } });

    const bad = (bytes: Uint8Array) => parseClientMessage({ binary: bytes });
    expect(bad(new Uint8Array([2, 1, 2]))).toMatchObject({ code: 'ERR_UNKNOWN_TYPE' });
    expect(bad(encodeSignal(peerA, new Uint8Array(0)))).toMatchObject({ code: 'ERR_BAD_MESSAGE' });
    expect(bad(encodeSignal('bad id here!', payload))).toMatchObject({ code: 'ERR_BAD_MESSAGE' });
    expect(bad(encodeSignal(peerA, new Uint8Array(SIGNAL_PAYLOAD_MAX_BYTES)))).toMatchObject({
      ok: true,
    });
    expect(bad(encodeSignal(peerA, new Uint8Array(SIGNAL_PAYLOAD_MAX_BYTES + 1)))).toMatchObject({
      code: 'ERR_TOO_BIG',
    });
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (s) => {
        const r = parseClientMessage({ text: s });
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: 42, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const r = parseClientMessage({ binary: bytes });
        if (r.ok) expect(r.value.type).toBe('signal');
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('parseServerMessage', () => {
  it('accepts valid and rejects forged server messages', () => {
    const member = { id: peerA, name: 'Ann' };
    expect(
      parseServerMessage(
        text({ type: 'joined', room: 'r', peerId: peerA, members: [member], iceServers: [] }),
      ),
    ).toMatchObject({ ok: true });
    expect(
      parseServerMessage(text({ type: 'peer_joined', peer: { id: 'x', name: 'a' } })),
    ).toMatchObject({ ok: false });
    expect(
      parseServerMessage(text({ type: 'error', code: 'ERR_MADE_UP', message: '' })),
    ).toMatchObject({
      ok: false,
    });
    expect(PEER_ID_LENGTH).toBe(peerA.length);
  });

  it("keeps a member's attested version when valid, and refuses a malformed one", () => {
    const joined = (member: unknown) =>
      parseServerMessage(
        text({ type: 'joined', room: 'r', peerId: peerA, members: [member], iceServers: [] }),
      );
    const peerJoined = (peer: unknown) => parseServerMessage(text({ type: 'peer_joined', peer }));
    const attested = { id: peerA, name: 'Ann', version: 3 };
    expect(joined({ ...attested, extra: 1 })).toMatchObject({
      ok: true,
      value: { members: [attested] },
    });
    expect(peerJoined({ ...attested, extra: 1 })).toEqual({
      ok: true,
      value: { type: 'peer_joined', peer: attested },
    });
    // an older relay attests nothing: the member has no version field at all
    const bare = peerJoined({ id: peerA, name: 'Ann' });
    expect(bare.ok && bare.value.type === 'peer_joined' && 'version' in bare.value.peer).toBe(
      false,
    );
    for (const version of [-1, 1.5, '2', 0x10000, null])
      for (const r of [joined({ ...attested, version }), peerJoined({ ...attested, version })])
        expect(r).toMatchObject({ ok: false, code: 'ERR_BAD_MESSAGE' });
  });

  it("takes the operator's peer timeouts from `joined` only within bounds, known fields only", () => {
    const joined = (peerTimeouts: unknown) =>
      parseServerMessage(
        text({
          type: 'joined',
          room: 'r',
          peerId: peerA,
          members: [],
          iceServers: [],
          peerTimeouts,
        }),
      );
    expect(joined({ connectMs: 5_000, directMs: 1_000, extra: 'dropped' })).toEqual({
      ok: true,
      value: {
        type: 'joined',
        room: 'r',
        peerId: peerA,
        members: [],
        iceServers: [],
        peerTimeouts: { connectMs: 5_000, directMs: 1_000 },
      },
    });
    expect(joined({ directMs: PEER_TIMEOUT_SETTING_MAX_MS })).toMatchObject({
      ok: true,
      value: { peerTimeouts: { directMs: PEER_TIMEOUT_SETTING_MAX_MS } },
    });
    const noField = joined(undefined);
    expect(noField.ok && 'peerTimeouts' in noField.value).toBe(false);
    for (const bad of [
      { connectMs: PEER_TIMEOUT_SETTING_MIN_MS - 1 },
      { directMs: PEER_TIMEOUT_SETTING_MAX_MS + 1 },
      { connectMs: 2_500.5 },
      { connectMs: '5000' },
      { directMs: null },
      [5_000],
      5_000,
      null,
    ])
      expect(joined(bad)).toMatchObject({ ok: false, code: 'ERR_BAD_MESSAGE' });
  });
});
