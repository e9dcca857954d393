/**
 * Worker of bench/hardening.ts (forked, config as JSON in argv[2], driven over IPC).
 *
 * role 'good':   `pairs` pairs of connections, each pair alone in its room, doing signal round
 *                trips on an open-loop schedule; RTT histograms per named phase.
 * role 'attack': fuzzers (random bytes, malformed/unknown JSON, invalid UTF-8, bad envelopes,
 *                frames just over the limit and far over it, signals to strangers, join spam),
 *                flooders (valid pings as fast as the socket takes them) and churners (connect,
 *                hello, drop). Closed attackers reconnect, so the attack lasts the whole phase.
 *                Every close code/reason and error code the server answers with is counted.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import {
  PROTOCOL_VERSION,
  SIGNAL_FRAME_MAX_BYTES,
  SIGNAL_HEADER_BYTES,
  SIGNAL_TAG,
} from '@peerboard/protocol';
import { makeHistogram, type Histogram, type SparseHistogram } from '@peerboard/bench-kit';

export type WorkerConfig =
  | { role: 'good'; url: string; pairs: number; roomPrefix: string; roundTripsPerSec: number }
  | {
      role: 'attack';
      url: string;
      fuzzers: number;
      flooders: number;
      churners: number;
      seed: number;
    };

export type WorkerCommand =
  | { cmd: 'phase'; name: string }
  | { cmd: 'attack' }
  | { cmd: 'calm' }
  | { cmd: 'report' }
  | { cmd: 'finish' };

export interface WorkerReport {
  type: 'report';
  connections: number;
  phases: Record<string, SparseHistogram>;
  /** round trips started / completed per phase */
  started: Record<string, number>;
  completed: Record<string, number>;
  /** "code reason" -> count, for every close the server initiated or the socket saw */
  closes: Record<string, number>;
  /** error code -> count of `error` frames received */
  errors: Record<string, number>;
  wrongSender: number;
  /** attack: frames sent by kind */
  sent: Record<string, number>;
  /** good: p99 event-loop delay of this worker per phase (load-generator noise), ms */
  phaseLoopLagP99Ms: Record<string, number>;
  loopDelayP99Ms: number;
}

export type WorkerMessage =
  { type: 'ready'; connections: number } | WorkerReport | { type: 'failed'; message: string };

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const send = (m: WorkerMessage) => void process.send?.(m);
const inc = (rec: Record<string, number>, key: string, n = 1) => (rec[key] = (rec[key] ?? 0) + n);

const closes: Record<string, number> = {};
const errors: Record<string, number> = {};
const sent: Record<string, number> = {};
let wrongSender = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 20 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Counts server error frames and closes on any socket. */
function watch(ws: WebSocket, counted = true): void {
  ws.on('message', (data: Buffer, binary: boolean) => {
    if (binary || !counted) return;
    const s = data.toString();
    if (!s.includes('"error"')) return;
    try {
      inc(errors, (JSON.parse(s) as { code: string }).code);
    } catch {
      inc(errors, 'unparsable');
    }
  });
  ws.on('close', (code: number, reason: Buffer) => {
    if (counted) inc(closes, `${code} ${reason.toString() || '(no reason)'}`);
  });
  ws.on('error', () => undefined);
}

// ---------------------------------------------------------------- good clients

interface Pair {
  a: WebSocket;
  b: WebSocket;
  aId: Buffer;
  bId: string;
  inFlight: number;
}

function joinSocket(ws: WebSocket, room: string): Promise<{ id: string; members: string[] }> {
  return new Promise((resolve, reject) => {
    let id = '';
    const onMsg = (data: Buffer, binary: boolean) => {
      if (binary) return;
      const m = JSON.parse(data.toString()) as {
        type: string;
        peerId?: string;
        members?: { id: string }[];
        code?: string;
      };
      if (m.type === 'welcome') id = m.peerId!;
      if (m.type === 'joined') {
        ws.off('message', onMsg);
        resolve({ id, members: m.members!.map((x) => x.id) });
      }
      if (m.type === 'error') reject(new Error(`join failed: ${m.code}`));
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }));
    ws.send(JSON.stringify({ type: 'join', room, name: 'good' }));
  });
}

async function goodPair(url: string, room: string): Promise<Pair> {
  const a = await open(url);
  const ja = await joinSocket(a, room);
  const b = await open(url);
  const jb = await joinSocket(b, room);
  if (jb.members[0] !== ja.id) throw new Error(`room ${room}: unexpected members`);
  return { a, b, aId: Buffer.from(ja.id), bId: jb.id, inFlight: 0 };
}

