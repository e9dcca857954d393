/**
 * A rolling deploy in miniature: one real redis-server and relays of chosen protocol versions
 * sharing its rooms (as during a deploy, when an instance of the old code and one of the new
 * serve the same room). Each relay greets only pages of its own version and attests it for
 * them, so a page on the other relay is truly on another version. Stopped by `close()`.
 */
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import { freePort, loadRelay, type Relay } from './relay';

interface RedisServer {
  url: string;
  stop(): Promise<void>;
}
interface ClusterHarness {
  startRedis(): Promise<RedisServer>;
}
// signal-server's own harness, loaded by path (web's TS project does not include that package).
const harnessPath = new URL('../../../../signal-server/test/clusterHarness.ts', import.meta.url)
  .href;

export interface RollingDeploy {
  /** the relays' shared cluster settings (an app server started on them joins the deploy) */
  cluster: { url: string; prefix: string; heartbeatTtlMs: number };
  /** a relay of `version` (PROTOCOL_VERSION unless given) in the deploy */
  relay(version?: number): Promise<Relay>;
  /** every relay, then Redis */
  close(): Promise<void>;
}

export async function startRollingDeploy(): Promise<RollingDeploy> {
  const { startRedis } = (await import(/* @vite-ignore */ harnessPath)) as ClusterHarness;
  const redis = await startRedis();
  const cluster = { url: redis.url, prefix: 'pbdeploy:', heartbeatTtlMs: 2000 };
  const relays: Relay[] = [];
  return {
    cluster,
    async relay(version = PROTOCOL_VERSION) {
      const { startServer, defaultConfig } = await loadRelay();
      const port = await freePort();
      const server = await startServer({
        ...defaultConfig(),
        host: '127.0.0.1',
        port,
        logLevel: 'silent',
        staticDir: '/nonexistent-peerboard-dist',
        cluster,
        protocolVersion: version,
      });
      const relay = { port, url: `ws://127.0.0.1:${port}/ws`, close: () => server.close() };
      relays.push(relay);
      return relay;
    },
    async close() {
      for (const r of relays.splice(0).reverse()) await r.close();
      await redis.stop();
    },
  };
}
