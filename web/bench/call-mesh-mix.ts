/**
 * `call-mesh --mix 1+N[,1+M]`: one Chromium participant (fake camera/microphone, the built app)
 * and N light Node participants, each its own process (call-mesh-peer.ts: the core engine over
 * @roamhq/wrtc with the call kit's synthetic 160x120 camera at NODE_CAMERA.fps) in one room, all
 * in the call. What a laptop in an (N+1)-person mesh does is what the Chromium participant does
 * here: N encodes and N decodes of its own, while the others cost the box little. All-Chromium
 * meshes on this 2-core box measure the box instead (six browsers' 30 encodes and 30 decodes);
 * the Node peers in one process were the bottleneck of the first mix (five event loops' work on
 * one thread).
 *
 * First, a reference row: two Node peers alone, each counting the frames it decodes of the
 * other: a synthetic stream must arrive at its set rate before the Chromium participant's
 * received fps means anything.
 *
 * Measured on the Chromium participant over the window: CPU % of its Chromium (browser, renderer,
 * GPU and utility processes: one participant's whole share), sent kbit/s per link and sent
 * height, received fps per remote stream (mean and the slowest stream), and the click on "Join
 * call" (the N Node peers are already in the call) to its first presented remote frame. The
 * Node peers' CPU (all N processes) and what each sends per link are printed for information.
 * Same-run reference: the init script that makes setParameters and applyConstraints no-ops in
 * the Chromium participant (the browser's defaults; the Node peers cannot set caps: wrtc rejects
 * setParameters).
 */
import type { Page } from 'playwright-core';
import { fmt, formatTable, sleep } from '@peerboard/bench-kit';
import { launchBrowser, startApp } from '../e2e/harness';
import {
  chromiumTree,
  clickToFirstFrame,
  cpuSeconds,
  readCounters,
  recordConnections,
} from './call-mesh';
import { nodeReference, rate, startLightPeer, type LightPeer } from './call-mesh-peers';
import { capsCell, capsTable } from './call-mesh-table';
import { NAME_SHIM } from './core-browser';

/** the Node peers' camera: light, at a rate the bar (>= 15 fps received) can be read against */
export const NODE_CAMERA = { width: 160, height: 120, fps: 20 } as const;

interface MixResult {
  cpuPct: number;
  nodeCpuPct: number;
  sentKbpsPerLink: number;
  nodeSentKbpsPerLink: number;
  sentHeight: number;
  recvFps: number;
  /** the slowest remote stream's fps */
  recvFpsMin: number;
  joinMs: number;
  caps: string;
}

function parseMix(mix: string): number {
  const m = /^1\+([1-9][0-9]?)$/.exec(mix);
  if (!m) throw new Error('--mix must be 1+N[,1+M] (one Chromium participant and N Node peers)');
  return Number(m[1]);
}

/** decoded fps of each remote stream between two readings */
const streamFps = (a: Record<string, number>, b: Record<string, number>, s: number) =>
  Object.entries(b).map(([k, n]) => (n - (a[k] ?? 0)) / s);

