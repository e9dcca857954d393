/**
 * Scale-out through a real redis-server: two (or three) relay instances serve the same rooms.
 * Presence and signals cross instances, rooms stay apart (also against frames injected into
 * Redis), the room size holds cluster-wide, and a killed instance's peers leave the others'
 * presence within the heartbeat bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, encodeSignal } from '@peerboard/protocol';
import {
  clusterConfig,
  spawnRelay,
  startRedis,
  type RedisServer,
  type SpawnedRelay,
} from './clusterHarness';
import { bytes, connect, joinedClient, startTestServer, text, type TestServer } from './helpers';

const TTL_MS = 2000;
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function redis(): Promise<RedisServer> {
  const r = await startRedis();
  cleanups.push(() => r.stop());
  return r;
}

const V = PROTOCOL_VERSION;

async function instance(
  r: RedisServer,
  maxPeersPerRoom = 16,
  protocolVersion = V,
): Promise<TestServer> {
  const s = await startTestServer({
    cluster: clusterConfig(r.url, TTL_MS),
    limits: { maxPeersPerRoom },
    protocolVersion,
  });
  cleanups.push(() => s.close());
  return s;
}

async function member(url: string, room: string, name: string) {
  const m = await joinedClient(url, room, name);
  cleanups.push(() => void m.c.ws.terminate());
  return m;
}

/** Instance id whose member set holds `peer` in `room`. */
async function instanceOf(r: RedisServer, room: string, peer: string): Promise<string> {
  for (const inst of await r.client.smembers('pbtest:instances'))
    if (await r.client.sismember(`pbtest:i:${inst}:m`, `${room}\n${peer}`)) return inst;
  throw new Error(`no instance holds ${peer}`);
}

