/**
 * STUN_URLS: the STUN servers every client gets in `joined`, before its TURN credential. None by
 * default, so no third party (e.g. a public STUN server) learns who uses the app unless the
 * operator chooses one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../src/config';
import { joinedClient, startTestServer, type TestServer } from './helpers';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('STUN_URLS', () => {
  it('is empty by default: no third-party STUN server', () => {
    expect(configFromEnv({}).iceServers).toEqual([]);
  });

  it('reaches every client in `joined`, next to its own TURN credential', async () => {
    const env = {
      STUN_URLS: 'stun:turn.example.org:3478, stuns:turn.example.org:5349',
      TURN_SECRET: 'shared-with-coturn',
      TURN_URLS: 'turn:turn.example.org:3478?transport=udp',
    };
    const config = configFromEnv(env);
    const s = await startTestServer({ iceServers: config.iceServers, turn: config.turn });
    servers.push(s);
    const a = await joinedClient(s.wsUrl, 'ice', 'ann');
    const [stun, turn, ...rest] = a.joined.iceServers;
    expect(stun).toEqual({ urls: ['stun:turn.example.org:3478', 'stuns:turn.example.org:5349'] });
    expect(turn?.urls).toEqual(['turn:turn.example.org:3478?transport=udp']);
    expect(turn?.username).toMatch(new RegExp(`^\\d+:${a.id}$`));
    expect(rest).toEqual([]);
    a.c.ws.close();
  });

  it.each(['http://stun.example.org', 'turn:turn.example.org:3478', 'stun:', 'stun:a b'])(
    'refuses %j',
    (url) => {
      expect(() => configFromEnv({ STUN_URLS: url })).toThrow(ConfigError);
      expect(() => configFromEnv({ STUN_URLS: url })).toThrow(/STUN_URLS/);
    },
  );
});