async function runGood(c: Extract<WorkerConfig, { role: 'good' }>): Promise<void> {
  const pairs: Pair[] = [];
  for (let i = 0; i < c.pairs; i += 40) {
    const n = Math.min(40, c.pairs - i);
    pairs.push(
      ...(await Promise.all(
        Array.from({ length: n }, (_, j) => goodPair(c.url, `${c.roomPrefix}-${i + j}`)),
      )),
    );
  }
  const histograms: Record<string, Histogram> = {};
  const started: Record<string, number> = {};
  const completed: Record<string, number> = {};
  let phase = 'setup';
  const lag: Record<string, number> = {};
  histograms[phase] = makeHistogram();

  for (const p of pairs) {
    watch(p.a);
    watch(p.b);
    p.b.on('message', (data: Buffer, binary: boolean) => {
      if (!binary) return;
      for (let i = 0; i < p.aId.length; i++)
        if (data[1 + i] !== p.aId[i]) return void wrongSender++;
      p.b.send(data); // "from A" is exactly the "to A" the echo needs
    });
    p.a.on('message', (data: Buffer, binary: boolean) => {
      if (!binary) return;
      p.inFlight--;
      const ph = data.toString('latin1', SIGNAL_HEADER_BYTES + 8, SIGNAL_HEADER_BYTES + 24).trim();
      histograms[ph]?.record(performance.now() - data.readDoubleLE(SIGNAL_HEADER_BYTES));
      inc(completed, ph);
    });
  }

  const perMs = c.roundTripsPerSec / 1000;
  const t0 = performance.now();
  let due = 0;
  const timer = setInterval(() => {
    const target = Math.floor((performance.now() - t0) * perMs);
    for (; due < target; due++) {
      const p = pairs[due % pairs.length]!;
      if (p.inFlight > 16 || p.a.readyState !== WebSocket.OPEN) continue;
      const frame = Buffer.alloc(SIGNAL_HEADER_BYTES + 120, 0x20);
      frame[0] = SIGNAL_TAG;
      frame.write(p.bId, 1, 'latin1');
      frame.writeDoubleLE(performance.now(), SIGNAL_HEADER_BYTES);
      frame.write(phase.padEnd(16).slice(0, 16), SIGNAL_HEADER_BYTES + 8, 'latin1');
      p.inFlight++;
      inc(started, phase);
      p.a.send(frame);
    }
  }, 1);

  process.on('message', (m: WorkerCommand) => {
    switch (m.cmd) {
      case 'phase':
        lag[phase] = loopDelay.percentile(99) / 1e6;
        loopDelay.reset();
        phase = m.name;
        histograms[phase] = makeHistogram();
        return;
      case 'report':
        return send(report(pairs.length * 2, histograms, started, completed, lag));
      case 'finish':
        clearInterval(timer);
        for (const p of pairs) {
          p.a.terminate();
          p.b.terminate();
        }
        return void setTimeout(() => process.exit(0), 100);
      default:
        return;
    }
  });
  send({ type: 'ready', connections: pairs.length * 2 });
}

