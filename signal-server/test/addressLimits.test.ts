/**
 * Per-client-address caps over real sockets. Every client here really comes from 127.0.0.1;
 * other "addresses" are X-Forwarded-For values, believed only when the relay trusts loopback
 * as its proxy (TRUST_PROXY=127.0.0.1), exactly as behind a local reverse proxy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE, PROTOCOL_VERSION } from '@peerboard/protocol';
import {
  connect,
  health,
  metricsText,
  metricValue,
  startTestServer,
  waitFor,
  type TestClient,
  type TestServer,
  type TestServerOverrides,
} from './helpers';

const servers: TestServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  for (const s of servers.splice(0)) await s.close();
});
async function server(overrides: TestServerOverrides) {
  const s = await startTestServer(overrides);
  servers.push(s);
  return s;
}
/** A greeted client, "from" `forwardedFor` when given. */
async function client(s: TestServer, forwardedFor?: string) {
  const headers = forwardedFor === undefined ? undefined : { 'x-forwarded-for': forwardedFor };
  const c = await connect(s.wsUrl, { headers });
  clients.push(c);
  return c;
}
/** Resolves true if the client is greeted, false if the relay closed it first. */
async function admitted(c: TestClient): Promise<boolean> {
  c.send({ type: 'hello', version: PROTOCOL_VERSION });
  return Promise.race([c.next('welcome').then(() => true), c.closed.then(() => false)]);
}
const refusals = async (s: TestServer, limit: string) =>
  metricValue(
    await metricsText(s.httpUrl),
    `peerboard_address_limit_refusals_total{limit="${limit}"}`,
  );

describe('per-address connection cap (MAX_CONNECTIONS_PER_IP)', () => {
  it('refuses the connection over the cap with 4029 while another address still gets in', async () => {
    const s = await server({ trustProxy: ['127.0.0.1'], perAddress: { maxConnections: 3 } });
    const attacker = '198.51.100.7';
    const held: TestClient[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await client(s, attacker);
      expect(await admitted(c)).toBe(true);
      held.push(c);
    }
    // the fourth, and one that prepends a fake hop (the proxy appends the real address)
    for (const xff of [attacker, `203.0.113.99, ${attacker}`]) {
      const over = await client(s, xff);
      const closed = await over.closed;
      expect(closed.code).toBe(CLOSE.tooManyFromAddress);
      expect(closed.reason).toBe('too many connections from your network address');
    }
    // an IPv4-mapped spelling of the same address is the same client
    const mapped = await client(s, `::ffff:${attacker}`);
    expect((await mapped.closed).code).toBe(CLOSE.tooManyFromAddress);

    const other = await client(s, '198.51.100.8');
    expect(await admitted(other)).toBe(true);
    expect(await refusals(s, 'connections')).toBe(3);
    expect(
      metricValue(
        await metricsText(s.httpUrl),
        'peerboard_connections_closed_total{reason="address_limit"}',
      ),
    ).toBe(3);

    // a closed connection frees its slot
    await held[0]!.close();
    await waitFor(async () => (await health(s.httpUrl)).connections === 3);
    expect(await admitted(await client(s, attacker))).toBe(true);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    for (const trustProxy of [[], ['10.0.0.0/8', '192.0.2.1']]) {
      const s = await server({ trustProxy, perAddress: { maxConnections: 2 } });
      expect(await admitted(await client(s, '198.51.100.1'))).toBe(true);
      expect(await admitted(await client(s, '198.51.100.2'))).toBe(true);
      // all three are 127.0.0.1 whatever the header says
      const spoofed = await client(s, '198.51.100.3');
      expect((await spoofed.closed).code).toBe(CLOSE.tooManyFromAddress);
      const plain = await client(s);
      expect((await plain.closed).code).toBe(CLOSE.tooManyFromAddress);
    }
  });

  it('counts every IPv6 address of one /64 as one client', async () => {
    const s = await server({ trustProxy: ['127.0.0.1'], perAddress: { maxConnections: 2 } });
    expect(await admitted(await client(s, '2001:db8:1:2::1'))).toBe(true);
    expect(await admitted(await client(s, '2001:db8:1:2:ffff::9'))).toBe(true);
    const third = await client(s, '2001:db8:1:2:abcd:1:2:3');
    expect((await third.closed).code).toBe(CLOSE.tooManyFromAddress);
    expect(await admitted(await client(s, '2001:db8:1:3::1'))).toBe(true);
  });
});

describe('per-address room cap (MAX_ROOMS_PER_IP)', () => {
  it('one address cannot hold more rooms than the cap; others can still create rooms', async () => {
    const s = await server({
      trustProxy: ['127.0.0.1'],
      perAddress: { maxRooms: 2 },
      limits: { maxRooms: 4 },
    });
    const attacker = '198.51.100.7';
    const members: TestClient[] = [];
    for (const room of ['a1', 'a2']) {
      const c = await client(s, attacker);
      await c.hello();
      expect((await c.join(room)).room).toBe(room);
      members.push(c);
    }
    const third = await client(s, attacker);
    await third.hello();
    third.send({ type: 'join', room: 'a3', name: 'x' });
    const refused = await third.next('error');
    expect(refused.code).toBe('ERR_TOO_MANY_ROOMS');
    expect(refused.message).toMatch(/your network address already holds too many rooms/);
    // joining a room the address already holds is not a new room
    expect((await third.join('a1')).room).toBe('a1');
    // joining another address's room is holding one more room too
    const victim = await client(s, '198.51.100.8');
    await victim.hello();
    expect((await victim.join('v1')).room).toBe('v1');
    const late = await client(s, attacker);
    await late.hello();
    late.send({ type: 'join', room: 'v1', name: 'x' });
    expect((await late.next('error')).code).toBe('ERR_TOO_MANY_ROOMS');
    expect((await health(s.httpUrl)).rooms).toBe(3);
    expect(await refusals(s, 'rooms')).toBe(2);

    // leaving frees the slot
    members[1]!.send({ type: 'leave' });
    await waitFor(async () => (await health(s.httpUrl)).rooms === 2);
    expect((await late.join('v1')).room).toBe('v1');
  });
});