describe('scale-out over Redis', () => {
  it('peers on two instances see each other and exchange signals both ways', async () => {
    const r = await redis();
    const [s1, s2] = [await instance(r), await instance(r)];
    const a = await member(s1.wsUrl, 'shared', 'ann');
    const b = await member(s2.wsUrl, 'shared', 'bob');
    expect(b.joined.members).toEqual([{ id: a.id, name: 'ann', version: V }]);
    expect((await a.c.next('peer_joined')).peer).toEqual({ id: b.id, name: 'bob', version: V });
    const c = await member(s1.wsUrl, 'shared', 'cy');
    expect(c.joined.members.map((m) => m.name).sort()).toEqual(['ann', 'bob']);
    expect((await b.c.next('peer_joined')).peer.name).toBe('cy');

    a.c.signal(b.id, bytes('offer from ann'));
    const got = await b.c.next('signal');
    expect(got.from).toBe(a.id);
    expect(text(got.payload)).toBe('offer from ann');
    b.c.signal(a.id, bytes('answer from bob'));
    const back = await a.c.next('signal');
    expect([back.from, text(back.payload)]).toEqual([b.id, 'answer from bob']);
    // the local fast path still works next to the remote one
    c.c.signal(a.id, bytes('local'));
    expect(text((await a.c.next('signal')).payload)).toBe('local');
    // 200 signals across instances arrive complete and in order
    for (let i = 0; i < 200; i++) a.c.signal(b.id, bytes(`n${i}`));
    const seen: string[] = [];
    for (let i = 0; i < 200; i++) seen.push(text((await b.c.next('signal')).payload));
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => `n${i}`));

    // leaving is seen on the other instance
    b.c.ws.close();
    expect((await a.c.next('peer_left')).peerId).toBe(b.id);
    expect((await c.c.next('peer_left')).peerId).toBe(b.id);
    expect(await r.client.hkeys('pbtest:r:shared:m')).toEqual(expect.not.arrayContaining([b.id]));
  });

  it('relay never crosses rooms across instances, not even for frames injected into Redis', async () => {
    const r = await redis();
    const [s1, s2] = [await instance(r), await instance(r)];
    const a = await member(s1.wsUrl, 'room-one', 'ann');
    const b = await member(s2.wsUrl, 'room-one', 'bob');
    const d = await member(s2.wsUrl, 'room-two', 'dee');
    const e = await member(s1.wsUrl, 'room-two', 'eve');
    expect(d.joined.members).toEqual([]);
    expect(e.joined.members.map((m) => m.id)).toEqual([d.id]);

    a.c.signal(d.id, bytes('to another room'));
    expect((await a.c.next('error')).code).toBe('ERR_NO_SUCH_PEER');
    e.c.signal(b.id, bytes('to another room'));
    expect((await e.c.next('error')).code).toBe('ERR_NO_SUCH_PEER');

    // Forged cluster frames straight into s2's channel: [len][room][to][frame]
    const s2id = await instanceOf(r, 'room-two', d.id);
    const forged = (room: string, to: string, payload: string) => {
      const frame = encodeSignal(a.id, bytes(payload));
      return Buffer.concat([Buffer.from([room.length]), Buffer.from(room + to), frame]);
    };
    await r.client.publish(`pbtest:i:${s2id}`, forged('room-one', d.id, 'wrong room'));
    await r.client.publish(`pbtest:i:${s2id}`, forged('room-two', d.id, 'right room'));
    const got = await d.c.next('signal');
    expect(text(got.payload)).toBe('right room'); // the first one was dropped
    // and the legitimate cross-instance path in room-one works
    a.c.signal(b.id, bytes('same room'));
    expect(text((await b.c.next('signal')).payload)).toBe('same room');
    expect(d.c.all('signal')).toHaveLength(1);
    expect(b.c.all('signal')).toHaveLength(1);
  });

  it('the room size holds across instances', async () => {
    const r = await redis();
    const [s1, s2] = [await instance(r, 2), await instance(r, 2)];
    await member(s1.wsUrl, 'small', 'ann');
    await member(s2.wsUrl, 'small', 'bob');
    const c = await connect(s1.wsUrl);
    cleanups.push(() => void c.ws.terminate());
    await c.hello();
    c.send({ type: 'join', room: 'small', name: 'cy' });
    expect((await c.next('error')).code).toBe('ERR_ROOM_FULL');
  });

  it('a rolling deploy: each instance attests its own version for its members, cluster-wide', async () => {
    const r = await redis();
    const [older, newer] = [await instance(r, 16, V), await instance(r, 16, V + 1)];
    const a = await member(older.wsUrl, 'deploy', 'ann');
    const b = await connect(newer.wsUrl);
    cleanups.push(() => void b.ws.terminate());
    const bId = await b.hello(V + 1); // the newer instance greets only pages of its version
    const bJoined = await b.join('deploy', 'bob');
    expect(bJoined.members).toEqual([{ id: a.id, name: 'ann', version: V }]);
    expect((await a.c.next('peer_joined')).peer).toEqual({ id: bId, name: 'bob', version: V + 1 });
    const c = await member(older.wsUrl, 'deploy', 'cy');
    expect(c.joined.members.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { id: a.id, name: 'ann', version: V },
      { id: bId, name: 'bob', version: V + 1 },
    ]);
  });

  it('an instance of older code (its heartbeat says no version) has its members listed unattested', async () => {
    const r = await redis();
    const s1 = await instance(r);
    // what an older instance leaves in Redis: a member and a heartbeat of '1' (no version)
    await r.client.set('pbtest:i:oldinstance1:alive', '1');
    await r.client.hset('pbtest:r:mixed:m', 'oldpeer00001', 'oldinstance1\nold');
    const a = await member(s1.wsUrl, 'mixed', 'ann');
    expect(a.joined.members).toEqual([{ id: 'oldpeer00001', name: 'old' }]);
    // its join events carry no `v` either
    await r.client.publish(
      'pbtest:r:mixed',
      JSON.stringify({ t: 'j', s: 99, i: 'oldinstance1', id: 'oldpeer00002', n: 'older' }),
    );
    expect((await a.c.next('peer_joined')).peer).toEqual({ id: 'oldpeer00002', name: 'older' });
  });

  it('a SIGKILLed instance: its peers leave the others’ presence within the heartbeat bound', async () => {
    const r = await redis();
    const s1 = await instance(r);
    const doomed: SpawnedRelay = await spawnRelay({
      REDIS_URL: r.url,
      REDIS_PREFIX: 'pbtest:',
      CLUSTER_HEARTBEAT_TTL_MS: String(TTL_MS),
      LOG_LEVEL: 'info',
    });
    cleanups.push(() => doomed.kill());
    const x = await member(doomed.wsUrl, 'survive', 'xan');
    const y = await member(s1.wsUrl, 'survive', 'yul');
    expect(y.joined.members).toEqual([{ id: x.id, name: 'xan', version: V }]);
    const xInstance = await instanceOf(r, 'survive', x.id);

    const killedAt = Date.now();
    await doomed.kill(); // no goodbye: no leave, no retire, the heartbeat just stops
    const left = await y.c.next('peer_left', TTL_MS + 8000);
    const detectedMs = Date.now() - killedAt;
    expect(left.peerId).toBe(x.id);
    console.info(`dead instance detected after ${detectedMs} ms (TTL ${TTL_MS} ms + 1 s sweep)`);
    expect(await r.client.hkeys('pbtest:r:survive:m')).toEqual([y.id]);
    expect(await r.client.smembers('pbtest:instances')).not.toContain(xInstance);

    // x's client reconnects to the surviving instance and is back in y's presence
    const x2 = await member(s1.wsUrl, 'survive', 'xan');
    expect(x2.joined.members).toEqual([{ id: y.id, name: 'yul', version: V }]);
    expect((await y.c.next('peer_joined')).peer.id).toBe(x2.id);
  }, 40_000);

  it('a graceful close removes the instance’s peers at once; a lost heartbeat makes clients rejoin', async () => {
    const r = await redis();
    const s1 = await instance(r);
    const s2 = await instance(r);
    const a = await member(s1.wsUrl, 'g', 'ann');
    const b = await member(s2.wsUrl, 'g', 'bob');
    await s2.close();
    expect((await a.c.next('peer_left', 8000)).peerId).toBe(b.id);
    expect(await r.client.hkeys('pbtest:r:g:m')).toEqual([a.id]);

    // s1's heartbeat key vanishes (as after a Redis outage longer than the TTL)
    const s1id = await instanceOf(r, 'g', a.id);
    await r.client.del(`pbtest:i:${s1id}:alive`);
    const closed = await a.c.closed;
    expect(closed.code).toBe(1012);
    const again = await member(s1.wsUrl, 'g', 'ann');
    expect(again.joined.members).toEqual([]);
  });
});
