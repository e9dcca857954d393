/**
 * File-transfer benchmark (issue 5). Not a test: prints figures beside a same-run reference.
 *
 * 1. Chromium, two headless browsers (the receiver in a persistent context: OPFS on disk), the
 *    real relay serving a bench page built from the app's own Vite config: interleaved rounds
 *    of raw RTCDataChannel blasts (64 KiB messages, 1 MiB and 8 MiB buffers), a PairDrop-style
 *    stop-and-wait sender, and Peerboard (makeRoom + makeTransfers, hashing on) with one data
 *    channel and with the bulk channel (its receive inline and yielding), plus the control-frame
 *    RTT during each transfer and its first 8 MiB on the fresh link vs 8 MiB on it warm.
 * 2. Node (@roamhq/wrtc) peer throughput for the same chunk sizes.
 * 3. Receiver memory: Node RSS growth while 1 GiB streams to a file; Chromium JS heap growth
 *    while 1 GiB (or `--memory 2gib`) streams into the origin private file system (the app's
 *    segmented, resumable OPFS sink).
 *
 *   pnpm bench transfer [--mib 256] [--memory-mib 1024 | --memory 2gib] [--memory-only]
 *                       [--skip-browser] [--skip-node] [--rounds 3] [--ping-ms 100]
 */
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { FILE_DATA_HEADER_BYTES } from '@peerboard/protocol/wire';
import { makeRoom, type Room } from '@peerboard/core';
import {
  bytesSource,
  makeDiscardSink,
  makeTransfers,
  type FileSink,
  type FileSource,
  type Transfers,
} from '@peerboard/core/transfer';
import { fmt, formatTable, sleep, summary, until, type Benchmark } from '@peerboard/bench-kit';
import { FAST, startRelay, wrtc } from '../../shared/core/test/kit/relay';
import { defaultConfig } from '../../signal-server/src/config';
import { startServer } from '../../signal-server/src/server';
import { MiB } from './args';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHUNKS = [16 * 1024, 64 * 1024, 256 * 1024];
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

/** Pings every 250 ms while `running()`; returns the RTTs. */
async function pingWhile(room: Room, peer: string, running: () => boolean): Promise<number[]> {
  const rtts: number[] = [];
  while (running()) {
    rtts.push(await room.ping(peer, 30_000).catch(() => NaN));
    await sleep(250);
  }
  return rtts.filter(Number.isFinite);
}

// ---------------------------------------------------------------- Node

interface NodePair {
  a: Room;
  b: Room;
  fa: Transfers;
  fb: Transfers;
  close(): void;
}

async function nodePair(url: string, chunkBytes: number): Promise<NodePair> {
  const roomId = `bench-${Math.random().toString(36).slice(2)}`;
  const mk = (name: string) =>
    makeRoom({
      roomId,
      name,
      signalingUrl: url,
      WebSocket,
      wrtc,
      timing: FAST,
      log: () => undefined,
    });
  const a = mk('A');
  const b = mk('B');
  const fa = makeTransfers({ room: a, chunkBytes, log: () => undefined });
  const fb = makeTransfers({ room: b, log: () => undefined });
  await until(
    'the node peers to connect',
    () => a.openPeers().length > 0 && b.openPeers().length > 0,
    30_000,
    20,
  );
  return {
    a,
    b,
    fa,
    fb,
    close() {
      fa.destroy();
      fb.destroy();
      a.destroy();
      b.destroy();
    },
  };
}

async function nodeTransfer(p: NodePair, source: FileSource, sink: FileSink, sample?: () => void) {
  const id = p.fa.offer(source);
  const tHash = Date.now();
  while (p.fa.get(id)?.state !== 'offered') await sleep(10);
  const hashMs = Date.now() - tHash;
  while (p.fb.get(id)?.state !== 'offered') await sleep(10);
  const t0 = Date.now();
  await p.fb.accept(id, sink);
  let done = false;
  const pings = pingWhile(p.a, p.b.clientId, () => !done);
  while (!['done', 'failed'].includes(p.fb.get(id)!.state)) {
    sample?.();
    await sleep(20);
  }
  done = true;
  const ms = Date.now() - t0;
  const view = p.fb.get(id)!;
  if (view.state !== 'done') throw new Error(`node transfer failed: ${view.error}`);
  return { ms, hashMs, rtts: await pings };
}