export async function runMix(mixes: string, seconds: number, settle: number): Promise<void> {
  const sizes = mixes.split(',').map((m) => parseMix(m.trim()));
  const marker = `--peerboard-call-mix-${process.pid}-${Date.now()}`;
  const app = await startApp();
  const browser = await launchBrowser({ media: true, extraArgs: [marker] });
  const wsUrl = `${app.origin.replace(/^http/, 'ws')}/ws`;

  const runOnce = async (nodes: number, noCaps: boolean): Promise<MixResult> => {
    const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
    const peers: LightPeer[] = [];
    try {
      context.setDefaultTimeout(90_000);
      await context.addInitScript(NAME_SHIM);
      await context.addInitScript(() => localStorage.setItem('peerboard.name', 'P1'));
      await context.addInitScript(recordConnections, noCaps);
      const page: Page = await context.newPage();
      await page.goto(app.origin + '/');
      await page.getByRole('button', { name: 'Create a room' }).click();
      await page.waitForURL(/\/r\//);
      const url = new URL(page.url());
      const roomId = url.pathname.split('/')[2]!;
      const secret = new URLSearchParams(url.hash.slice(1)).get('k') ?? undefined;
      for (let i = 1; i <= nodes; i++)
        peers.push(
          startLightPeer({
            url: wsUrl,
            roomId,
            name: `Node${i}`,
            secret,
            ...NODE_CAMERA,
            count: false,
          }),
        );
      await Promise.all(peers.map((p) => p.ready));
      console.error(`[call-mesh --mix] ${nodes} Node peers in the call; P1 joins`);
      await page.getByRole('tab', { name: 'Call' }).click();
      await page.getByRole('button', { name: 'Join call', exact: true }).waitFor();
      const joinMs = await clickToFirstFrame(page, 'Join call').catch(async (e: unknown) => {
        const tiles = await page.locator('figure.tile').count();
        throw new Error(`${String(e)} (P1 has ${tiles} tiles)`);
      });
      console.error(`[call-mesh --mix] first frame after ${joinMs.toFixed(0)} ms`);
      // every Node peer's stream shown, then the call settles
      await page
        .locator('figure.tile[data-self="false"] video')
        .nth(nodes - 1)
        .waitFor({ state: 'attached' });
      await sleep(settle * 1000);
      const pids = chromiumTree(marker);
      const nodePids = peers.map((p) => p.pid);
      const c0 = await readCounters(page);
      const n0 = peers.map((p) => p.stats());
      const cpu0 = cpuSeconds(pids);
      const node0 = cpuSeconds(nodePids);
      const t0 = Date.now();
      await sleep(seconds * 1000);
      const c1 = await readCounters(page);
      const n1 = peers.map((p) => p.stats());
      const cpu1 = cpuSeconds(pids);
      const node1 = cpuSeconds(nodePids);
      const s = (Date.now() - t0) / 1000;
      // the page's rates over the page's own window: on a loaded machine an evaluate can
      // return seconds after its getStats ran, which inflated a first run's fps 2x
      const ps = (c1.at - c0.at) / 1000;
      const heights = c1.framesEncodedHeights;
      const fps = streamFps(c0.decodedByStream, c1.decodedByStream, ps);
      const nodeSent = peers.reduce((a, _, i) => a + rate(n0[i]!, n1[i]!, (x) => x.bytesSent), 0);
      return {
        cpuPct: ((cpu1 - cpu0) / s) * 100,
        nodeCpuPct: ((node1 - node0) / s) * 100,
        sentKbpsPerLink: ((c1.bytesSent - c0.bytesSent) * 8) / 1000 / ps / nodes,
        // each Node peer sends to the N others: N-1 Node peers and the Chromium participant
        nodeSentKbpsPerLink: (nodeSent * 8) / 1000 / (nodes * nodes),
        sentHeight: heights.length ? heights.reduce((a, b) => a + b, 0) / heights.length : NaN,
        recvFps: (c1.framesDecoded - c0.framesDecoded) / ps / nodes,
        recvFpsMin: fps.length === nodes ? Math.min(...fps) : NaN,
        joinMs,
        caps: capsCell(c1.caps, c1.scales, c1.capture[0] ?? '-'),
      };
    } finally {
      await context.close().catch(() => undefined);
      await Promise.all(peers.map((p) => p.stop()));
    }
  };

  try {
    console.error('[call-mesh --mix] reference: two Node peers alone...');
    const reference = await nodeReference(wsUrl, NODE_CAMERA, seconds, settle).catch(
      (e: unknown) => {
        console.error(`[call-mesh --mix] Node reference failed: ${String(e)}`);
        return null;
      },
    );
    const results = new Map<string, MixResult>();
    for (const nodes of sizes)
      for (const noCaps of [false, true]) {
        const label = `1+${nodes} ${noCaps ? 'reference' : 'caps'}`;
        console.error(`[call-mesh --mix] ${label}...`);
        try {
          const r = await runOnce(nodes, noCaps);
          console.error(`[call-mesh --mix] ${label}: ${JSON.stringify(r)}`);
          results.set(label, r);
        } catch (e) {
          console.error(`[call-mesh --mix] ${label} failed: ${e instanceof Error ? e.message : e}`);
        }
      }
    const { width, height, fps } = NODE_CAMERA;
    if (reference)
      console.log(
        formatTable(
          [
            `two Node peers alone (${width}x${height} at a set ${fps} fps), own process each`,
            'encoded fps / sender',
            'received fps / stream (each direction)',
            'sent kbit/s / sender',
            'CPU % / process',
          ],
          [
            [
              'Node <-> Node reference',
              reference.sentFps.map((f) => fmt(f)).join(' / '),
              reference.recvFps.map((f) => fmt(f)).join(' / '),
              fmt(reference.sentKbpsPerSender, 0),
              reference.cpuPct.map((c) => fmt(c)).join(' / '),
            ],
          ],
        ) + '\n',
      );
    console.log(
      capsTable<MixResult>(
        [
          { title: 'Chromium participant CPU %', value: (r) => r.cpuPct },
          { title: 'its received fps / stream (mean)', value: (r) => r.recvFps },
          { title: 'slowest stream fps', value: (r) => r.recvFpsMin },
          { title: 'its sent kbit/s / link', value: (r) => r.sentKbpsPerLink, digits: 0 },
          { title: 'its sent height px', value: (r) => r.sentHeight, digits: 0 },
          { title: 'its join -> frame ms', value: (r) => r.joinMs, digits: 0 },
          { title: 'Node peers CPU % (all, info)', value: (r) => r.nodeCpuPct },
          {
            title: 'Node sent kbit/s / link (info)',
            value: (r) => r.nodeSentKbpsPerLink,
            digits: 0,
          },
          { title: 'its caps (maxBitrate/scale); capture height@fps', value: (r) => r.caps },
        ],
        sizes.map((n) => ({
          name: `1 Chromium + ${n} Node`,
          caps: results.get(`1+${n} caps`),
          ref: results.get(`1+${n} reference`),
        })),
      ),
    );
  } finally {
    await browser.close();
    await app.stop();
  }
}
