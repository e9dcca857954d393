/**
 * Recipient protection over real sockets: a room member flooding another one with signals gets
 * its own frames dropped and is told (ERR_PEER_CONGESTED); the victim stays connected and keeps
 * getting everyone else's signals. Before, the relay cut the *victim* off once its backlog
 * passed MAX_BACKPRESSURE_BYTES, which any member could cause.
 */
import { describe, expect, it } from 'vitest';
import { SIGNAL_FRAME_MAX_BYTES, SIGNAL_PAYLOAD_MAX_BYTES } from '@peerboard/protocol';
import {
  bytes,
  metricsText,
  metricValue,
  text,
  waitFor,
  type TestClient,
  type TestServer,
  trackedServers,
} from './helpers';

const { server, member } = trackedServers();
/** A ping round trip: everything the server sent this client before it has arrived. */
async function settle(c: TestClient) {
  const t = Math.random();
  c.send({ type: 'ping', t });
  expect((await c.next('pong')).t).toBe(t);
}
const metric = async (s: TestServer, sample: string) =>
  metricValue(await metricsText(s.httpUrl), sample);
type Socket = { _socket: { pause(): void; resume(): void } };
const big = new Uint8Array(SIGNAL_PAYLOAD_MAX_BYTES).fill(42);

describe('recipient protection', () => {
  it('limits the bytes one member sends another; the victim keeps getting the others', async () => {
    const s = await server(); // defaults: 256 KiB burst, 64 KiB/s per (sender, recipient)
    const victim = await member(s, 'flood', 'victim');
    const attacker = await member(s, 'flood', 'attacker');
    const friend = await member(s, 'flood', 'friend');
    // 100 maximum-size frames (3.2 MiB): well inside the attacker's message budget (300)
    for (let i = 0; i < 100; i++) attacker.c.signal(victim.id, big);
    friend.c.signal(victim.id, bytes('hello from a friend'));
    const fromFriend = async () => {
      for (;;) {
        const sig = await victim.c.next('signal');
        if (sig.from === friend.id) return text(sig.payload);
      }
    };
    expect(await fromFriend()).toBe('hello from a friend');
    const err = await attacker.c.next('error');
    expect(err.code).toBe('ERR_PEER_CONGESTED');
    await settle(attacker.c);
    await settle(victim.c);
    // at most the burst (plus what refilled meanwhile) reached the victim, and one error the attacker
    const flooded = victim.c.all('signal').filter((m) => m.from === attacker.id).length;
    expect(flooded).toBeGreaterThanOrEqual(1);
    expect(flooded).toBeLessThanOrEqual(Math.ceil((256 * 1024) / SIGNAL_FRAME_MAX_BYTES) + 2);
    expect(attacker.c.all('error')).toHaveLength(1);
    expect(victim.c.ws.readyState).toBe(victim.c.ws.OPEN);
    expect(attacker.c.ws.readyState).toBe(attacker.c.ws.OPEN);
    expect(
      await metric(s, 'peerboard_signals_dropped_total{reason="peer_rate"}'),
    ).toBeGreaterThanOrEqual(100 - flooded);
    expect(await metric(s, 'peerboard_messages_rejected_total{reason="peer_congested"}')).toBe(
      100 - flooded,
    );
    // other pairs have their own budgets: the friend still gets through, both ways
    victim.c.signal(friend.id, bytes('reply'));
    expect(text((await friend.c.next('signal')).payload)).toBe('reply');
  });

  it('a victim that stalls under a flood is not cut off; frames to it are dropped instead', async () => {
    // Generous per-pair budgets so that only the congestion check stands between the flood
    // and the victim's backlog (what 15 attackers in one room could do even with budgets).
    const s = await server({
      limits: { rateMessagesPerSecond: 1e6, rateBurst: 1e6, maxBackpressureBytes: 256 * 1024 },
      recipient: { bytesPerSecond: 1e9, burstBytes: 1e9, congestionBytes: 128 * 1024 },
    });
    const victim = await member(s, 'stall', 'victim');
    const attacker = await member(s, 'stall', 'attacker');
    const friend = await member(s, 'stall', 'friend');
    // the victim stops reading for a while (a phone switching networks, a frozen tab)
    (victim.c.ws as unknown as Socket)._socket.pause();
    let sent = 0;
    while (attacker.c.all('error').length === 0) {
      if (sent > 20_000) throw new Error('the flood was never limited');
      for (let i = 0; i < 50; i++) attacker.c.signal(victim.id, big);
      sent += 50;
      await waitFor(() => attacker.c.ws.bufferedAmount === 0);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(attacker.c.all('error')[0]!.code).toBe('ERR_PEER_CONGESTED');
    // more flooding changes nothing for the victim, and the attacker is told only once per run
    for (let i = 0; i < 200; i++) attacker.c.signal(victim.id, big);
    await settle(attacker.c);
    expect(attacker.c.all('error')).toHaveLength(1);
    expect(await metric(s, 'peerboard_connections_closed_total{reason="slow_consumer"}')).toBe(0);
    expect(
      await metric(s, 'peerboard_signals_dropped_total{reason="peer_congested"}'),
    ).toBeGreaterThan(0);

    // the victim reads again: it is still connected, drains its backlog, and hears the others
    (victim.c.ws as unknown as Socket)._socket.resume();
    await settle(victim.c);
    friend.c.signal(victim.id, bytes('still there?'));
    await waitFor(() => victim.c.all('signal').some((m) => m.from === friend.id));
    expect(victim.c.ws.readyState).toBe(victim.c.ws.OPEN);
    expect(friend.c.all('peer_left')).toHaveLength(0);
    // and once drained, the attacker's frames flow again (dropping is not a ban)
    attacker.c.signal(victim.id, bytes('sorry'));
    await waitFor(() =>
      victim.c.all('signal').some((m) => m.from === attacker.id && text(m.payload) === 'sorry'),
    );
  });
});