/** A FileSource over a file handle: reads slice by slice, never the whole file. */
async function fileSource(
  file: string,
  size: number,
): Promise<FileSource & { close(): Promise<void> }> {
  const fh = await open(file, 'r');
  return {
    name: path.basename(file),
    size,
    type: '',
    async read(offset, length) {
      const buf = new Uint8Array(length);
      await fh.read(buf, 0, length, offset);
      return buf;
    },
    close: () => fh.close(),
  };
}

async function fileSink(file: string): Promise<FileSink> {
  const fh = await open(file, 'w');
  return {
    write: async (data) => void (await fh.write(data)),
    close: async () => {
      await fh.close();
      return { blob: async () => null, savedToDisk: true, source: null };
    },
    abort: async () => void (await fh.close().catch(() => undefined)),
  };
}

async function nodeBench(url: string, mib: number, memoryMib: number) {
  const data = randomFillSync(new Uint8Array(mib * MiB));
  const rows: (string | number)[][] = [];
  for (const chunk of CHUNKS) {
    const pair = await nodePair(url, chunk - FILE_DATA_HEADER_BYTES);
    const r = await nodeTransfer(pair, bytesSource(data, 'bench.bin'), makeDiscardSink());
    pair.close();
    rows.push([
      `${chunk / 1024} KiB`,
      fmt(mbps(data.length, r.ms)),
      fmt(mbps(data.length, r.hashMs)),
      fmt(summary(r.rtts).p50),
      fmt(summary(r.rtts).max),
    ]);
    console.log(`node ${chunk / 1024} KiB: ${fmt(mbps(data.length, r.ms))} MB/s`);
  }
  console.log(`\nNode peers (@roamhq/wrtc, loopback), ${mib} MiB, hashing on both sides:`);
  console.log(
    formatTable(
      ['chunk (wire message)', 'MB/s', 'sender hash MB/s', 'ctrl RTT p50 ms', 'ctrl RTT max ms'],
      rows,
    ),
  );

  // Memory: 1 GiB from a file to a file; RSS growth of the process holding both peers.
  const src = path.join(tmpdir(), `pb-bench-src-${process.pid}`);
  const dst = path.join(tmpdir(), `pb-bench-dst-${process.pid}`);
  const size = memoryMib * MiB;
  const fh = await open(src, 'w');
  const piece = new Uint8Array(MiB);
  const whole = createHash('sha256');
  for (let at = 0; at < size; at += MiB) {
    randomFillSync(piece);
    whole.update(piece);
    await fh.write(piece);
  }
  await fh.close();
  global.gc?.();
  const pair = await nodePair(url, 64 * 1024 - FILE_DATA_HEADER_BYTES);
  const rss0 = process.memoryUsage().rss;
  let rssMax = rss0;
  const source = await fileSource(src, size);
  const r = await nodeTransfer(pair, source, await fileSink(dst), () => {
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  });
  await source.close();
  pair.close();
  await rm(src, { force: true });
  await rm(dst, { force: true });
  console.log(
    `\nNode streamed ${memoryMib} MiB file -> file: ${fmt(mbps(size, r.ms))} MB/s, RSS growth ${fmt((rssMax - rss0) / MiB)} MiB (sender + receiver in one process)`,
  );
}

// ---------------------------------------------------------------- Chromium

