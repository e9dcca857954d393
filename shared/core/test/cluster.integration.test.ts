/**
 * Scale-out seen from real clients: makeRoom peers (wrtc, protected room) on two relay instances
 * sharing a real redis-server form one mesh through cross-instance signaling. Then the instance
 * behind the load balancer (a TCP forwarder) is SIGKILLed: its peer's old id leaves the other
 * side's presence, the client reconnects through the forwarder to the surviving instance, the
 * data channel survives throughout, and a newcomer meshes with everyone.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureFrame } from '../src/room';
import { newSecretRoom } from '../src/secret';
import { fullMesh, joinRoom, waitFor, type TestPeer } from './kit/relay';
import { useCleanups } from './kit/relayRoom';
import { startLoggedRelay, startTap } from './kit/secureHarness';

interface RedisServer {
  url: string;
  stop(): Promise<void>;
}
interface SpawnedRelay {
  port: number;
  wsUrl: string;
  kill(): Promise<void>;
}
interface ClusterHarness {
  startRedis(): Promise<RedisServer>;
  spawnRelay(env: Record<string, string>): Promise<SpawnedRelay>;
}
// signal-server's own harness, loaded by path (web's TS project does not include that package).
const harnessPath = new URL('../../../signal-server/test/clusterHarness.ts', import.meta.url).href;

const TTL_MS = 2000;
const defer = useCleanups();

const text = (s: string): FeatureFrame => ({ type: 'sync', data: new TextEncoder().encode(s) });

describe('two relay instances over Redis, real clients', () => {
  it('mesh across instances; an instance dies, its client moves to the survivor, links stay up', async () => {
    const { startRedis, spawnRelay } = (await import(
      /* @vite-ignore */ harnessPath
    )) as ClusterHarness;
    const redis = await startRedis();
    defer(() => redis.stop());
    const cluster = { url: redis.url, prefix: 'pbtest:', heartbeatTtlMs: TTL_MS };
    const survivor = await startLoggedRelay({ cluster });
    defer(() => survivor.close());
    const doomed = await spawnRelay({
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'pbtest:',
      CLUSTER_HEARTBEAT_TTL_MS: String(TTL_MS),
    });
    defer(() => doomed.kill());
    const front = await startTap(doomed.port); // the load balancer in front of `doomed`
    defer(() => front.close());

    const { roomId, secret } = await newSecretRoom();
    const peers: TestPeer[] = [];
    const join = (url: string, name: string) => {
      const p = joinRoom(url, roomId, name, { secret });
      peers.push(p);
      defer(() => p.room.destroy());
      return p;
    };
    const ann = join(front.url, 'ann'); // on `doomed`
    const bob = join(survivor.url, 'bob');
    await waitFor('ann and bob meshed across instances', () => fullMesh([ann, bob]));
    const got: string[] = [];
    bob.room.onFrame('sync', (f) => got.push(new TextDecoder().decode(f.data)));
    const annOldId = ann.room.snapshot().signalingId;
    const linksBefore = ann.room.diagnostics().linksCreated;

    front.setTarget(survivor.port);
    await doomed.kill();
    // bob's relay drops ann's dead id from presence (heartbeat TTL + sweep), and ann comes back
    // through the front door on the survivor with a new id
    await waitFor(
      'ann rejoined on the survivor and bob sees her new id',
      () => {
        const now = ann.room.snapshot();
        const seen = bob.room.snapshot().peers.find((p) => p.id === ann.room.clientId);
        return (
          now.signaling === 'open' &&
          now.signalingId !== annOldId &&
          seen?.signalingId === now.signalingId
        );
      },
      TTL_MS + 15_000,
    );
    expect(fullMesh([ann, bob])).toBe(true);
    expect(ann.room.diagnostics().linksCreated).toBe(linksBefore); // the data channel survived
    ann.room.send(bob.room.clientId, text('still here'));
    await waitFor('frame after failover', () => got.includes('still here'));

    // a newcomer on the survivor meshes with both
    const cy = join(front.url, 'cy');
    await waitFor('three-way mesh after failover', () => fullMesh([ann, bob, cy]));
  }, 60_000);
});
