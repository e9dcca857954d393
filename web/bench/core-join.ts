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
import {
  marks,
  randomRoomId,
  startBrowserBench,
  clientId,
  bundlePageScript,
  NAME_SHIM,
} from './core-browser';
import type { CorePage } from './core-page';
import {
  formatTable,
  latencyHeaders,
  latencyRow,
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

async function runChromium(trials: number): Promise<void> {
  const bench = await startBrowserBench();
  const fromNav: number[] = [];
  const fromMake: number[] = [];
  const onA: number[] = [];
  const raw: number[] = [];
  /** B's stages from makeRoom(): signaling joined, RTCPeerConnection made, ICE, DTLS */
  const stages = {
    task: [] as number[],
    busy: [] as number[],
    ws: [] as number[],
    joined: [] as number[],
    pc: [] as number[],
    ice: [] as number[],
    dtls: [] as number[],
  };
  try {
    const roomId = randomRoomId();
    const url = bench.roomUrl(roomId);
    const pageA = await (await bench.context('Alice')).newPage();
    const ctxB = await bench.context('Bob');
    const pageB = await ctxB.newPage();
    const refPage = await ctxB.newPage();
    await refPage.addScriptTag({ content: `${NAME_SHIM};\n${await bundlePageScript()}` });
    await pageA.goto(url);
    const aId = await clientId(pageA);
    const aPeers = () =>
      pageA.evaluate(
        () =>
          (window as unknown as { __peerboard: { room: Room } }).__peerboard.room.snapshot().peers
            .length,
      );
    for (let i = 0; i < trials + 2; i++) {
      const rawMs = await refPage.evaluate(() =>
        (window as unknown as { __corePage: CorePage }).__corePage.rawPairMs(),
      );
      await pageB.goto(url);
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
      const deadline = Date.now() + 20_000;
      while ((await aPeers()) > 0) {
        if (Date.now() > deadline) throw new Error(`trial ${i}: A never dropped B`);
        await sleep(20);
      }
      if (i < 2) continue;
      const openB = mb.opens.find((o) => o.id === aId)!;
      const openA = ma.opens.find((o) => o.id === bId);
      raw.push(rawMs);
      fromNav.push(openB.t);
      fromMake.push(openB.t - mb.made!);
      if (openA) onA.push(openA.epoch - (origin + mb.made!));
      const pc = mb.pcs[0];
      if (mb.firstTask !== null) stages.task.push(mb.firstTask - mb.made!);
      if (mb.wsOpen !== null) stages.ws.push(mb.wsOpen - mb.made!);
      // main-thread long tasks overlapping makeRoom -> peer_open (page start-up work)
      stages.busy.push(
        mb.longTasks.reduce(
          (n, [s0, d]) => n + Math.max(0, Math.min(s0 + d, openB.t) - Math.max(s0, mb.made!)),
          0,
        ),
      );
      if (mb.joined !== null) stages.joined.push(mb.joined - mb.made!);
      if (pc) stages.pc.push(pc.created - mb.made!);
      if (pc?.ice != null) stages.ice.push(pc.ice - mb.made!);
      if (pc?.connected != null) stages.dtls.push(pc.connected - mb.made!);
    }
  } finally {
    await bench.close();
  }
  const ref = summary(raw);
  console.log(
    `\nChromium (two contexts, built app, real server), ${trials} trials after 2 warm-up`,
  );
  console.log(
    formatTable(HEADERS, [
      latencyRow('room: navigation start -> peer_open on B', summary(fromNav), ref),
      latencyRow('room: makeRoom -> peer_open on B', summary(fromMake), ref),
      latencyRow("room: B's makeRoom -> peer_open on A", summary(onA), ref),
      latencyRow('  (B) makeRoom -> first setTimeout(0) ran', summary(stages.task), ref),
      latencyRow('  (B) long tasks (>50 ms) in makeRoom -> peer_open', summary(stages.busy), ref),
      latencyRow('  stage (B): makeRoom -> WebSocket open', summary(stages.ws), ref),
      latencyRow('  stage (B): makeRoom -> signaling joined', summary(stages.joined), ref),
      latencyRow('  stage (B): makeRoom -> RTCPeerConnection made', summary(stages.pc), ref),
      latencyRow('  stage (B): makeRoom -> ICE connected', summary(stages.ice), ref),
      latencyRow('  stage (B): makeRoom -> DTLS connected', summary(stages.dtls), ref),
      latencyRow('reference: raw RTCPeerConnection pair, one page', ref, null),
    ]),
  );
}

export const coreJoinBenchmark: Benchmark = {
  name: 'core-join',
  description:
    'join -> data channel open latency, Node (wrtc) and Chromium, vs a raw peer-connection pair ' +
    '(--env node,chromium --trials 30)',
  async run(args) {
    const o = options(args, { env: 'node,chromium', trials: '30' });
    const trials = positiveInt('trials', o.trials);
    for (const env of list(o.env)) {
      if (env === 'node') await runNode(trials);
      else if (env === 'chromium') await runChromium(trials);
      else throw new Error(`unknown --env ${env} (node, chromium)`);
    }
  },
};