async function browserBench(
  mib: number,
  memoryMib: number,
  memoryOnly: boolean,
  rounds: number,
  pingMs: number,
) {
  const { build, loadConfigFromFile } = await import('vite');
  const { chromium } = await import('playwright-core');
  const outDir = path.join(tmpdir(), `pb-bench-dist-${process.pid}`);
  const app = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    path.join(WEB_DIR, 'vite.config.ts'),
  );
  // the app's service worker (vite-plugin-pwa, src/sw.ts beside the root) is not the bench's
  const plugins = (app?.config.plugins ?? [])
    .flat()
    .filter(
      (p) => !(p && typeof p === 'object' && 'name' in p && p.name.startsWith('vite-plugin-pwa')),
    );
  await build({
    ...app?.config,
    configFile: false,
    plugins,
    root: path.join(WEB_DIR, 'bench', 'browser'),
    logLevel: 'warn',
    // the app's config lists the app's own pages as inputs: build the bench page instead
    build: {
      ...app?.config.build,
      outDir,
      emptyOutDir: true,
      sourcemap: false,
      rollupOptions: { input: path.join(WEB_DIR, 'bench', 'browser', 'index.html') },
    },
  });
  const relay = await startRelayServing(outDir);
  const launch = {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-precise-memory-info',
    ],
  };
  const browser = await chromium.launch(launch);
  // The receiver is a persistent context (its own browser, a temporary profile on disk): an
  // incognito context keeps the origin private file system in memory under a small quota, and
  // the 2 GiB run failed there at ~1.3 GiB.
  const profile = await mkdtemp(path.join(tmpdir(), 'pb-bench-receiver-'));
  let cb: import('playwright-core').BrowserContext | null = null;
  try {
    const ca = await browser.newContext();
    cb = await chromium.launchPersistentContext(profile, launch);
    const [a, b] = [await ca.newPage(), cb.pages()[0] ?? (await cb.newPage())];
    for (const p of [a, b]) await p.goto(relay.origin + '/');
    const call: Call = (page, fn, ...args) =>
      page.evaluate(([f, xs]) => (window as unknown as B).bench[f as string]!(...(xs as never[])), [
        fn,
        args,
      ] as const) as never;

    if (!memoryOnly) await throughputRounds(a, b, call, relay.origin, mib, rounds, pingMs);

    if (memoryMib > 0) {
      const roomId = `bench-${Math.random().toString(36).slice(2)}`;
      const url = relay.origin.replace('http', 'ws') + '/ws';
      await Promise.all([call(a, 'join', url, roomId, 'A'), call(b, 'join', url, roomId, 'B')]);
      // a line every 30 s: a long run on a loaded machine shows where it is
      let running = true;
      const progress = (async () => {
        for (let n = 1; running; n++) {
          await sleep(500);
          if (n % 60 === 0)
            console.log(
              `  ${new Date().toISOString()} sender ${await call(a, 'progress')}; receiver ${await call(b, 'progress')}`,
            );
        }
      })();
      await call(a, 'offer', memoryMib * MiB);
      // every renderer's resident memory (both pages: an upper bound for the receiver's)
      const [rssA, rssB] = [await rendererRss(browser), await rendererRss(cb.browser()!)];
      const rss = async () => (await rssA()) + (await rssB());
      const rss0 = await rss();
      let rssMax = rss0;
      let receiving = true;
      const sampler = (async () => {
        while (receiving) {
          rssMax = Math.max(rssMax, await rss());
          await sleep(500);
        }
      })();
      const r = await call<{ ms: number; state: string; error: string | null; heapGrowth: number }>(
        b,
        'receive',
        true,
      );
      receiving = running = false;
      await Promise.all([sampler, progress]);
      await Promise.all([call(a, 'leave'), call(b, 'leave')]);
      console.log(
        `\nChromium streamed ${memoryMib} MiB into the origin private file system: ${r.state}${r.error ? ` (${r.error})` : ''}, ${fmt(mbps(memoryMib * MiB, r.ms))} MB/s, receiver JS heap growth ${fmt(r.heapGrowth / MiB)} MiB, renderers' RSS growth ${fmt((rssMax - rss0) / MiB)} MiB (both pages)`,
      );
    }
  } finally {
    await cb?.close();
    await browser.close();
    await rm(profile, { recursive: true, force: true });
    await relay.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

type Page = import('playwright-core').Page;
type B = { bench: Record<string, (...args: never[]) => Promise<unknown>> };
type Call = <T>(page: Page, fn: string, ...args: unknown[]) => Promise<T>;

/**
 * Interleaved rounds in one Chromium run (issue 18 items 2-3), each measured end to end:
 * - raw RTCDataChannel blasts, 64 KiB messages, 1 MiB / 256 KiB and 8 MiB / 2 MiB water marks
 *   (start of sending -> last byte counted at the receiver);
 * - a PairDrop-style stop-and-wait sender (1e6-byte partitions, each acked; no hashing);
 * - Peerboard with one data channel (the protocol before the bulk channel) and with the bulk
 *   channel, default chunk size, Accept -> "done" (every block and the whole file's SHA-256
 *   verified), with a room ping every `pingMs` while it runs.
 */
interface Received {
  ms: number;
  firstMs: number | null;
  state: string;
  error: string | null;
}

interface Variant {
  what: string;
  bulkChannel: boolean;
  yieldBulkReceive: boolean;
}

/** the Peerboard builds compared in one run: the first two are the "before" of this run */
const VARIANTS: Variant[] = [
  { what: 'Peerboard, one channel (before)', bulkChannel: false, yieldBulkReceive: true },
  {
    what: 'Peerboard, bulk channel, receive inline (before)',
    bulkChannel: true,
    yieldBulkReceive: false,
  },
  { what: 'Peerboard, bulk channel, receive yielding', bulkChannel: true, yieldBulkReceive: true },
];

/** issue 18 item 1: the first 8 MiB of a transfer on a fresh link vs the same on a warm one */
const FIRST = 8 * MiB;

async function throughputRounds(
  a: Page,
  b: Page,
  call: Call,
  origin: string,
  mib: number,
  rounds: number,
  pingMs: number,
) {
  const total = mib * MiB;
  const speeds = new Map<string, number[]>();
  const rtts = new Map<string, number[]>();
  const firsts = new Map<
    string,
    { young: number; warm: number; pings: number[]; warmPings: number[] }[]
  >();
  const note = (what: string, speed: number) => {
    speeds.set(what, [...(speeds.get(what) ?? []), speed]);
    console.log(`  round: ${what} ${fmt(speed)} MB/s`);
  };
  const rawPair = async () => {
    const offer = await call<string>(a, 'rawOffer');
    const answer = await call<string>(b, 'rawAnswer', offer);
    await call(a, 'rawAccept', answer);
  };
  const rawClose = () => Promise.all([call(a, 'rawClose'), call(b, 'rawClose')]);
  const untilReceived = async () => {
    while ((await call<number>(b, 'rawReceived')) < total) await sleep(10);
  };
  const blast = async (high: number, low: number) => {
    await rawPair();
    const t0 = Date.now();
    const sending = call(a, 'rawBlast', total, 64 * 1024, high, low);
    await untilReceived();
    const ms = Date.now() - t0;
    await sending;
    await rawClose();
    note(`raw 64 KiB, ${high / MiB} MiB buffer`, mbps(total, ms));
  };
  const stopAndWait = async () => {
    await rawPair();
    await call(b, 'rawAckPartitions', total);
    const t0 = Date.now();
    await call(a, 'rawStopAndWait', total);
    await untilReceived();
    note('stop-and-wait 1 MB partitions (PairDrop-style)', mbps(total, Date.now() - t0));
    await rawClose();
  };
  /** RTTs of room pings from A while `running()`, each tagged with B's received bytes before it */
  const pingDuring = (running: () => boolean) => {
    const out: { rtt: number; inBytes: number | null }[] = [];
    const done = (async () => {
      while (running()) {
        const inBytes = await call<number | null>(b, 'inBytes').catch(() => null);
        out.push({ rtt: await call<number>(a, 'rtt').catch(() => NaN), inBytes });
        await sleep(pingMs);
      }
    })();
    return { out, done };
  };
  const peerboard = async (v: Variant) => {
    const { what } = v;
    const roomId = `bench-${Math.random().toString(36).slice(2)}`;
    const url = origin.replace('http', 'ws') + '/ws';
    await Promise.all([
      call(a, 'join', url, roomId, 'A', undefined, v.bulkChannel, v.yieldBulkReceive),
      call(b, 'join', url, roomId, 'B', undefined, v.bulkChannel, v.yieldBulkReceive),
    ]);
    await call(a, 'offer', total);
    const inUse = await call<boolean>(a, 'bulkChannel');
    if (inUse !== v.bulkChannel) throw new Error(`${what}: bulk channel in use = ${inUse}`);
    let done = false;
    const fresh = pingDuring(() => !done);
    const r = await call<Received>(b, 'receive', false);
    done = true;
    await fresh.done;
    if (r.state !== 'done') throw new Error(`browser transfer failed: ${r.error}`);
    // the same 8 MiB again on the now warm link (issue 18 item 1's reference)
    await call(a, 'offer', FIRST);
    let warmDone = false;
    const warmPings = pingDuring(() => !warmDone);
    const w = await call<Received>(b, 'receive', false);
    warmDone = true;
    await warmPings.done;
    await Promise.all([call(a, 'leave'), call(b, 'leave')]);
    if (w.state !== 'done') throw new Error(`browser transfer failed: ${w.error}`);
    const ok = fresh.out.map((p) => p.rtt).filter(Number.isFinite);
    const first = fresh.out
      .filter((p) => p.inBytes !== null && p.inBytes < FIRST)
      .map((p) => p.rtt)
      .filter(Number.isFinite);
    const warm = warmPings.out.map((p) => p.rtt).filter(Number.isFinite);
    rtts.set(what, [...(rtts.get(what) ?? []), ...ok]);
    note(what, mbps(total, r.ms));
    const young = r.firstMs === null ? NaN : mbps(FIRST, r.firstMs);
    const warmSpeed = mbps(FIRST, w.ms);
    firsts.set(what, [
      ...(firsts.get(what) ?? []),
      { young, warm: warmSpeed, pings: first, warmPings: warm },
    ]);
    // per run too: a starved run may be stopped before the table at the end
    console.log(
      `    ping p50 ${fmt(summary(ok).p50)} ms, p99 ${fmt(summary(ok).p99)} ms (${ok.length}); ` +
        `first 8 MiB ${fmt(young)} MB/s vs warm ${fmt(warmSpeed)} MB/s, ping p99 ${fmt(summary(first).p99)} ms (${first.length}) vs warm ${fmt(summary(warm).p99)} ms`,
    );
  };
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}/${rounds} (load average ${loadavg()[0]!.toFixed(1)})`);
    await blast(1 * MiB, 256 * 1024);
    await blast(8 * MiB, 2 * MiB);
    await stopAndWait();
    for (const v of VARIANTS) await peerboard(v);
  }
  const median = (xs: number[]) => summary(xs).p50;
  const ref = median(speeds.get('stop-and-wait 1 MB partitions (PairDrop-style)') ?? []);
  const deep = median(speeds.get('raw 64 KiB, 8 MiB buffer') ?? []);
  const rows = [...speeds].map(([what, xs]) => {
    const r = rtts.get(what);
    const m = median(xs);
    return [
      what,
      fmt(m),
      xs.map((x) => fmt(x)).join(' '),
      `${fmt(m / ref)}x`,
      `${Math.round((m / deep) * 100)}%`,
      r ? fmt(summary(r).p50) : '',
      r ? fmt(summary(r).p99) : '',
      r ? String(r.length) : '',
    ];
  });
  console.log(`\nChromium, two browsers, ${mib} MiB per run, ${rounds} interleaved rounds:`);
  console.log(
    formatTable(
      [
        'run',
        'median MB/s',
        'rounds MB/s',
        'vs stop-and-wait',
        'of raw 8 MiB',
        'ping p50 ms',
        'ping p99 ms',
        'pings',
      ],
      rows,
    ),
  );
  firstTable(firsts);
}

/** First 8 MiB on a fresh link vs 8 MiB on the same link warm, per variant (medians). */
function firstTable(
  firsts: Map<string, { young: number; warm: number; pings: number[]; warmPings: number[] }[]>,
) {
  const rows = [...firsts].map(([what, xs]) => {
    const young = summary(xs.map((x) => x.young).filter(Number.isFinite)).p50;
    const warm = summary(xs.map((x) => x.warm)).p50;
    const pings = xs.flatMap((x) => x.pings);
    const warmPings = xs.flatMap((x) => x.warmPings);
    return [
      what,
      fmt(young),
      fmt(warm),
      `${Math.round((young / warm) * 100)}%`,
      pings.length ? fmt(summary(pings).p50) : '',
      pings.length ? fmt(summary(pings).p99) : '',
      String(pings.length),
      warmPings.length ? fmt(summary(warmPings).p99) : '',
    ];
  });
  console.log('\nFirst 8 MiB of each transfer (fresh link) vs 8 MiB on the same link warm:');
  console.log(
    formatTable(
      [
        'run',
        'fresh MB/s',
        'warm MB/s',
        'fresh of warm',
        'ping p50 ms',
        'ping p99 ms',
        'pings',
        'warm ping p99 ms',
      ],
      rows,
    ),
  );
}

/** Sums the resident memory of the browser's renderer processes (Linux /proc). */
async function rendererRss(browser: import('playwright-core').Browser) {
  const cdp = await browser.newBrowserCDPSession();
  return async () => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { id: number; type: string }[];
    };
    let total = 0;
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      const status = await readFile(`/proc/${p.id}/status`, 'utf8').catch(() => '');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    }
    return total;
  };
}

async function startRelayServing(staticDir: string) {
  const server = await startServer({
    ...defaultConfig(),
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    staticDir,
  });
  return { origin: `http://127.0.0.1:${server.port}`, close: () => server.close() };
}

