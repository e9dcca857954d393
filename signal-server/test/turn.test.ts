/**
 * TURN credentials in `joined` (coturn REST-API scheme) and the TURN_* / REDIS_* configuration.
 * The end-to-end proof through a real coturn is web/test/core/turn.integration.test.ts.
 */
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../src/config';
import { turnCredential, turnIceServer } from '../src/turn';
import { joinedClient, startTestServer, type TestServer } from './helpers';

/** HMAC-SHA1 through WebCrypto: an implementation independent of the one under test. */
async function hmacSha1Base64(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await webcrypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  return Buffer.from(await webcrypto.subtle.sign('HMAC', key, enc.encode(message))).toString(
    'base64',
  );
}

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('TURN credentials', () => {
  it('username = "<expiry>:<peer id>", credential = base64(HMAC-SHA1(secret, username))', async () => {
    const c = turnCredential('s3cret', 'AbCdEfGhIjKl', 1_700_000_000.9);
    expect(c.username).toBe('1700000000:AbCdEfGhIjKl');
    expect(c.credential).toBe(await hmacSha1Base64('s3cret', '1700000000:AbCdEfGhIjKl'));
    const ice = turnIceServer(
      { secret: 's3cret', urls: ['turn:a:3478'], ttlSeconds: 60 },
      'AbCdEfGhIjKl',
      1_000_000,
    );
    expect(ice).toEqual({
      urls: ['turn:a:3478'],
      username: '1060:AbCdEfGhIjKl',
      credential: await hmacSha1Base64('s3cret', '1060:AbCdEfGhIjKl'),
    });
  });

  it('each peer gets its own short-lived credential in `joined`; none without TURN', async () => {
    const ttl = 900;
    const server = await startTestServer({
      iceServers: [{ urls: 'stun:stun.example:3478' }],
      turn: { secret: 'coturn-secret', urls: ['turn:127.0.0.1:3478'], ttlSeconds: ttl },
    });
    servers.push(server);
    const before = Math.floor(Date.now() / 1000);
    const a = await joinedClient(server.wsUrl, 'turn-room', 'ann');
    const b = await joinedClient(server.wsUrl, 'turn-room', 'bob');
    const after = Math.ceil(Date.now() / 1000);
    for (const { id, joined } of [a, b]) {
      expect(joined.iceServers[0]).toEqual({ urls: 'stun:stun.example:3478' });
      const turn = joined.iceServers[1]!;
      expect(turn.urls).toEqual(['turn:127.0.0.1:3478']);
      const [expiry, user] = turn.username!.split(':');
      expect(user).toBe(id);
      expect(Number(expiry)).toBeGreaterThanOrEqual(before + ttl);
      expect(Number(expiry)).toBeLessThanOrEqual(after + ttl);
      expect(turn.credential).toBe(await hmacSha1Base64('coturn-secret', turn.username!));
    }
    expect(a.joined.iceServers[1]!.username).not.toBe(b.joined.iceServers[1]!.username);
    a.c.ws.close();
    b.c.ws.close();

    const plain = await startTestServer();
    servers.push(plain);
    const c = await joinedClient(plain.wsUrl, 'no-turn');
    expect(c.joined.iceServers).toEqual([]);
    c.c.ws.close();
  });
});

describe('TURN_* and REDIS_* configuration', () => {
  it('reads TURN and cluster settings', () => {
    const c = configFromEnv({
      TURN_SECRET: 'abc',
      TURN_URLS: 'turn:turn.example:3478?transport=udp, turns:turn.example:5349',
      TURN_TTL_S: '120',
      REDIS_URL: 'redis://127.0.0.1:6390/2',
      REDIS_PREFIX: 'pbtest:',
      CLUSTER_HEARTBEAT_TTL_MS: '2000',
    });
    expect(c.turn).toEqual({
      secret: 'abc',
      urls: ['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349'],
      ttlSeconds: 120,
    });
    expect(c.cluster).toEqual({
      url: 'redis://127.0.0.1:6390/2',
      prefix: 'pbtest:',
      heartbeatTtlMs: 2000,
    });
    const d = configFromEnv({ TURN_SECRET: 'x', TURN_URLS: 'turn:h:1', REDIS_URL: 'redis://r' });
    expect(d.turn?.ttlSeconds).toBe(3600);
    expect(d.cluster).toEqual({ url: 'redis://r', prefix: 'pb:', heartbeatTtlMs: 5000 });
    expect(configFromEnv({}).turn).toBeNull();
    expect(configFromEnv({}).cluster).toBeNull();
  });

  it.each([
    [{ TURN_SECRET: 'abc' }, /TURN_SECRET and TURN_URLS/],
    [{ TURN_URLS: 'turn:h:1' }, /TURN_SECRET and TURN_URLS/],
    [{ TURN_SECRET: 'a', TURN_URLS: 'http://h' }, /TURN_URLS/],
    [{ TURN_SECRET: 'a', TURN_URLS: 'turn:h:1', TURN_TTL_S: '5' }, /TURN_TTL_S/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL/],
    [{ REDIS_URL: 'redis://h', REDIS_PREFIX: 'has space' }, /REDIS_PREFIX/],
    [{ REDIS_URL: 'redis://h', CLUSTER_HEARTBEAT_TTL_MS: '10' }, /CLUSTER_HEARTBEAT_TTL_MS/],
  ])('rejects %j', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError);
    expect(() => configFromEnv(env)).toThrow(message);
  });
});
