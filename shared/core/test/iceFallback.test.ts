/**
 * The ICE plan of each link attempt (peers/iceFallback.ts): with TURN known the first attempt
 * goes without it under the shorter deadline, a failed one is followed by exactly one relay-only
 * attempt, and both sides reach the same verdict. Without TURN, or with relay forced, nothing
 * falls back. The end-to-end proof with coturn and blocked networks is iceFallback.netns.
 */
import { describe, expect, it } from 'vitest';
import type { IceServer } from '@peerboard/protocol';
import { makeIceFallback, splitIceServers } from '../src/peers/iceFallback';

const stun: IceServer = { urls: 'stun:10.77.1.1:3478' };
const turn: IceServer = {
  urls: ['turn:10.77.1.1:3478?transport=udp', 'turns:relay.example:5349'],
  username: '1700000000:ann',
  credential: 'c',
};
const fallback = (servers: IceServer[], forced?: 'all' | 'relay') =>
  makeIceFallback({
    servers: () => servers,
    forcedPolicy: forced,
    connectTimeoutMs: 20_000,
    directTimeoutMs: 5_000,
  });

describe('ICE fallback plans', () => {
  it('splits servers by kind, keeping credentials with TURN only', () => {
    const mixed = { urls: ['stun:a:3478', 'turn:b:3478'], username: 'u', credential: 'p' };
    expect(splitIceServers([stun, mixed])).toEqual({
      stun: [stun, { urls: ['stun:a:3478'] }],
      turn: [{ urls: ['turn:b:3478'], username: 'u', credential: 'p' }],
    });
  });

  it('with TURN: direct first (STUN only, short deadline), then relay-only once', () => {
    const f = fallback([stun, turn]);
    expect(f.next('bob')).toEqual({
      mode: 'direct',
      iceServers: [stun],
      policy: 'all',
      connectTimeoutMs: 5_000,
    });
    expect(f.failed('bob', 'direct')).toBe(true);
    expect(f.next('bob')).toEqual({
      mode: 'relay',
      iceServers: [turn],
      policy: 'relay',
      connectTimeoutMs: 20_000,
    });
    expect(f.next('carol').mode).toBe('direct'); // per remote
    // the relay-only attempt failing too is a plain failure; the next retry starts over
    expect(f.failed('bob', 'relay')).toBe(false);
    expect(f.next('bob').mode).toBe('direct');
  });

  it('a client reached through the relay is dialled through it again after a loss', () => {
    const f = fallback([stun, turn]);
    f.failed('bob', 'direct');
    f.opened('bob', 'relay');
    expect(f.next('bob').mode).toBe('relay');
    f.forget('bob');
    expect(f.next('bob').mode).toBe('direct');
  });

  it('the answerer follows the offer and reaches the same verdict', () => {
    const f = fallback([stun, turn]);
    expect(f.answer('relay')).toEqual(fallback([stun, turn]).answer('relay'));
    expect(f.answer('relay').policy).toBe('relay');
    expect(f.answer('direct').iceServers).toEqual([stun]);
    expect(f.failed('ann', 'direct')).toBe(true);
  });

  it('without TURN: every server, the full deadline, no retry mode; a relay offer too', () => {
    const f = fallback([stun]);
    const plain = { mode: 'direct', iceServers: [stun], policy: 'all', connectTimeoutMs: 20_000 };
    expect(f.next('bob')).toEqual(plain);
    expect(f.failed('bob', 'direct')).toBe(false);
    expect(f.next('bob')).toEqual(plain);
    expect(f.answer('relay')).toEqual(plain);
  });

  it('relay forced by the user: always relay with every server, no fallback', () => {
    const f = fallback([stun, turn], 'relay');
    const forced = { mode: 'relay', iceServers: [stun, turn], policy: 'relay' };
    expect(f.next('bob')).toMatchObject(forced);
    expect(f.answer('direct')).toMatchObject(forced);
    expect(f.failed('bob', 'relay')).toBe(false);
  });

  it('servers are read at each attempt (TURN credentials arrive with `joined`)', () => {
    const servers: IceServer[] = [];
    const f = makeIceFallback({
      servers: () => servers,
      forcedPolicy: undefined,
      connectTimeoutMs: undefined,
      directTimeoutMs: undefined,
    });
    expect(f.next('bob').connectTimeoutMs).toBeUndefined();
    servers.push(turn);
    expect(f.next('bob')).toMatchObject({
      mode: 'direct',
      iceServers: [],
      connectTimeoutMs: 8_000,
    });
  });

  it("the relay operator's deadlines (`joined`) apply when this side sets none, read at each attempt", () => {
    let relay: { connectMs?: number; directMs?: number } = {};
    const f = makeIceFallback({
      servers: () => [stun, turn],
      forcedPolicy: undefined,
      connectTimeoutMs: undefined,
      directTimeoutMs: undefined,
      relayTimeouts: () => relay,
    });
    // none announced: the defaults (8 s direct; the link's own 20 s otherwise)
    expect(f.next('bob').connectTimeoutMs).toBe(8_000);
    relay = { connectMs: 4_000, directMs: 1_500 };
    expect(f.next('bob')).toMatchObject({ mode: 'direct', connectTimeoutMs: 1_500 });
    f.failed('bob', 'direct');
    expect(f.next('bob')).toMatchObject({ mode: 'relay', connectTimeoutMs: 4_000 });
    relay = { connectMs: 3_000 };
    expect(f.answer('direct').connectTimeoutMs).toBe(3_000); // min(8 s direct, 3 s)
    // this side's own settings (tests, embedders) win over the relay's
    const own = makeIceFallback({
      servers: () => [stun],
      forcedPolicy: undefined,
      connectTimeoutMs: 20_000,
      directTimeoutMs: undefined,
      relayTimeouts: () => ({ connectMs: 2_000 }),
    });
    expect(own.next('bob').connectTimeoutMs).toBe(20_000);
  });
});