async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      mib: { type: 'string', default: '256' },
      'memory-mib': { type: 'string', default: '1024' },
      /** a named size for the memory run: 1gib, 2gib (overrides --memory-mib) */
      memory: { type: 'string' },
      /** only the receiver-memory runs (no throughput tables) */
      'memory-only': { type: 'boolean', default: false },
      'skip-browser': { type: 'boolean', default: false },
      'skip-node': { type: 'boolean', default: false },
      /** interleaved rounds of the throughput comparison */
      rounds: { type: 'string', default: '3' },
      /** room ping interval during a Peerboard transfer */
      'ping-ms': { type: 'string', default: '100' },
    },
  });
  const mib = Number(values.mib);
  const named = values.memory?.match(/^(\d+)gib$/i);
  if (values.memory !== undefined && !named) throw new Error('--memory takes 1gib, 2gib, ...');
  const memoryMib = named ? Number(named[1]) * 1024 : Number(values['memory-mib']);
  if (!values['skip-browser'])
    await browserBench(
      mib,
      memoryMib,
      values['memory-only'],
      Number(values.rounds),
      Number(values['ping-ms']),
    );
  if (!values['skip-node']) {
    const relay = await startRelay();
    try {
      await nodeBench(relay.url, mib, memoryMib);
    } finally {
      await relay.close();
    }
  }
}

export const transferBenchmark: Benchmark = {
  name: 'transfer',
  description:
    'file transfer: Chromium Peerboard vs raw RTCDataChannel, Node peers, receiver memory ' +
    '(--mib 256 --memory-mib 1024 [--skip-browser] [--skip-node])',
  run,
};
