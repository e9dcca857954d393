/**
 * PEER_CONNECT_TIMEOUT_MS / PEER_DIRECT_TIMEOUT_MS: an operator's peer connection deadlines,
 * sent to every client in `joined`. Unset by default: `joined` carries nothing and each client
 * keeps its own (20 s / 8 s). The browser E2E deploy tests use them to fail fast.
 */
import { PEER_TIMEOUT_SETTING_MAX_MS, PEER_TIMEOUT_SETTING_MIN_MS } from '@peerboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../src/config';
import { joinedClient, startTestServer, type TestServer } from './helpers';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('PEER_CONNECT_TIMEOUT_MS / PEER_DIRECT_TIMEOUT_MS', () => {
  it('are unset by default: `joined` has no peerTimeouts and clients keep their own', async () => {
    const config = configFromEnv({});
    expect(config.peerTimeouts).toBeNull();
    const s = await startTestServer({ peerTimeouts: config.peerTimeouts });
    servers.push(s);
    const a = await joinedClient(s.wsUrl, 'timeouts', 'ann');
    expect('peerTimeouts' in a.joined).toBe(false);
    a.c.ws.close();
  });

  it('reach every client in `joined`, each one alone or both', async () => {
    expect(configFromEnv({ PEER_DIRECT_TIMEOUT_MS: '2000' }).peerTimeouts).toEqual({
      directMs: 2_000,
    });
    const config = configFromEnv({
      PEER_CONNECT_TIMEOUT_MS: '4000',
      PEER_DIRECT_TIMEOUT_MS: '2000',
    });
    const s = await startTestServer({ peerTimeouts: config.peerTimeouts });
    servers.push(s);
    const a = await joinedClient(s.wsUrl, 'timeouts', 'ann');
    const b = await joinedClient(s.wsUrl, 'timeouts', 'bob');
    expect(a.joined.peerTimeouts).toEqual({ connectMs: 4_000, directMs: 2_000 });
    expect(b.joined.peerTimeouts).toEqual({ connectMs: 4_000, directMs: 2_000 });
    a.c.ws.close();
    b.c.ws.close();
  });

  it.each([
    ['PEER_CONNECT_TIMEOUT_MS', String(PEER_TIMEOUT_SETTING_MIN_MS - 1)],
    ['PEER_CONNECT_TIMEOUT_MS', '0'],
    ['PEER_DIRECT_TIMEOUT_MS', String(PEER_TIMEOUT_SETTING_MAX_MS + 1)],
    ['PEER_DIRECT_TIMEOUT_MS', '2.5s'],
    ['PEER_CONNECT_TIMEOUT_MS', '-3000'],
  ])('refuses %s=%j, naming it', (name, value) => {
    expect(() => configFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => configFromEnv({ [name]: value })).toThrow(new RegExp(name));
  });
});
