/**
 * Join -> data channel open latency (issue 3 benchmark). Peer A waits in a room; per trial a new
 * peer B joins and the time to `peer_open` is measured, then B leaves and A is given time to
 * drop it. Trials alternate with the same-run reference, the raw connect of two peer
 * connections in one runtime with candidates handed over directly (no relay, no room logic).
 *
 * - node: B = makeRoom() with the `ws` WebSocket and @roamhq/wrtc, the real relay on loopback;
 *   from the makeRoom() call to peer_open on B, on A and on both. Reference: two simple-peer
 *   instances (@roamhq/wrtc) signalling each other in-process.
 * - chromium: two contexts of one headless Chromium on the built app; B navigates to the room
 *   link each trial (from about:blank). Figures from navigation start (performance.timeOrigin)
 *   and from makeRoom() to B's first peer_open. Reference: two RTCPeerConnections in one page.
 */
import SimplePeer from 'simple-peer';
import { WebSocket } from 'ws';
import { makeRoom, type Room } from '@peerboard/core';
import { startRelay, wrtc } from '../../shared/core/test/kit/relay';
import type { Page } from 'playwright-core';
import { WEB_DIST, type RunningApp } from '../e2e/harness';
import {
  marks,
  randomRoomId,
  startBrowserBench,
  clientId,
  bundlePageScript,
  entryBytes,
  serveDist,
  NAME_SHIM,
} from './core-browser';
import type { CorePage } from './core-page';
import {
  fmt,
  formatTable,
  latencyHeaders,
  latencyRow,
  ratio,
  sleep,
  summary,
  until,
  type Benchmark,
} from '@peerboard/bench-kit';
import { list, options, positiveInt } from './args';

const HEADERS = latencyHeaders('path');

/** Two simple-peer peers (the library the mesh uses) over @roamhq/wrtc, no relay. */
async function rawSimplePeerMs(): Promise<number> {
  const t0 = performance.now();
  const opts = {
    trickle: true,
    wrtc: wrtc as SimplePeer.Options['wrtc'],
    config: { iceServers: [] },
  };
  const p1 = new SimplePeer({ ...opts, initiator: true });
  const p2 = new SimplePeer({ ...opts, initiator: false });
  p1.on('signal', (d) => p2.signal(d));
  p2.on('signal', (d) => p1.signal(d));
  const connected = (p: SimplePeer.Instance) =>
    new Promise<void>((resolve, reject) => {
      p.once('connect', () => resolve());
      p.once('error', reject);
    });
  try {
    await Promise.all([connected(p1), connected(p2)]);
    return performance.now() - t0;
  } finally {
    p1.destroy();
    p2.destroy();
  }
}

async function runNode(trials: number): Promise<void> {
  const relay = await startRelay();
  const roomId = randomRoomId();
  const logs: string[] = [];
  const log = (msg: string) => void logs.push(msg);
  const join = (name: string): Room =>
    makeRoom({ roomId, name, signalingUrl: relay.url, WebSocket, wrtc, log });
  const a = join('A');
  const bSide: number[] = [];
  const aSide: number[] = [];
  const both: number[] = [];
  const signaled: number[] = [];
  const raw: number[] = [];
  try {
    await until('A joined', () => a.snapshot().signaling === 'open');
    for (let i = 0; i < trials + 2; i++) {
      const rawMs = await rawSimplePeerMs();
      let tb = 0;
      let ta = 0;
      let ts = 0;
      const t0 = performance.now();
      const b = join('B');
      const offA = a.on('peer_open', ({ id }) => {
        if (id === b.clientId) ta ||= performance.now();
      });
      b.on('peer_open', ({ id }) => {
        if (id === a.clientId) tb ||= performance.now();
      });
      b.on('change', (s) => {
        if (s.signaling === 'open') ts ||= performance.now();
      });
      try {
        await until(`trial ${i}: both peer_open`, () => ta > 0 && tb > 0);
      } finally {
        offA();
        b.destroy();
      }
      await until(
        `trial ${i}: A drops B`,
        () => !a.snapshot().peers.some((p) => p.id === b.clientId),
      );
      await sleep(50);
      if (i < 2) continue; // warm-up: first wrtc/relay use pays one-time costs
      raw.push(rawMs);
      bSide.push(tb - t0);
      aSide.push(ta - t0);
      both.push(Math.max(ta, tb) - t0);
      signaled.push(ts - t0);
    }
  } finally {
    a.destroy();
    await relay.close();
  }
  const ref = summary(raw);
  console.log(`\nNode (@roamhq/wrtc, real relay on loopback), ${trials} trials after 2 warm-up`);
  console.log(
    formatTable(HEADERS, [
      latencyRow('room: makeRoom -> signaling joined (B)', summary(signaled), ref),
      latencyRow('room: makeRoom -> peer_open on B', summary(bSide), ref),
      latencyRow('room: makeRoom -> peer_open on A', summary(aSide), ref),
      latencyRow('room: makeRoom -> open on both', summary(both), ref),
      latencyRow('reference: raw simple-peer pair, no relay', ref, null),
    ]),
  );
  if (logs.length > 0) console.log(`(room logs: ${logs.length}, first: ${logs[0]})`);
}

