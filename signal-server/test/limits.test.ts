/** Every limit enforced over real sockets, each against its own server with small bounds. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLOSE,
  CONTROL_FRAME_MAX_BYTES,
  SIGNAL_FRAME_MAX_BYTES,
  SIGNAL_HEADER_BYTES,
  SIGNAL_PAYLOAD_MAX_BYTES,
} from '@peerboard/protocol';
import {
  connect,
  health,
  joinedClient,
  metricsText,
  metricValue,
  startTestServer,
  waitFor,
  type TestClient,
  type TestServer,
} from './helpers';
import { HARD_FRAME_MAX_BYTES } from '../src/server';

const servers: TestServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  for (const s of servers.splice(0)) await s.close();
});
async function server(limits: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(limits);
  servers.push(s);
  return s;
}
async function member(url: string, room: string) {
  const m = await joinedClient(url, room);
  clients.push(m.c);
  return m;
}
const closedMetric = async (s: TestServer, reason: string) =>
  metricValue(
    await metricsText(s.httpUrl),
    `peerboard_connections_closed_total{reason="${reason}"}`,
  );
const rejectedMetric = async (s: TestServer, reason: string) =>
  metricValue(
    await metricsText(s.httpUrl),
    `peerboard_messages_rejected_total{reason="${reason}"}`,
  );

describe('limits', () => {
  it('relays a frame of exactly the maximum size and closes 1009 on one byte more', async () => {
    const s = await server();
    const a = await member(s.wsUrl, 'big');
    const b = await member(s.wsUrl, 'big');
    const max = new Uint8Array(SIGNAL_PAYLOAD_MAX_BYTES).fill(7);
    a.c.signal(b.id, max);
    expect((await b.c.next('signal')).payload.length).toBe(SIGNAL_PAYLOAD_MAX_BYTES);

    const over = new Uint8Array(SIGNAL_FRAME_MAX_BYTES + 1);
    over[0] = 1;
    over.set(new TextEncoder().encode(b.id), 1);
    a.c.ws.send(over);
    const closed = await a.c.closed;
    expect(closed.code).toBe(CLOSE.tooBig);
    expect(closed.reason).toBe(`frame exceeds ${SIGNAL_FRAME_MAX_BYTES} bytes`);
    expect((await b.c.next('peer_left')).peerId).toBe(a.id);
    expect(b.c.all('signal')).toHaveLength(1);
    expect(await closedMetric(s, 'too_big')).toBe(1);

    // beyond uWS's own cap the connection is dropped outright (no close frame), still counted
    const c = await member(s.wsUrl, 'big');
    const huge = new Uint8Array(HARD_FRAME_MAX_BYTES + 1);
    huge[0] = 1;
    c.c.ws.send(huge);
    expect((await c.c.closed).code).toBe(1006);
    expect((await b.c.next('peer_left')).peerId).toBe(c.id);
    expect(await closedMetric(s, 'too_big')).toBe(2);
    expect(SIGNAL_FRAME_MAX_BYTES).toBe(SIGNAL_HEADER_BYTES + SIGNAL_PAYLOAD_MAX_BYTES);
  });

  it('answers an oversize JSON control frame with ERR_TOO_BIG and keeps serving', async () => {
    const s = await server();
    const a = await member(s.wsUrl, 'ctl');
    a.c.send({ type: 'ping', t: 1, pad: 'x'.repeat(CONTROL_FRAME_MAX_BYTES) });
    expect((await a.c.next('error')).code).toBe('ERR_TOO_BIG');
    a.c.send({ type: 'ping', t: 2 });
    expect((await a.c.next('pong')).t).toBe(2);
    expect(await rejectedMetric(s, 'too_big')).toBe(1);
  });

  it('rate-limits: one error per run of drops, then closes a connection that keeps flooding', async () => {
    const s = await server({
      limits: { rateMessagesPerSecond: 0.001, rateBurst: 5, maxStrikes: 20 },
    });
    const a = await member(s.wsUrl, 'rl'); // hello + join used 2 of the 5 tokens
    for (let i = 0; i < 3; i++) a.c.send({ type: 'ping', t: i });
    for (let i = 0; i < 3; i++) expect((await a.c.next('pong')).t).toBe(i);
    for (let i = 0; i < 10; i++) a.c.send({ type: 'ping', t: 100 + i });
    expect((await a.c.next('error')).code).toBe('ERR_RATE_LIMITED');
    for (let i = 0; i < 50; i++) a.c.send({ type: 'ping', t: 200 + i });
    const closed = await a.c.closed;
    expect(closed.code).toBe(CLOSE.rateLimited);
    expect(closed.reason).toMatch(/rate limit/);
    // one error message for the whole run, and no pong for any dropped ping
    expect(a.c.all('error')).toHaveLength(1);
    expect(a.c.all('pong')).toHaveLength(3);
    expect(await rejectedMetric(s, 'rate_limited')).toBeGreaterThanOrEqual(21);
    expect(await closedMetric(s, 'rate_limited')).toBe(1);
  });

  it('rate-limits binary signal frames through the same bucket as control messages', async () => {
    const s = await server({
      limits: { rateMessagesPerSecond: 0.001, rateBurst: 5, maxStrikes: 1000 },
    });
    const a = await member(s.wsUrl, 'rl-bin'); // hello + join used 2 of a's 5 tokens
    const b = await member(s.wsUrl, 'rl-bin');
    for (let i = 0; i < 10; i++) a.c.signal(b.id, new Uint8Array([i]));
    expect((await a.c.next('error')).code).toBe('ERR_RATE_LIMITED');
    // b's ping round trip comes after anything a's frames could still produce
    await new Promise((r) => setTimeout(r, 200));
    b.c.send({ type: 'ping', t: 1 });
    await b.c.next('pong');
    expect(b.c.all('signal').map((m) => m.payload[0])).toEqual([0, 1, 2]);
    expect(await rejectedMetric(s, 'rate_limited')).toBe(7);
  });

  it('refuses a member beyond maxPeersPerRoom with ERR_ROOM_FULL', async () => {
    const s = await server({ limits: { maxPeersPerRoom: 2 } });
    await member(s.wsUrl, 'full');
    await member(s.wsUrl, 'full');
    const c = await connect(s.wsUrl);
    clients.push(c);
    await c.hello();
    c.send({ type: 'join', room: 'full' });
    expect((await c.next('error')).code).toBe('ERR_ROOM_FULL');
    expect((await c.join('other')).room).toBe('other');
  });

  it('refuses a new room beyond maxRooms with ERR_TOO_MANY_ROOMS, and frees empty rooms', async () => {
    const s = await server({ limits: { maxRooms: 1 } });
    const a = await member(s.wsUrl, 'only');
    const c = await connect(s.wsUrl);
    clients.push(c);
    await c.hello();
    c.send({ type: 'join', room: 'second' });
    expect((await c.next('error')).code).toBe('ERR_TOO_MANY_ROOMS');
    expect((await c.join('only')).members.map((m) => m.id)).toEqual([a.id]);
    // once every member left, the room is gone and another one can be made
    a.c.send({ type: 'leave' });
    c.send({ type: 'leave' });
    await waitFor(async () => (await health(s.httpUrl)).rooms === 0);
    expect((await c.join('second')).room).toBe('second');
  });

  it('closes connections beyond maxConnections with 4013', async () => {
    const s = await server({ limits: { maxConnections: 2 } });
    const a = await connect(s.wsUrl);
    const b = await connect(s.wsUrl);
    clients.push(a, b);
    const c = await connect(s.wsUrl);
    const closed = await c.closed;
    expect(closed.code).toBe(CLOSE.serverFull);
    expect(closed.reason).toMatch(/server full/);
    expect(await closedMetric(s, 'server_full')).toBe(1);
    await a.close();
    await waitFor(async () => (await health(s.httpUrl)).connections === 1);
    const d = await connect(s.wsUrl);
    clients.push(d);
    await d.hello();
  });

  // The backstop behind recipient protection (recipient.test.ts): a backlog can still pass
  // maxBackpressure through what the guard does not meter (control frames, or budgets and a
  // congestion threshold set wider than the backlog, as here), and then the peer is cut off.
  it('cuts off a slow consumer that never reads and counts it', async () => {
    const s = await server({
      limits: {
        maxBackpressureBytes: 64 * 1024,
        rateMessagesPerSecond: 1e6,
        rateBurst: 1e6,
      },
      recipient: { bytesPerSecond: 1e12, burstBytes: 1e12, congestionBytes: 1e12 },
    });
    const a = await member(s.wsUrl, 'slow');
    const b = await member(s.wsUrl, 'slow');
    const watcher = await member(s.wsUrl, 'slow');
    await a.c.next('peer_joined');
    // b stops reading: its kernel buffers fill up, then the server's backpressure grows
    (b.c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const payload = new Uint8Array(SIGNAL_PAYLOAD_MAX_BYTES).fill(42);
    let sent = 0;
    while ((await closedMetric(s, 'slow_consumer')) === 0) {
      if (sent > 20_000) throw new Error('slow consumer was never cut off');
      for (let i = 0; i < 50; i++) a.c.signal(b.id, payload);
      sent += 50;
      // let a's own socket drain so the flood reaches the server
      await waitFor(() => a.c.ws.bufferedAmount === 0);
    }
    expect((await watcher.c.next('peer_left')).peerId).toBe(b.id);
    expect((await a.c.next('peer_left')).peerId).toBe(b.id);
    // the sender and the rest of the room are unaffected
    a.c.signal(watcher.id, payload.subarray(0, 10));
    expect((await watcher.c.next('signal')).from).toBe(a.id);
    (b.c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await b.c.closed).code).not.toBe(1000);
    expect(await closedMetric(s, 'slow_consumer')).toBe(1);
  });

  it('refuses an upgrade from an Origin not on the allow-list with 403', async () => {
    const s = await server({ allowedOrigins: ['http://good.example'] });
    const good = await connect(s.wsUrl, { origin: 'http://good.example' });
    clients.push(good);
    await good.hello();
    await expect(connect(s.wsUrl, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect(s.wsUrl)).rejects.toThrow(/403/);
    const m = await metricsText(s.httpUrl);
    expect(metricValue(m, 'peerboard_upgrades_rejected_total{reason="origin"}')).toBe(2);
  });

  it('lets any origin in when the allow-list is empty', async () => {
    const s = await server();
    const c = await connect(s.wsUrl, { origin: 'http://anything.example' });
    clients.push(c);
    expect(await c.hello()).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
