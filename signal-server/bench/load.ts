/**
 * Load generator for the relay benchmark; runs as a forked child of bench/relay.bench.ts so its
 * CPU is never counted as the server's. Config is a JSON LoadConfig in argv[2]; the parent
 * drives it with ParentCommands and receives LoadReports (see lib/loadIpc.ts).
 *
 * Connections come in pairs (A, B), each pair alone in its own room. A sends a signal envelope
 * to B carrying its send time; B bounces the very same bytes back (the relay has rewritten the
 * header to "from A", which is exactly the "to A" that B needs); A records the round trip.
 * One round trip = two relayed messages.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  SIGNAL_HEADER_BYTES,
  SIGNAL_TAG,
  parseServerMessage,
  type ServerMessage,
} from '@peerboard/protocol';
import { makeHistogram } from '@peerboard/bench-kit';
import type { LoadConfig, LoadReport, ParentCommand, WindowResult } from './lib/loadIpc';

const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;

/** Payload layout after the 13-byte header: [sent at, f64][scheduled at, f64][filler]. */
const T_SENT = SIGNAL_HEADER_BYTES;
const T_SCHEDULED = SIGNAL_HEADER_BYTES + 8;
const FILLER =
  '{"candidate":"candidate:842163049 1 udp 1677729535 192.0.2.17 50123 typ srflx raddr 0.0.0.0 ' +
  'rport 0 generation 0 ufrag Xk3f network-cost 999","sdpMid":"0","sdpMLineIndex":0}';

interface Client {
  ws: WebSocket;
  id: string;
  idBytes: Buffer;
}
interface Pair {
  a: Client;
  b: Client;
  inFlight: number;
}

const report = (msg: LoadReport): void => void process.send?.(msg);

// ---- connection setup (validated with the shared protocol parser) ----

/** Queues validated control messages until the setup code asks for them. */
function makeInbox(ws: WebSocket) {
  const queue: ServerMessage[] = [];
  const waiters: Array<(m: ServerMessage) => void> = [];
  const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    const bytes = data as Buffer;
    const parsed = parseServerMessage(isBinary ? { binary: bytes } : { text: bytes.toString() });
    if (!parsed.ok) throw new Error(`invalid server message: ${parsed.message}`);
    const waiter = waiters.shift();
    if (waiter) waiter(parsed.value);
    else queue.push(parsed.value);
  };
  ws.on('message', onMessage);
  return {
    next<T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> {
      return new Promise((resolve, reject) => {
        const take = (m: ServerMessage): void =>
          m.type === type
            ? resolve(m as Extract<ServerMessage, { type: T }>)
            : reject(new Error(`expected ${type}, got ${JSON.stringify(m)}`));
        const queued = queue.shift();
        if (queued) take(queued);
        else waiters.push(take);
      });
    },
    detach: () => void ws.off('message', onMessage),
  };
}

let opened = 0;
/** Connections the server hung up on before the upgrade, opened again (said at the end). */
let reopened = 0;
async function openSocket(url: string): Promise<WebSocket> {
  // On a starved machine a few upgrades out of tens of thousands end in "socket hang up"
  // (seen at 10,000+ connections per process at load average 15+); each is retried twice.
  for (let attempt = 0; ; attempt++) {
    try {
      return await openOnce(url);
    } catch (e) {
      if (attempt >= 2) throw e;
      reopened++;
    }
  }
}

function openOnce(url: string): Promise<WebSocket> {
  const sources = config.localAddresses;
  const localAddress = sources?.[opened++ % sources.length];
  return new Promise((resolve, reject) => {
    // An all-zero mask key is legal and lets ws skip masking: less load-generator CPU, and the
    // server still runs its unmasking code.
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      generateMask: (mask: Buffer) => void mask.fill(0),
      ...(localAddress === undefined ? {} : { localAddress }),
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function connectPair(index: number): Promise<Pair> {
  const room = `${config.roomPrefix}-${index}`;
  const [wsA, wsB] = await Promise.all([
    openSocket(config.url),
    openSocket(config.urlB ?? config.url),
  ]);
  // a connection refused after opening (a server cap) must fail the run, not hang it
  const closedEarly = new Promise<never>((_, reject) => {
    for (const ws of [wsA, wsB])
      ws.once('close', (code, reason) =>
        reject(new Error(`room ${room}: closed during setup: ${code} ${reason.toString()}`)),
      );
  });
  closedEarly.catch(() => {});
  const [inA, inB] = [makeInbox(wsA), makeInbox(wsB)];
  const hello = JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION });
  wsA.send(hello);
  wsB.send(hello);
  const [welcomeA, welcomeB] = await Promise.race([
    Promise.all([inA.next('welcome'), inB.next('welcome')]),
    closedEarly,
  ]);
  wsA.send(JSON.stringify({ type: 'join', room, name: 'bench-a' }));
  await Promise.race([inA.next('joined'), closedEarly]);
  wsB.send(JSON.stringify({ type: 'join', room, name: 'bench-b' }));
  const [joinedB, peerJoined] = await Promise.race([
    Promise.all([inB.next('joined'), inA.next('peer_joined')]),
    closedEarly,
  ]);
  if (joinedB.members.length !== 1 || joinedB.members[0]?.id !== welcomeA.peerId)
    throw new Error(`room ${room}: unexpected members ${JSON.stringify(joinedB.members)}`);
  if (peerJoined.peer.id !== welcomeB.peerId) throw new Error(`room ${room}: wrong peer_joined`);
  inA.detach();
  inB.detach();
  const client = (ws: WebSocket, id: string): Client => ({ ws, id, idBytes: Buffer.from(id) });
  return { a: client(wsA, welcomeA.peerId), b: client(wsB, welcomeB.peerId), inFlight: 0 };
}

async function connectAll(): Promise<Pair[]> {
  const pairs: Pair[] = [];
  const batch = 50; // bounded concurrency: no SYN flood on the listen backlog
  for (let i = 0; i < config.pairs; i += batch) {
    const n = Math.min(batch, config.pairs - i);
    pairs.push(...(await Promise.all(Array.from({ length: n }, (_, j) => connectPair(i + j)))));
  }
  return pairs;
}

// ---- traffic ----

let sending = false;
let measuring = false;
const rtt = makeHistogram();
const rttFromSchedule = makeHistogram();
const counters = { received: 0, roundTrips: 0, wrongSender: 0, unexpected: 0, skipped: 0 };
let closed = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 1 });

