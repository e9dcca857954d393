/** Idle timeout with automatic pings: a live client is kept, a silent one is dropped. */
import { describe, expect, it } from 'vitest';
import {
  health,
  joinedClient,
  metricsText,
  metricValue,
  startTestServer,
  waitFor,
} from './helpers';

describe('idle timeout', () => {
  it('pings live clients automatically and drops one that stopped answering', async () => {
    const s = await startTestServer({ limits: { idleTimeoutSeconds: 8 } });
    try {
      const live = await joinedClient(s.wsUrl, 'idle');
      const silent = await joinedClient(s.wsUrl, 'idle');
      let pings = 0;
      live.c.ws.on('ping', () => pings++);
      // the silent client's socket stops reading, so it never answers the server's pings
      (silent.c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      expect((await live.c.next('peer_left', 40_000)).peerId).toBe(silent.id);
      // the live client answered pings (ws does that itself) and is still connected
      await waitFor(() => pings > 0, 20_000);
      live.c.send({ type: 'ping', t: 3 });
      expect((await live.c.next('pong')).t).toBe(3);
      expect((await health(s.httpUrl)).connections).toBe(1);
      const m = await metricsText(s.httpUrl);
      expect(metricValue(m, 'peerboard_connections_closed_total{reason="idle_timeout"}')).toBe(1);
      live.c.ws.terminate();
      silent.c.ws.terminate();
    } finally {
      await s.close();
    }
  }, 60_000);
});
