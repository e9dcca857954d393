/**
 * Signaling client: against the real relay (join, reconnect when the relay comes up late, version
 * mismatch stops reconnecting) and against a scripted `ws` server for what the real relay never
 * does (garbage messages, a server that stops answering).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import { makeSignalingClient, type WebSocketCtor } from '../src/signaling/signalingClient';
import { backoffDelay } from '../src/backoff';
import { freePort, sleep, uniqueRoom, waitFor } from './kit/relay';
import { useRelayRoom } from './kit/relayRoom';

const { startRoom, defer } = useRelayRoom('signaling');

function client(url: string, extra: Partial<Parameters<typeof makeSignalingClient>[0]> = {}) {
  const logs: string[] = [];
  const c = makeSignalingClient({
    url,
    roomId: uniqueRoom('sig'),
    name: 'tester',
    WebSocket: WebSocket as unknown as WebSocketCtor,
    retryBaseMs: 50,
    retryMaxMs: 400,
    log: (m, d) => logs.push(`${m} ${String(d ?? '')}`),
    ...extra,
  });
  defer(() => c.destroy());
  return { c, logs };
}

/** Counts sockets opened through it; optionally rewrites what the client sends. */
function countingWs(rewrite?: (data: string) => string) {
  const counter = { opened: 0 };
  class Counting extends WebSocket {
    constructor(url: string) {
      super(url);
      counter.opened++;
    }
    override send(data: unknown, ...rest: unknown[]) {
      const out = typeof data === 'string' && rewrite ? rewrite(data) : data;
      (super.send as (...a: unknown[]) => void)(out, ...rest);
    }
  }
  return { Ctor: Counting as unknown as WebSocketCtor, counter };
}

describe('signaling client', () => {
  it('joins, sees peers come and go, and destroy is idempotent', async () => {
    const { relay } = await startRoom();
    const roomId = uniqueRoom('join');
    const { c: a } = client(relay.url, { roomId });
    const statuses: string[] = [];
    a.on('status', (s) => statuses.push(s.status));
    await waitFor('a open', () => a.status() === 'open');
    const { c: b } = client(relay.url, { roomId, name: 'bob' });
    await waitFor('b seen', () => a.members().some((m) => m.name === 'bob'));
    expect(a.members().map((m) => m.id)).toEqual([b.peerId()]);
    expect(a.sendSignal(b.peerId()!, new Uint8Array([1, 2, 3]))).toBe(true);
    b.destroy();
    b.destroy();
    expect(b.status()).toBe('closed');
    expect(b.sendSignal(a.peerId()!, new Uint8Array([1]))).toBe(false);
    await waitFor('b left', () => a.members().length === 0);
    expect(statuses).toEqual(['open']);
  });

  it('keeps retrying with backoff until the relay comes up, then joins', async () => {
    const port = await freePort();
    const { Ctor, counter } = countingWs();
    const { c } = client(`ws://127.0.0.1:${port}/ws`, { WebSocket: Ctor });
    await waitFor('several attempts', () => counter.opened >= 3);
    expect(c.status()).toBe('reconnecting');
    expect(c.detail()).toMatch(/cannot reach/);
    await startRoom({ port });
    await waitFor('joined', () => c.status() === 'open', 10_000);
    expect(c.peerId()).not.toBeNull();
  });

  it('version mismatch: status says so and there is no reconnect loop', async () => {
    const { relay } = await startRoom();
    const { Ctor, counter } = countingWs((d) =>
      d.replace(`"version":${PROTOCOL_VERSION}`, '"version":999'),
    );
    const { c } = client(relay.url, { WebSocket: Ctor });
    await waitFor('mismatch', () => c.status() === 'version_mismatch');
    expect(c.detail()).toMatch(/version/);
    await sleep(1000);
    expect(counter.opened).toBe(1);
    c.destroy();
    expect(c.status()).toBe('closed');
  });

  it('drops invalid server messages and reconnects when the server stops answering', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    defer(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise((r) => wss.once('listening', r));
    let connections = 0;
    wss.on('connection', (ws) => {
      connections++;
      if (connections > 1) return; // the second socket gets silence: liveness must notice
      ws.send('{not json');
      ws.send(JSON.stringify({ type: 'joined', room: 'r', peerId: 'short' }));
      ws.send(new Uint8Array([9, 9, 9]));
      ws.send(
        JSON.stringify({ type: 'welcome', version: PROTOCOL_VERSION, peerId: 'AAAAAAAAAAAA' }),
      );
      ws.send(
        JSON.stringify({
          type: 'joined',
          room: 'r',
          peerId: 'AAAAAAAAAAAA',
          members: [],
          iceServers: [],
        }),
      );
      setTimeout(() => ws.terminate(), 200);
    });
    const { port } = wss.address() as net.AddressInfo;
    const { c, logs } = client(`ws://127.0.0.1:${port}`, { pingIntervalMs: 50, deadAfterMs: 300 });
    let sawOpen = false;
    c.on('status', (s) => (sawOpen ||= s.status === 'open'));
    await waitFor('opened', () => sawOpen);
    expect(logs.filter((l) => l.startsWith('invalid server message'))).toHaveLength(3);
    await waitFor('third socket after the silent one', () => connections >= 3, 10_000);
    expect(c.status()).not.toBe('open');
  });

  it('backoff grows, is capped and jittered', () => {
    const lo = [0, 1, 2, 3, 10].map((n) => backoffDelay(n, 100, 1000, () => 0));
    const hi = [0, 1, 2, 3, 10].map((n) => backoffDelay(n, 100, 1000, () => 1));
    expect(lo).toEqual([50, 100, 200, 400, 500]);
    expect(hi).toEqual([100, 200, 400, 800, 1000]);
  });
});
