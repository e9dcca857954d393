/** Pure modules without sockets: rooms, relay decisions, token bucket, config parsing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOSE,
  DEFAULT_LIMITS,
  PROTOCOL_VERSION,
  SIGNAL_PAYLOAD_MAX_BYTES,
  encodeSignal,
  type ClientMessage,
} from '@peerboard/protocol';
import { makeConnectionLedger } from '../src/addressLimits';
import {
  limitKey,
  makeTrustedProxies,
  normalizeAddress,
  resolveClientAddress,
} from '../src/clientAddress';
import { ConfigError, DEFAULT_STATIC_DIR, configFromEnv } from '../src/config';
import { makeMetrics } from '../src/metrics';
import { ALLOW, CLOSE_CONN, DROP, NOTIFY, makeTokenBucket } from '../src/rateLimit';
import {
  envelopePeerId,
  handleDisconnect,
  handleMessage,
  routeSignalFrame,
  type Action,
  type RelayContext,
  type Session,
} from '../src/relay';
import {
  ADMIT,
  DROP_CONGESTED,
  DROP_CONGESTED_NOTIFY,
  DROP_RATE,
  DROP_RATE_NOTIFY,
  RecipientBudgets,
} from '../src/recipientGuard';
import { makeRoomRegistry } from '../src/rooms';

interface S extends Session<S> {
  tag: string;
}
let n = 0;
const session = (greeted = true): S => ({
  id: `peer${String(n++).padStart(8, '0')}`,
  tag: `s${n}`,
  greeted,
  name: '',
  room: null,
});
const context = (maxPeersPerRoom = 3, maxRooms = 2): RelayContext<S> => ({
  rooms: makeRoomRegistry<S>({ maxPeersPerRoom, maxRooms }),
  iceServers: [],
  version: PROTOCOL_VERSION,
});
const sends = (actions: Action<S>[]) =>
  actions.flatMap((a) => (a.type === 'send' ? [{ to: a.to.id, msg: JSON.parse(a.text) }] : []));

describe('rooms', () => {
  it('bounds members per room and rooms, and deletes empty rooms', () => {
    const r = makeRoomRegistry<{ id: string }>({ maxPeersPerRoom: 2, maxRooms: 1 });
    const a = r.join('x', { id: 'a' });
    expect(a.ok).toBe(true);
    expect(r.join('x', { id: 'a' })).toEqual({ ok: false, code: 'ERR_ALREADY_IN_ROOM' });
    expect(r.join('x', { id: 'b' }).ok).toBe(true);
    expect(r.join('x', { id: 'c' })).toEqual({ ok: false, code: 'ERR_ROOM_FULL' });
    expect(r.join('y', { id: 'c' })).toEqual({ ok: false, code: 'ERR_TOO_MANY_ROOMS' });
    if (!a.ok) throw new Error();
    expect(r.leave(a.room, 'a')).toBe(true);
    expect(r.leave(a.room, 'a')).toBe(false);
    expect(r.roomCount).toBe(1);
    r.leave(a.room, 'b');
    expect(r.roomCount).toBe(0);
    expect(r.get('x')).toBeUndefined();
    expect(r.join('y', { id: 'c' }).ok).toBe(true);
  });

  it('keeps its counts consistent under random join/leave sequences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.nat(5), fc.nat(3)), { maxLength: 200 }),
        (ops) => {
          const r = makeRoomRegistry<{ id: string }>({ maxPeersPerRoom: 3, maxRooms: 2 });
          const where = new Map<string, string>();
          for (const [join, peer, room] of ops) {
            const id = `p${peer}`;
            const current = where.get(id);
            if (join && current === undefined) {
              const res = r.join(`r${room}`, { id });
              if (res.ok) where.set(id, `r${room}`);
            } else if (!join && current !== undefined) {
              expect(r.leave(r.get(current)!, id)).toBe(true);
              where.delete(id);
            }
            const rooms = new Set(where.values());
            expect(r.roomCount).toBe(rooms.size);
            expect(rooms.size).toBeLessThanOrEqual(2);
            for (const room of rooms) expect(r.get(room)!.members.size).toBeLessThanOrEqual(3);
          }
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('relay decisions', () => {
  it('hello -> welcome; wrong version -> ERR_VERSION + close 4001 naming both versions', () => {
    const ctx = context();
    const s = session(false);
    expect(sends(handleMessage(ctx, s, { type: 'hello', version: PROTOCOL_VERSION }))).toEqual([
      { to: s.id, msg: { type: 'welcome', version: PROTOCOL_VERSION, peerId: s.id } },
    ]);
    const t = session(false);
    const out = handleMessage(ctx, t, { type: 'hello', version: 9 });
    expect(out[0]).toMatchObject({ type: 'reject', code: 'ERR_VERSION' });
    expect(out[1]).toEqual({
      type: 'close',
      code: CLOSE.versionMismatch,
      reason: `protocol version mismatch: client 9, server ${PROTOCOL_VERSION}`,
      label: 'version_mismatch',
    });
    expect(t.greeted).toBe(false);
  });

  it('requires hello before anything else', () => {
    const ctx = context();
    const msgs: ClientMessage[] = [
      { type: 'join', room: 'r', name: 'n' },
      { type: 'leave' },
      { type: 'ping', t: 1 },
      { type: 'signal', to: 'AAAAAAAAAAAA', payload: new Uint8Array(1) },
    ];
    for (const m of msgs)
      expect(handleMessage(ctx, session(false), m)).toEqual([
        expect.objectContaining({ type: 'reject', code: 'ERR_HELLO_FIRST' }),
      ]);
  });

  it('a relay of another version greets only its own clients and attests its version for each member', () => {
    const ctx: RelayContext<S> = { ...context(), version: PROTOCOL_VERSION + 1 };
    const [old, a, b] = [session(false), session(false), session(false)];
    expect(handleMessage(ctx, old, { type: 'hello', version: PROTOCOL_VERSION })).toContainEqual(
      expect.objectContaining({ type: 'close', code: CLOSE.versionMismatch }),
    );
    for (const s of [a, b])
      expect(
        sends(handleMessage(ctx, s, { type: 'hello', version: PROTOCOL_VERSION + 1 })),
      ).toEqual([
        { to: s.id, msg: { type: 'welcome', version: PROTOCOL_VERSION + 1, peerId: s.id } },
      ]);
    handleMessage(ctx, a, { type: 'join', room: 'r', name: 'A' });
    const out = sends(handleMessage(ctx, b, { type: 'join', room: 'r', name: 'B' }));
    expect(out.map((o) => o.msg)).toEqual([
      expect.objectContaining({
        type: 'joined',
        members: [{ id: a.id, name: 'A', version: PROTOCOL_VERSION + 1 }],
      }),
      { type: 'peer_joined', peer: { id: b.id, name: 'B', version: PROTOCOL_VERSION + 1 } },
    ]);
  });

  it('join tells the joiner the others and the others the joiner; leave and disconnect tell the rest', () => {
    const ctx = context();
    const [a, b, c] = [session(), session(), session()];
    handleMessage(ctx, a, { type: 'join', room: 'r', name: 'A' });
    handleMessage(ctx, b, { type: 'join', room: 'r', name: 'B' });
    const out = sends(handleMessage(ctx, c, { type: 'join', room: 'r', name: 'C' }));
    expect(out[0]).toEqual({
      to: c.id,
      msg: {
        type: 'joined',
        room: 'r',
        peerId: c.id,
        members: [
          { id: a.id, name: 'A', version: PROTOCOL_VERSION },
          { id: b.id, name: 'B', version: PROTOCOL_VERSION },
        ],
        iceServers: [],
      },
    });
    expect(out.slice(1)).toEqual([
      {
        to: a.id,
        msg: { type: 'peer_joined', peer: { id: c.id, name: 'C', version: PROTOCOL_VERSION } },
      },
      {
        to: b.id,
        msg: { type: 'peer_joined', peer: { id: c.id, name: 'C', version: PROTOCOL_VERSION } },
      },
    ]);
    expect(handleMessage(ctx, c, { type: 'join', room: 'q', name: 'C' })).toEqual([
      expect.objectContaining({ code: 'ERR_ALREADY_IN_ROOM' }),
    ]);
    expect(sends(handleMessage(ctx, b, { type: 'leave' }))).toEqual([
      { to: a.id, msg: { type: 'peer_left', peerId: b.id } },
      { to: c.id, msg: { type: 'peer_left', peerId: b.id } },
    ]);
    expect(handleMessage(ctx, b, { type: 'leave' })).toEqual([
      expect.objectContaining({ code: 'ERR_NOT_IN_ROOM' }),
    ]);
    expect(sends(handleDisconnect(ctx, a))).toEqual([
      { to: c.id, msg: { type: 'peer_left', peerId: a.id } },
    ]);
    expect(handleDisconnect(ctx, a)).toEqual([]);
    expect(sends(handleDisconnect(ctx, c))).toEqual([]);
    expect(ctx.rooms.roomCount).toBe(0);
  });

  it('routes a signal only to another member of the same room', () => {
    const ctx = context(4, 4);
    const [a, b, x] = [session(), session(), session()];
    handleMessage(ctx, a, { type: 'join', room: 'r', name: '' });
    handleMessage(ctx, b, { type: 'join', room: 'r', name: '' });
    handleMessage(ctx, x, { type: 'join', room: 'other', name: '' });
    const frame = (to: string) => encodeSignal(to, new Uint8Array([1, 2, 3]));
    expect(routeSignalFrame(a, frame(b.id))).toBe(b);
    expect(routeSignalFrame(a, frame(x.id))).toBe('ERR_NO_SUCH_PEER');
    expect(routeSignalFrame(a, frame(a.id))).toBe('ERR_NO_SUCH_PEER');
    expect(routeSignalFrame(x, frame(a.id))).toBe('ERR_NO_SUCH_PEER');
    expect(routeSignalFrame(session(), frame(a.id))).toBe('ERR_NOT_IN_ROOM');
    expect(routeSignalFrame(session(false), frame(a.id))).toBe('ERR_HELLO_FIRST');
    expect(routeSignalFrame(a, new Uint8Array([]))).toBe('ERR_UNKNOWN_TYPE');
    expect(routeSignalFrame(a, new Uint8Array([2, ...frame(b.id).subarray(1)]))).toBe(
      'ERR_UNKNOWN_TYPE',
    );
    expect(routeSignalFrame(a, frame(b.id).subarray(0, 13))).toBe('ERR_BAD_MESSAGE');
    expect(
      routeSignalFrame(a, encodeSignal(b.id, new Uint8Array(SIGNAL_PAYLOAD_MAX_BYTES + 1))),
    ).toBe('ERR_TOO_BIG');
    expect(handleMessage(ctx, a, { type: 'signal', to: b.id, payload: new Uint8Array(1) })).toEqual(
      [{ type: 'forward', to: b }],
    );
  });

  it('reads envelope peer ids exactly like the shared validator', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 13, maxLength: 20 }), (f) => {
        const id = envelopePeerId(f);
        const valid = /^[A-Za-z0-9_-]{12}$/.test(String.fromCharCode(...f.subarray(1, 13)));
        expect(id).toBe(valid ? String.fromCharCode(...f.subarray(1, 13)) : null);
      }),
      { seed: 11, numRuns: 500 },
    );
    expect(envelopePeerId(encodeSignal('Ab-_09zZyY8x', new Uint8Array(1)))).toBe('Ab-_09zZyY8x');
  });
});

describe('token bucket', () => {
  const opts = { ratePerSecond: 10, burst: 3, maxStrikes: 4 };
  it('allows a burst, notifies once per run of drops, closes after maxStrikes', () => {
    const b = makeTokenBucket(opts, 0);
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([ALLOW, ALLOW, ALLOW]);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([NOTIFY, DROP, DROP, DROP]);
    expect(b.take(0)).toBe(CLOSE_CONN);
  });
  it('refills at the configured rate and an accepted message ends the run', () => {
    const b = makeTokenBucket(opts, 0);
    for (let i = 0; i < 3; i++) b.take(0);
    expect(b.take(50)).toBe(NOTIFY); // half a token
    expect(b.take(100)).toBe(ALLOW); // one token after 100 ms
    expect(b.take(100)).toBe(NOTIFY); // a new run, reported again
    expect(b.take(10_000)).toBe(ALLOW); // full again, capped at burst
    expect([b.take(10_000), b.take(10_000), b.take(10_000)]).toEqual([ALLOW, ALLOW, NOTIFY]);
  });
});

describe('config', () => {
  it('defaults come from shared limits', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      allowedOrigins: [],
      logLevel: 'info',
      staticDir: DEFAULT_STATIC_DIR,
      limits: DEFAULT_LIMITS,
    });
    expect(DEFAULT_STATIC_DIR).toMatch(/web\/dist$/);
  });
  it('reads every variable', () => {
    const c = configFromEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      STATIC_DIR: '/srv/www',
      ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173/',
      MAX_PEERS_PER_ROOM: '4',
      MAX_ROOMS: '5',
      MAX_CONNECTIONS: '6',
      RATE_PER_SEC: '2.5',
      RATE_BURST: '7',
      RATE_MAX_STRIKES: '8',
      IDLE_TIMEOUT_S: '0',
      MAX_BACKPRESSURE_BYTES: '65536',
      LOG_LEVEL: 'debug',
      TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,2001:db8::/32',
      MAX_CONNECTIONS_PER_IP: '9',
      MAX_ROOMS_PER_IP: '3',
      PEER_BYTES_PER_SEC: '2048',
      PEER_BURST_BYTES: '40000',
      PEER_CONGESTION_BYTES: '30000',
      SOURCE_MAPS: '1',
      METRICS_PORT: '9100',
      METRICS_HOST: '127.0.0.2',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
      STUN_URLS: 'stun:turn.example:3478',
      TLS_CERT_FILE: '/etc/tls/fullchain.pem',
      TLS_KEY_FILE: '/etc/tls/privkey.pem',
      TLS_CA_FILE: '/etc/tls/chain.pem',
      TLS_KEY_PASSPHRASE: 'pass phrase',
      PEER_CONNECT_TIMEOUT_MS: '15000',
      PEER_DIRECT_TIMEOUT_MS: '3000',
    });
    expect(c).toEqual({
      port: 0,
      host: '127.0.0.1',
      staticDir: '/srv/www',
      allowedOrigins: ['https://a.example', 'http://localhost:5173'],
      logLevel: 'debug',
      iceServers: [{ urls: ['stun:turn.example:3478'] }],
      turn: null,
      cluster: null,
      tls: {
        certFile: '/etc/tls/fullchain.pem',
        keyFile: '/etc/tls/privkey.pem',
        caFile: '/etc/tls/chain.pem',
        passphrase: 'pass phrase',
      },
      lan: null,
      limits: {
        maxPeersPerRoom: 4,
        maxRooms: 5,
        maxConnections: 6,
        rateMessagesPerSecond: 2.5,
        rateBurst: 7,
        maxStrikes: 8,
        idleTimeoutSeconds: 0,
        maxBackpressureBytes: 65536,
      },
      trustProxy: ['10.0.0.1', '192.168.0.0/16', '2001:db8::/32'],
      perAddress: { maxConnections: 9, maxRooms: 3 },
      recipient: { bytesPerSecond: 2048, burstBytes: 40000, congestionBytes: 30000 },
      sourceMaps: true,
      metrics: {
        enabled: true,
        port: 9100,
        host: '127.0.0.2',
        token: 'a-long-enough-metrics-token',
      },
      peerTimeouts: { connectMs: 15000, directMs: 3000 },
    });
  });
  it('hardening defaults: caps 64 / 32, congestion at half the backlog cap, metrics public', () => {
    const c = configFromEnv({ MAX_BACKPRESSURE_BYTES: '200000' });
    expect(c.trustProxy).toEqual([]);
    expect(c.perAddress).toEqual({ maxConnections: 64, maxRooms: 32 });
    expect(c.recipient).toEqual({
      bytesPerSecond: 64 * 1024,
      burstBytes: 256 * 1024,
      congestionBytes: 100000,
    });
    expect(c.sourceMaps).toBe(false);
    expect(c.metrics).toEqual({ enabled: true, port: null, host: '127.0.0.1', token: null });
    expect(configFromEnv({ METRICS_PORT: 'off' }).metrics.enabled).toBe(false);
  });
  it.each([
    ['PORT', '70000'],
    ['PORT', '1e3'],
    ['MAX_ROOMS', '-1'],
    ['RATE_PER_SEC', 'fast'],
    ['IDLE_TIMEOUT_S', '4'],
    ['MAX_BACKPRESSURE_BYTES', '10'],
    ['ALLOWED_ORIGINS', 'ftp://x'],
    ['LOG_LEVEL', 'verbose'],
    ['TRUST_PROXY', 'proxy.example'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['MAX_CONNECTIONS_PER_IP', '0'],
    ['MAX_ROOMS_PER_IP', 'lots'],
    ['PEER_BURST_BYTES', '1000'],
    ['PEER_CONGESTION_BYTES', String(1024 * 1024)],
    ['SOURCE_MAPS', 'yes'],
    ['METRICS_PORT', '8080'],
    ['METRICS_TOKEN', 'short'],
  ])('rejects %s=%s with a ConfigError naming it', (name, value) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(name);
  });
});

describe('metrics', () => {
  it('renders every labelled series, zero included', () => {
    const m = makeMetrics();
    m.messagesRelayed = 3;
    m.rejected.ERR_NO_SUCH_PEER = 2;
    m.closed.slow_consumer = 1;
    const text = m.render({ connections: 5, rooms: 2 });
    expect(text).toContain('peerboard_connections 5\n');
    expect(text).toContain('peerboard_rooms 2\n');
    expect(text).toContain('peerboard_messages_relayed_total 3\n');
    expect(text).toContain('peerboard_messages_rejected_total{reason="no_such_peer"} 2\n');
    expect(text).toContain('peerboard_messages_rejected_total{reason="rate_limited"} 0\n');
    expect(text).toContain('peerboard_connections_closed_total{reason="slow_consumer"} 1\n');
  });
});

describe('client address', () => {
  const trusted = makeTrustedProxies(['10.0.0.1', '192.168.0.0/16', '2001:db8::/32']);
  it.each([
    // [TCP peer, X-Forwarded-For, client]
    ['203.0.113.5', '198.51.100.1', '203.0.113.5'], // not a proxy: the header is ignored
    ['10.0.0.1', '', '10.0.0.1'],
    ['10.0.0.1', '198.51.100.1', '198.51.100.1'],
    ['10.0.0.1', 'spoofed, 198.51.100.1', '198.51.100.1'], // client-written hops are ignored
    ['10.0.0.1', '1.1.1.1, 198.51.100.1, 192.168.3.4', '198.51.100.1'], // chained proxies
    ['10.0.0.1', '192.168.0.9, 192.168.3.4', '192.168.0.9'], // only proxies: the farthest
    ['10.0.0.1', '198.51.100.1, not-an-ip', '10.0.0.1'], // garbage from a proxy: the proxy
    ['::ffff:10.0.0.1', ' ::ffff:198.51.100.1 ', '198.51.100.1'], // IPv4-mapped spellings
    ['0000:0000:0000:0000:0000:ffff:0a00:0001', '198.51.100.1', '198.51.100.1'],
    ['2001:db8::7', '[2001:DB8:0::1:2]', '2001:db8::1:2'],
  ])('peer %s with X-Forwarded-For "%s" is %s', (peer, xff, client) => {
    expect(resolveClientAddress(peer, xff, trusted)).toBe(client);
  });
  it('keys IPv4 by address and IPv6 by /64', () => {
    expect(limitKey('198.51.100.1')).toBe('198.51.100.1');
    expect(limitKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8:1:2:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
    expect(normalizeAddress('nonsense')).toBeNull();
  });
  it('rejects malformed TRUST_PROXY entries', () => {
    for (const bad of ['host.example', '10.0.0.0/40', '10.0.0.0/8/1', '::/129'])
      expect(() => makeTrustedProxies([bad])).toThrow(/CIDR|address/);
  });
});

describe('per-address ledgers', () => {
  it('counts connections per key up to the cap and frees them', () => {
    const l = makeConnectionLedger(2);
    expect([l.tryOpen('a'), l.tryOpen('a'), l.tryOpen('a'), l.tryOpen('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    l.release('a');
    expect(l.tryOpen('a')).toBe(true);
    l.release('a');
    l.release('a');
    l.release('b');
    expect(l.keys).toBe(0);
  });
  it('caps the distinct rooms an address is in, whoever created them', () => {
    const r = makeRoomRegistry<{ id: string; address?: string }>({
      maxPeersPerRoom: 4,
      maxRooms: 10,
      maxRoomsPerAddress: 2,
    });
    const x1 = r.join('r1', { id: 'x1', address: 'X' });
    expect(r.join('r2', { id: 'x2', address: 'X' }).ok).toBe(true);
    expect(r.join('r3', { id: 'x3', address: 'X' })).toEqual({
      ok: false,
      code: 'ERR_TOO_MANY_ROOMS',
      perAddress: true,
    });
    expect(r.join('r1', { id: 'x3', address: 'X' }).ok).toBe(true); // already held
    // Y keeps X's room alive after X left: it is Y's room now, counted for Y
    expect(r.join('r1', { id: 'y1', address: 'Y' }).ok).toBe(true);
    if (!x1.ok) throw new Error();
    r.leave(x1.room, 'x1');
    r.leave(x1.room, 'x3');
    expect(r.roomsHeldBy('X')).toBe(1);
    expect(r.roomsHeldBy('Y')).toBe(1);
    expect(r.join('r3', { id: 'x3', address: 'X' }).ok).toBe(true);
    expect(r.join('r4', { id: 'n1' }).ok).toBe(true); // no address: not capped
  });
});

describe('recipient budgets', () => {
  const limits = { bytesPerSecond: 1000, burstBytes: 3000, congestionBytes: 500 };
  it('admits a burst, refills over time, and tells the sender once per run of drops', () => {
    const b = new RecipientBudgets(limits);
    expect([b.admit('v', 1000, 0, 0), b.admit('v', 1000, 0, 0), b.admit('v', 1000, 0, 0)]).toEqual([
      ADMIT,
      ADMIT,
      ADMIT,
    ]);
    expect(b.admit('v', 1000, 0, 0)).toBe(DROP_RATE_NOTIFY);
    expect(b.admit('v', 1000, 0, 500)).toBe(DROP_RATE);
    expect(b.admit('w', 1000, 0, 500)).toBe(ADMIT); // another recipient, another budget
    expect(b.admit('v', 1000, 0, 1000)).toBe(ADMIT); // refilled 1000 bytes in 1 s
    expect(b.admit('v', 1000, 0, 1000)).toBe(DROP_RATE_NOTIFY); // a new run
  });
  it('drops frames to a congested recipient without spending the budget', () => {
    const b = new RecipientBudgets(limits);
    expect(b.admit('v', 100, 501, 0)).toBe(DROP_CONGESTED_NOTIFY);
    expect(b.admit('v', 100, 9999, 0)).toBe(DROP_CONGESTED);
    expect(b.admit('v', 3000, 500, 0)).toBe(ADMIT); // whole burst still there
  });
  it('forgets recipients that left', () => {
    const b = new RecipientBudgets(limits);
    b.admit('a', 1, 0, 0);
    b.admit('b', 1, 0, 0);
    b.prune((peer) => peer === 'b');
    expect(b.size).toBe(1);
  });
});
