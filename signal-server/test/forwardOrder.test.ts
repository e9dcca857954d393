/**
 * Forwarding under several senders (delivery.ts), over real sockets: the order per target and
 * every byte survive interleaved senders (the sender id is written over each frame in place, in
 * the buffer uWS handed to the handler), `peer_left` comes after a leaver's last frame, and a
 * consumer that stops reading is cut off however many senders flood it.
 */
import { describe, expect, it, vi } from 'vitest';
import { SIGNAL_PAYLOAD_MAX_BYTES } from '@peerboard/protocol';
import { metricsText, metricValue, type TestServer, trackedServers } from './helpers';

const { server, member } = trackedServers();
const metric = async (s: TestServer, sample: string) =>
  metricValue(await metricsText(s.httpUrl), sample);
type Socket = { _socket: { pause(): void; resume(): void } };

/** Payload of frame `seq` from sender `k`: its own length and bytes, so a frame overwritten by
 * a later one (a missing copy) or swapped with another is seen. */
function payload(k: number, seq: number): Uint8Array {
  const p = new Uint8Array(40 + ((seq * 37 + k * 11) % 900));
  p[0] = k;
  p[1] = seq >> 8;
  p[2] = seq & 0xff;
  for (let i = 3; i < p.length; i++) p[i] = (k * 31 + seq * 7 + i) & 0xff;
  return p;
}

const FLOOD = { rateMessagesPerSecond: 1e6, rateBurst: 1e6 };
const OPEN_BUDGETS = { bytesPerSecond: 1e9, burstBytes: 1e9 };

describe('forwarding under several senders', () => {
  it('keeps each sender’s order and bytes to one target under interleaved senders, and peer_left after a leaver’s frames', async () => {
    const s = await server({ limits: FLOOD, recipient: OPEN_BUDGETS });
    const target = await member(s, 'order', 'target');
    const senders: Awaited<ReturnType<typeof member>>[] = [];
    for (let k = 0; k < 4; k++) senders.push(await member(s, 'order', `s${k}`));
    const N = 300;
    // all senders write at once, so the relay reads their frames interleaved in the same turns
    for (let seq = 0; seq < N; seq++)
      for (const [k, m] of senders.entries()) m.c.signal(target.id, payload(k, seq));
    // the first sender leaves right behind its frames: its peer_left must not overtake them
    senders[0]!.c.ws.close();

    await vi.waitFor(
      () => {
        expect(target.c.all('signal')).toHaveLength(4 * N);
        expect(target.c.all('peer_left')).toHaveLength(1);
      },
      { timeout: 20_000 },
    );
    for (const [k, m] of senders.entries()) {
      const got = target.c.all('signal').filter((f) => f.from === m.id);
      expect(got.map((f) => f.payload[1]! * 256 + f.payload[2]!)).toEqual(
        Array.from({ length: N }, (_, i) => i),
      );
      got.forEach((f, seq) => expect(f.payload).toEqual(payload(k, seq)));
    }
    const leaver = senders[0]!.id;
    const lastFromLeaver = target.c.messages.findLastIndex(
      (m) => m.type === 'signal' && m.from === leaver,
    );
    const left = target.c.messages.findIndex((m) => m.type === 'peer_left' && m.peerId === leaver);
    expect(left).toBeGreaterThan(lastFromLeaver);
    expect(await metric(s, 'peerboard_messages_relayed_total')).toBe(4 * N);
  });

  it('still cuts off a consumer that stops reading while several senders flood it', async () => {
    const s = await server({
      limits: { ...FLOOD, maxBackpressureBytes: 64 * 1024 },
      // wide open, so that only the backpressure backstop stands between the flood and the victim
      recipient: { ...OPEN_BUDGETS, congestionBytes: 1e9 },
    });
    const slow = await member(s, 'cut', 'slow');
    const senders: Awaited<ReturnType<typeof member>>[] = [];
    for (let k = 0; k < 3; k++) senders.push(await member(s, 'cut', `s${k}`));
    (slow.c.ws as unknown as Socket)._socket.pause();
    const big = new Uint8Array(SIGNAL_PAYLOAD_MAX_BYTES).fill(7);
    const cut = async () => metric(s, 'peerboard_connections_closed_total{reason="slow_consumer"}');
    await vi.waitFor(
      async () => {
        for (const m of senders) for (let i = 0; i < 20; i++) m.c.signal(slow.id, big);
        expect(await cut()).toBe(1);
      },
      { timeout: 20_000, interval: 50 },
    );
    for (const m of senders) expect((await m.c.next('peer_left')).peerId).toBe(slow.id);
    // the senders are unaffected and still reach each other
    senders[0]!.c.signal(senders[1]!.id, payload(0, 1));
    const got = await senders[1]!.c.next('signal');
    expect(got.from).toBe(senders[0]!.id);
    expect(got.payload).toEqual(payload(0, 1));
    (slow.c.ws as unknown as Socket)._socket.resume();
    expect((await slow.c.closed).code).not.toBe(1000);
    expect(await cut()).toBe(1);
  });
});