function report(
  connections: number,
  histograms: Record<string, Histogram>,
  started: Record<string, number>,
  completed: Record<string, number>,
  lag: Record<string, number> = {},
): WorkerReport {
  const phases: Record<string, SparseHistogram> = {};
  for (const [k, h] of Object.entries(histograms)) phases[k] = h.toSparse();
  return {
    type: 'report',
    connections,
    phases,
    started,
    completed,
    closes,
    errors,
    wrongSender,
    sent,
    phaseLoopLagP99Ms: lag,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}

// ---------------------------------------------------------------- attackers

/** Small seeded PRNG (mulberry32): the same attack every run. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function runAttack(c: Extract<WorkerConfig, { role: 'attack' }>): Promise<void> {
  const rnd = prng(c.seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const id12 = () => Buffer.from(bytes(9)).toString('base64url');
  let attacking = false;
  let live = 0;

  /** Each generator returns [kind, data, binary]. */
  const FUZZ: (() => [string, Buffer | string, boolean])[] = [
    () => ['random_binary', bytes(1 + int(300)), true],
    () => ['random_text', bytes(1 + int(300)).toString('latin1'), false],
    () => ['bad_json', '{"type":"join","room":', false],
    () => ['unknown_type', JSON.stringify({ type: 'x'.repeat(int(40)), v: rnd() }), false],
    () => ['bad_join', JSON.stringify({ type: 'join', room: '../../etc', name: 7 }), false],
    () => ['big_control', JSON.stringify({ type: 'ping', t: 1, pad: 'x'.repeat(2000) }), false],
    () => ['invalid_utf8', Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), false],
    () => [
      'signal_no_payload',
      Buffer.concat([Buffer.from([SIGNAL_TAG]), Buffer.from(id12())]),
      true,
    ],
    () => ['signal_bad_id', Buffer.concat([Buffer.from([SIGNAL_TAG]), bytes(40)]), true],
    () => [
      'signal_stranger',
      Buffer.concat([Buffer.from([SIGNAL_TAG]), Buffer.from(id12()), bytes(64)]),
      true,
    ],
    () => ['hello_again', JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }), false],
    () => ['join_spam', JSON.stringify({ type: 'join', room: `fz-${int(1e6)}`, name: 'f' }), false],
    () => ['bad_version', JSON.stringify({ type: 'hello', version: 99 }), false],
    () => ['leave', JSON.stringify({ type: 'leave' }), false],
  ];

  const fuzzer = async (): Promise<void> => {
    while (attacking) {
      let ws: WebSocket;
      try {
        ws = await open(c.url);
      } catch {
        inc(sent, 'connect_failed');
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      live++;
      watch(ws);
      ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }));
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        const tick = setInterval(() => {
          if (!attacking || ws.readyState !== WebSocket.OPEN) {
            clearInterval(tick);
            if (ws.readyState === WebSocket.OPEN) ws.close();
            return;
          }
          // 1 in 40: a frame just over the protocol limit (1009) or far over it (uWS drop)
          const r = int(40);
          if (r === 0) {
            inc(sent, 'oversize');
            ws.send(Buffer.alloc(SIGNAL_FRAME_MAX_BYTES + 1 + int(1000), 1), { binary: true });
          } else if (r === 1) {
            inc(sent, 'huge');
            ws.send(Buffer.alloc(3 * SIGNAL_FRAME_MAX_BYTES, 2), { binary: true });
          } else {
            const [kind, data, binary] = FUZZ[int(FUZZ.length)]!();
            inc(sent, kind);
            ws.send(data, { binary });
          }
        }, 20); // 50 frames/s: below the rate limit, so the parsers do the work
      });
      live--;
    }
  };

  const flooder = async (): Promise<void> => {
    while (attacking) {
      let ws: WebSocket;
      try {
        ws = await open(c.url);
      } catch {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      live++;
      watch(ws);
      ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }));
      ws.send(JSON.stringify({ type: 'join', room: `flood-${int(1e6)}`, name: 'flood' }));
      const ping = JSON.stringify({ type: 'ping', t: 1 });
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        const blast = () => {
          if (!attacking || ws.readyState !== WebSocket.OPEN) {
            if (ws.readyState === WebSocket.OPEN) ws.close();
            return;
          }
          // as fast as the socket drains: keep ~64 KiB queued
          for (let i = 0; i < 200 && ws.bufferedAmount < 65536; i++) {
            ws.send(ping);
            inc(sent, 'flood_ping');
          }
          setTimeout(blast, 1);
        };
        blast();
      });
      live--;
    }
  };

  const churner = async (): Promise<void> => {
    while (attacking) {
      try {
        const ws = await open(c.url);
        watch(ws, false);
        ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }));
        inc(sent, 'churn_connect');
        await new Promise((r) => setTimeout(r, int(50)));
        ws.terminate(); // no close frame
      } catch {
        inc(sent, 'connect_failed');
      }
    }
  };

  process.on('message', (m: WorkerCommand) => {
    switch (m.cmd) {
      case 'attack':
        attacking = true;
        for (let i = 0; i < c.fuzzers; i++) void fuzzer();
        for (let i = 0; i < c.flooders; i++) void flooder();
        for (let i = 0; i < c.churners; i++) void churner();
        return;
      case 'calm':
        attacking = false;
        return;
      case 'report':
        return send(report(live, {}, {}, {}));
      case 'finish':
        attacking = false;
        return void setTimeout(() => process.exit(0), 200);
      default:
        return;
    }
  });
  send({ type: 'ready', connections: 0 });
}

process.on('disconnect', () => process.exit(0));
(config.role === 'good' ? runGood(config) : runAttack(config)).catch((e: unknown) => {
  send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