/** B's figures for one build, from makeRoom() unless said otherwise. */
function newSamples() {
  return {
    fromNav: [] as number[],
    fromMake: [] as number[],
    onA: [] as number[],
    /** navigation start -> first WebSocket open */
    wsFromNav: [] as number[],
    task: [] as number[],
    busy: [] as number[],
    ws: [] as number[],
    joined: [] as number[],
    pc: [] as number[],
    ice: [] as number[],
    dtls: [] as number[],
  };
}
type Samples = ReturnType<typeof newSamples>;

/** One build under test: its server, Alice waiting in a room on it, Bob's page that joins. */
interface Build {
  label: string;
  dist: string;
  app: RunningApp;
  url: string;
  pageA: Page;
  aId: string;
  pageB: Page;
  samples: Samples;
}

async function trial(b: Build, i: number, record: boolean): Promise<void> {
  const { pageA, pageB, aId, samples } = b;
  await pageB.goto(b.url);
  await pageB.waitForFunction(
    (id) =>
      (window as unknown as { __marks: import('./core-browser').PageMarks }).__marks.opens.some(
        (o) => o.id === id,
      ),
    aId,
    { timeout: 30_000, polling: 20 },
  );
  const bId = await clientId(pageB);
  const mb = await marks(pageB);
  const origin = await pageB.evaluate(() => performance.timeOrigin);
  const ma = await marks(pageA);
  // leave: A must see B gone before the next trial
  await pageB.goto('about:blank');
  const aPeers = () =>
    pageA.evaluate(
      () =>
        (window as unknown as { __peerboard: { room: Room } }).__peerboard.room.snapshot().peers
          .length,
    );
  const deadline = Date.now() + 20_000;
  while ((await aPeers()) > 0) {
    if (Date.now() > deadline) throw new Error(`${b.label} trial ${i}: A never dropped B`);
    await sleep(20);
  }
  if (!record) return;
  const openB = mb.opens.find((o) => o.id === aId)!;
  const openA = ma.opens.find((o) => o.id === bId);
  samples.fromNav.push(openB.t);
  samples.fromMake.push(openB.t - mb.made!);
  if (openA) samples.onA.push(openA.epoch - (origin + mb.made!));
  const pc = mb.pcs[0];
  if (mb.firstTask !== null) samples.task.push(mb.firstTask - mb.made!);
  if (mb.wsOpen !== null) {
    samples.ws.push(mb.wsOpen - mb.made!);
    samples.wsFromNav.push(mb.wsOpen);
  }
  // main-thread long tasks overlapping makeRoom -> peer_open (page start-up work)
  samples.busy.push(
    mb.longTasks.reduce(
      (n, [s0, d]) => n + Math.max(0, Math.min(s0 + d, openB.t) - Math.max(s0, mb.made!)),
      0,
    ),
  );
  if (mb.joined !== null) samples.joined.push(mb.joined - mb.made!);
  if (pc) samples.pc.push(pc.created - mb.made!);
  if (pc?.ice != null) samples.ice.push(pc.ice - mb.made!);
  if (pc?.connected != null) samples.dtls.push(pc.connected - mb.made!);
}

/**
 * `dists`: builds of the app to compare (label=dir), their trials interleaved round by round
 * so that the shared machine's load falls on each alike; the first is the reference of the
 * "vs first build" column. Default: web/dist alone.
 */
