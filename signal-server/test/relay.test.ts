/** Relay behaviour over real sockets: presence, routing, isolation, handshake. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, PROTOCOL_VERSION } from '@peerboard/protocol';
import {
  bytes,
  connect,
  joinedClient,
  metricsText,
  metricValue,
  startTestServer,
  text,
  type TestClient,
  type TestServer,
} from './helpers';

let srv: TestServer;
const clients: TestClient[] = [];
const track = <T extends { c: TestClient }>(x: T) => (clients.push(x.c), x);

beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await srv.close();
});

/** A ping round trip: everything the server sent this client before it has arrived. */
async function settle(c: TestClient) {
  const t = Math.random();
  c.send({ type: 'ping', t });
  expect((await c.next('pong')).t).toBe(t);
}

describe('relay', () => {
  it('joins, relays and leaves across four clients in a room', async () => {
    const a = track(await joinedClient(srv.wsUrl, 'room-1', 'Ann'));
    expect(a.joined).toMatchObject({ room: 'room-1', peerId: a.id, members: [], iceServers: [] });
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{12}$/);

    const b = track(await joinedClient(srv.wsUrl, 'room-1', 'Bob'));
    expect(b.joined.members).toEqual([{ id: a.id, name: 'Ann', version: PROTOCOL_VERSION }]);
    expect((await a.c.next('peer_joined')).peer).toEqual({
      id: b.id,
      name: 'Bob',
      version: PROTOCOL_VERSION,
    });

    const c = track(await joinedClient(srv.wsUrl, 'room-1', 'Cy'));
    for (const x of [a, b]) expect((await x.c.next('peer_joined')).peer.id).toBe(c.id);
    const d = track(await joinedClient(srv.wsUrl, 'room-1', 'Di'));
    expect(d.joined.members.map((m) => m.id).sort()).toEqual([a.id, b.id, c.id].sort());
    for (const x of [a, b, c]) expect((await x.c.next('peer_joined')).peer.id).toBe(d.id);

    // every ordered pair exchanges a signal; each arrives once, from the right sender
    const all = [a, b, c, d];
    for (const from of all)
      for (const to of all) if (from !== to) from.c.signal(to.id, bytes(`${from.id}->${to.id}`));
    for (const to of all) {
      const got: string[] = [];
      for (let i = 0; i < all.length - 1; i++) {
        const s = await to.c.next('signal');
        expect(text(s.payload)).toBe(`${s.from}->${to.id}`);
        got.push(s.from);
      }
      expect(got.sort()).toEqual(
        all
          .filter((x) => x !== to)
          .map((x) => x.id)
          .sort(),
      );
    }

    b.c.send({ type: 'leave' });
    for (const x of [a, c, d]) expect((await x.c.next('peer_left')).peerId).toBe(b.id);
    b.c.signal(a.id, bytes('after leave'));
    expect((await b.c.next('error')).code).toBe('ERR_NOT_IN_ROOM');
    a.c.signal(b.id, bytes('to a leaver'));
    expect((await a.c.next('error')).code).toBe('ERR_NO_SUCH_PEER');

    // b may join again (another room) after leaving
    const rejoined = await b.c.join('room-1b');
    expect(rejoined.members).toEqual([]);

    const m = await metricsText(srv.httpUrl);
    expect(metricValue(m, 'peerboard_messages_relayed_total')).toBeGreaterThanOrEqual(12);
  });

  it('never relays across rooms', async () => {
    const a = track(await joinedClient(srv.wsUrl, 'iso-a'));
    const x = track(await joinedClient(srv.wsUrl, 'iso-b'));
    a.c.signal(x.id, bytes('leak?'));
    expect((await a.c.next('error')).code).toBe('ERR_NO_SUCH_PEER');
    x.c.signal(a.id, bytes('leak?'));
    expect((await x.c.next('error')).code).toBe('ERR_NO_SUCH_PEER');
    await settle(a.c);
    await settle(x.c);
    expect(a.c.all('signal')).toEqual([]);
    expect(x.c.all('signal')).toEqual([]);
  });

  it('stamps the real sender id; spoofing attempts are ignored or rejected', async () => {
    const a = track(await joinedClient(srv.wsUrl, 'spoof'));
    const b = track(await joinedClient(srv.wsUrl, 'spoof'));
    const c = track(await joinedClient(srv.wsUrl, 'spoof'));
    // The envelope carries the recipient; whatever a client puts there, the receiver sees
    // the sender the server bound to the socket, never a claimed one.
    a.c.signal(c.id, bytes('from a'));
    const got = await c.c.next('signal');
    expect(got.from).toBe(a.id);
    expect(text(got.payload)).toBe('from a');
    // JSON "signal" with a forged `from` is not a valid frame and is delivered to no one.
    a.c.send({ type: 'signal', from: b.id, to: c.id, payload: 'forged' });
    expect((await a.c.next('error')).code).toBe('ERR_BAD_MESSAGE');
    // a signal to oneself is not a route
    a.c.signal(a.id, bytes('me'));
    expect((await a.c.next('error')).code).toBe('ERR_NO_SUCH_PEER');
    await settle(c.c);
    await settle(b.c);
    expect(c.c.all('signal')).toHaveLength(1);
    expect(b.c.all('signal')).toHaveLength(0);
  });

  it('emits peer_left when a member disconnects, cleanly or abruptly', async () => {
    const a = track(await joinedClient(srv.wsUrl, 'bye'));
    const b = track(await joinedClient(srv.wsUrl, 'bye'));
    const c = track(await joinedClient(srv.wsUrl, 'bye'));
    await b.c.close();
    expect((await a.c.next('peer_left')).peerId).toBe(b.id);
    expect((await c.c.next('peer_left')).peerId).toBe(b.id);
    c.c.ws.terminate();
    expect((await a.c.next('peer_left')).peerId).toBe(c.id);
  });

  it('requires hello first', async () => {
    const c = await connect(srv.wsUrl);
    clients.push(c);
    c.send({ type: 'join', room: 'r' });
    expect((await c.next('error')).code).toBe('ERR_HELLO_FIRST');
    c.signal('AAAAAAAAAAAA', bytes('x'));
    expect((await c.next('error')).code).toBe('ERR_HELLO_FIRST');
    c.send({ type: 'ping', t: 1 });
    expect((await c.next('error')).code).toBe('ERR_HELLO_FIRST');
    await c.hello();
    c.send({ type: 'hello', version: PROTOCOL_VERSION });
    expect((await c.next('error')).code).toBe('ERR_BAD_MESSAGE');
    expect((await c.join('r')).room).toBe('r');
  });

  it('closes with 4001 and a reason naming both versions on a version mismatch', async () => {
    const c = await connect(srv.wsUrl);
    c.send({ type: 'hello', version: PROTOCOL_VERSION + 41 });
    const e = await c.next('error');
    expect(e.code).toBe('ERR_VERSION');
    const closed = await c.closed;
    expect(closed.code).toBe(CLOSE.versionMismatch);
    expect(closed.reason).toContain(`client ${PROTOCOL_VERSION + 41}`);
    expect(closed.reason).toContain(`server ${PROTOCOL_VERSION}`);
    const m = await metricsText(srv.httpUrl);
    expect(
      metricValue(m, 'peerboard_connections_closed_total{reason="version_mismatch"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('rejects a second join, and answers ping with pong', async () => {
    const a = track(await joinedClient(srv.wsUrl, 'once'));
    a.c.send({ type: 'join', room: 'twice' });
    expect((await a.c.next('error')).code).toBe('ERR_ALREADY_IN_ROOM');
    a.c.send({ type: 'ping', t: 1234.5 });
    expect(await a.c.next('pong')).toEqual({ type: 'pong', t: 1234.5 });
  });

  it('answers malformed frames with a clear error and keeps the connection', async () => {
    const a = track(await joinedClient(srv.wsUrl, 'bad'));
    const b = track(await joinedClient(srv.wsUrl, 'bad'));
    const cases: [string | Uint8Array, string][] = [
      ['not json', 'ERR_BAD_JSON'],
      ['[1,2]', 'ERR_BAD_MESSAGE'],
      ['{"type":"dance"}', 'ERR_UNKNOWN_TYPE'],
      ['{"type":"join","room":"bad room!"}', 'ERR_BAD_MESSAGE'],
      [new Uint8Array([0x02, 1, 2, 3]), 'ERR_UNKNOWN_TYPE'],
      [new Uint8Array([0x01, 65, 65]), 'ERR_BAD_MESSAGE'],
      [new Uint8Array(13).fill(0x01), 'ERR_BAD_MESSAGE'],
      [new Uint8Array([0x01, ...bytes('!!!!!!!!!!!!'), 1]), 'ERR_BAD_MESSAGE'],
      [new Uint8Array([]), 'ERR_UNKNOWN_TYPE'],
    ];
    for (const [frame, code] of cases) {
      a.c.ws.send(frame);
      expect((await a.c.next('error')).code, String(frame)).toBe(code);
    }
    a.c.signal(b.id, bytes('still works'));
    expect(text((await b.c.next('signal')).payload)).toBe('still works');
  });
});