const fromIs = (frame: Buffer, id: Buffer): boolean => {
  for (let i = 0; i < id.length; i++) if (frame[1 + i] !== id[i]) return false;
  return true;
};

function makeFrame(to: Client, payloadBytes: number): Buffer {
  const frame = Buffer.alloc(SIGNAL_HEADER_BYTES + Math.max(16, payloadBytes));
  frame[0] = SIGNAL_TAG;
  frame.write(to.id, 1, 'latin1');
  for (let i = T_SCHEDULED + 8; i < frame.length; i++)
    frame[i] = FILLER.charCodeAt(i % FILLER.length);
  return frame;
}

/** Wires one pair: B always bounces; A records the round trip and, in closed loop, resends. */
function wirePair(pair: Pair, resend: boolean): void {
  const { a, b } = pair;
  a.ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return void counters.unexpected++;
    if (!fromIs(data, b.idBytes)) counters.wrongSender++;
    const now = performance.now();
    pair.inFlight--;
    if (measuring) {
      counters.received++;
      counters.roundTrips++;
      rtt.record(now - data.readDoubleLE(T_SENT));
      rttFromSchedule.record(now - data.readDoubleLE(T_SCHEDULED));
    }
    if (!resend || !sending) return;
    data.writeDoubleLE(now, T_SENT);
    data.writeDoubleLE(now, T_SCHEDULED);
    pair.inFlight++;
    a.ws.send(data);
  });
  b.ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return void counters.unexpected++;
    if (!fromIs(data, a.idBytes)) counters.wrongSender++;
    if (measuring) counters.received++;
    b.ws.send(data); // header now says "from A" = "to A": bounce the same bytes
  });
  for (const c of [a, b]) c.ws.on('close', () => void closed++);
}

function sendFrom(pair: Pair, scheduledAt: number, payloadBytes: number): void {
  const frame = makeFrame(pair.b, payloadBytes);
  frame.writeDoubleLE(performance.now(), T_SENT);
  frame.writeDoubleLE(scheduledAt, T_SCHEDULED);
  pair.inFlight++;
  pair.a.ws.send(frame);
}

function startTraffic(pairs: Pair[]): void {
  sending = true;
  switch (config.mode) {
    case 'idle':
      return;
    case 'closed':
      for (const pair of pairs) {
        wirePair(pair, true);
        for (let k = 0; k < config.inFlight; k++)
          sendFrom(pair, performance.now(), config.payloadBytes);
      }
      return;
    case 'rate': {
      for (const pair of pairs) wirePair(pair, false);
      const { roundTripsPerSec, maxInFlightPerPair, payloadBytes } = config;
      const perMs = roundTripsPerSec / 1000;
      const t0 = performance.now();
      let started = 0;
      // Open loop: every tick starts the round trips that are due, whatever the latency.
      const timer = setInterval(() => {
        if (!sending) return clearInterval(timer);
        const due = Math.floor((performance.now() - t0) * perMs);
        for (; started < due; started++) {
          const pair = pairs[started % pairs.length]!;
          if (pair.inFlight >= maxInFlightPerPair) counters.skipped += measuring ? 1 : 0;
          else sendFrom(pair, t0 + started / perMs, payloadBytes);
        }
      }, 1);
      return;
    }
  }
}

function windowResult(): WindowResult {
  return {
    type: 'window',
    ...counters,
    rtt: rtt.toSparse(),
    rttFromSchedule: rttFromSchedule.toSparse(),
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    closed,
  };
}

async function finish(pairs: Pair[]): Promise<never> {
  sending = false;
  // Let in-flight round trips land; what never comes back was lost (or stuck) in the relay.
  const unanswered = (): number => pairs.reduce((n, p) => n + p.inFlight, 0);
  for (let waited = 0; unanswered() > 0 && waited < 3_000; waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  report({ type: 'drained', unanswered: unanswered() });
  const sockets = pairs.flatMap((p) => [p.a.ws, p.b.ws]);
  await Promise.race([
    Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close(1000, 'bench done');
          }),
      ),
    ),
    new Promise((r) => setTimeout(r, 3_000)),
  ]);
  process.exit(0);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const pairs = await connectAll();
  const setupMs = performance.now() - t0;
  process.on('message', (cmd: ParentCommand) => {
    switch (cmd) {
      case 'go':
        return startTraffic(pairs);
      case 'start_window':
        measuring = true;
        loopDelay.enable();
        return;
      case 'stop_window':
        measuring = false;
        loopDelay.disable();
        return report(windowResult());
      case 'finish':
        return void finish(pairs);
    }
  });
  if (reopened > 0)
    console.log(`load ${config.roomPrefix}: ${reopened} connection(s) opened again`);
  report({ type: 'ready', connections: pairs.length * 2, setupMs });
}

process.on('disconnect', () => process.exit(0)); // parent gone: never linger
main().catch((e: unknown) => {
  report({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  setTimeout(() => process.exit(1), 100);
});