async function runChromium(
  trials: number,
  dists: { label: string; dist: string }[],
): Promise<void> {
  const bench = await startBrowserBench();
  const builds: Build[] = [];
  const raw: number[] = [];
  try {
    const ctxB = await bench.context('Bob');
    const refPage = await ctxB.newPage();
    await refPage.addScriptTag({ content: `${NAME_SHIM};\n${await bundlePageScript()}` });
    for (const d of dists) {
      const app = d.dist === '' ? bench.app : await serveDist(d.dist);
      const url = `${app.origin}/r/${randomRoomId()}?debug`;
      const pageA = await (await bench.context('Alice')).newPage();
      await pageA.goto(url);
      const aId = await clientId(pageA);
      const pageB = await ctxB.newPage();
      builds.push({ ...d, app, url, pageA, aId, pageB, samples: newSamples() });
    }
    for (let i = 0; i < trials + 2; i++) {
      const rawMs = await refPage.evaluate(() =>
        (window as unknown as { __corePage: CorePage }).__corePage.rawPairMs(),
      );
      if (i >= 2) raw.push(rawMs);
      // alternate which build goes first in a round
      const order = i % 2 === 0 ? builds : [...builds].reverse();
      for (const b of order) await trial(b, i, i >= 2);
    }
  } finally {
    for (const b of builds) if (b.app !== bench.app) await b.app.stop().catch(() => undefined);
    await bench.close();
  }
  const ref = summary(raw);
  console.log(
    `\nChromium (two contexts, built app, real server), ${trials} trials after 2 warm-up`,
  );
  for (const b of builds) {
    const s = b.samples;
    const size = entryBytes(b.dist === '' ? WEB_DIST : b.dist);
    console.log(
      `\nbuild "${b.label}" (${b.dist || WEB_DIST}): JS loaded before the app runs ` +
        `${(size.entry / 1024).toFixed(1)} KiB (its first module ${(size.script / 1024).toFixed(1)} KiB); ` +
        `all JS ${(size.total / 1024).toFixed(1)} KiB ` +
        `in ${size.files} files`,
    );
    console.log(
      formatTable(HEADERS, [
        latencyRow('room: navigation start -> peer_open on B', summary(s.fromNav), ref),
        latencyRow('room: navigation start -> WebSocket open', summary(s.wsFromNav), ref),
        latencyRow('room: makeRoom -> peer_open on B', summary(s.fromMake), ref),
        latencyRow("room: B's makeRoom -> peer_open on A", summary(s.onA), ref),
        latencyRow('  (B) makeRoom -> first setTimeout(0) ran', summary(s.task), ref),
        latencyRow('  (B) long tasks (>50 ms) in makeRoom -> peer_open', summary(s.busy), ref),
        latencyRow('  stage (B): makeRoom -> WebSocket open', summary(s.ws), ref),
        latencyRow('  stage (B): makeRoom -> signaling joined', summary(s.joined), ref),
        latencyRow('  stage (B): makeRoom -> RTCPeerConnection made', summary(s.pc), ref),
        latencyRow('  stage (B): makeRoom -> ICE connected', summary(s.ice), ref),
        latencyRow('  stage (B): makeRoom -> DTLS connected', summary(s.dtls), ref),
        latencyRow('reference: raw RTCPeerConnection pair, one page', ref, null),
      ]),
    );
  }
  if (builds.length > 1) {
    const first = summary(builds[0]!.samples.fromNav);
    console.log(`\nnavigation start -> peer_open on B, by build (same run, interleaved)`);
    console.log(
      formatTable(
        ['build', 'n', 'p50 ms', 'p99 ms', 'max ms', `p50 / "${builds[0]!.label}"`],
        builds.map((b) => {
          const s = summary(b.samples.fromNav);
          return [
            b.label,
            String(s.n),
            fmt(s.p50),
            fmt(s.p99),
            fmt(s.max),
            ratio(s.p50, first.p50),
          ];
        }),
      ),
    );
  }
}

/** `--dist old=/tmp/dist-before,new=web/dist`; "" (the default) = web/dist alone */
function parseDists(v: string): { label: string; dist: string }[] {
  if (v === '') return [{ label: 'web/dist', dist: '' }];
  return list(v).map((item) => {
    const eq = item.indexOf('=');
    return eq < 0
      ? { label: item, dist: item }
      : { label: item.slice(0, eq), dist: item.slice(eq + 1) };
  });
}

export const coreJoinBenchmark: Benchmark = {
  name: 'core-join',
  description:
    'join -> data channel open latency, Node (wrtc) and Chromium, vs a raw peer-connection pair ' +
    '(--env node,chromium --trials 30; --dist old=DIR,new=DIR alternates two builds of the app)',
  async run(args) {
    const o = options(args, { env: 'node,chromium', trials: '30', dist: '' });
    const trials = positiveInt('trials', o.trials);
    for (const env of list(o.env)) {
      if (env === 'node') await runNode(trials);
      else if (env === 'chromium') await runChromium(trials, parseDists(o.dist));
      else throw new Error(`unknown --env ${env} (node, chromium)`);
    }
  },
};
