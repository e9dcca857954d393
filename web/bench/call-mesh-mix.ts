/**
 * `call-mesh --mix 1+N`: one Chromium participant (fake camera/microphone, the built app) and N
 * light Node participants (the same core engine, makeSession over @roamhq/wrtc, each sending a
 * 160x120 synthetic camera at 15 fps; call-mesh-media.ts) in one room, all in the call. What a
 * laptop in an (N+1)-person mesh does is what the Chromium participant does here: N encodes and
 * N decodes of its own, while the others cost the box little. All-Chromium meshes on this
 * 2-core box measure the box instead (six browsers' 30 encodes and 30 decodes).
 *
 * Measured on the Chromium participant over the window: CPU % of its Chromium (browser, renderer,
 * GPU and utility processes: one participant's whole share), sent kbit/s per link and sent
 * height, received fps per remote stream, and the click on "Join call" (the N Node peers are
 * already in the call) to its first presented remote frame. The Node side's CPU (N peers, the
 * relay and this process) is printed for information. Same-run reference: the init script that
 * makes setParameters and applyConstraints no-ops (the browser's defaults).
 */
import type { Page } from 'playwright-core';
import { fmt, formatTable, ratio, sleep } from '@peerboard/bench-kit';
import type { Session } from '@peerboard/core';
import { quietSession } from '../../shared/core/test/kit/relay';
import { launchBrowser, startApp } from '../e2e/harness';
import {
  chromiumTree,
  clickToFirstFrame,
  cpuSeconds,
  readCounters,
  recordConnections,
} from './call-mesh';
import { makeLightDevices } from './call-mesh-media';
import { NAME_SHIM } from './core-browser';

interface MixResult {
  cpuPct: number;
  nodeCpuPct: number;
  sentKbpsPerLink: number;
  sentHeight: number;
  recvFps: number;
  joinMs: number;
  capture: string;
  caps: string;
}

function parseMix(mix: string): number {
  const m = /^1\+([1-9][0-9]?)$/.exec(mix);
  if (!m) throw new Error('--mix must be 1+N (one Chromium participant and N Node peers)');
  return Number(m[1]);
}

export async function runMix(mix: string, seconds: number, settle: number): Promise<void> {
  const nodes = parseMix(mix);
  const marker = `--peerboard-call-mix-${process.pid}-${Date.now()}`;
  const app = await startApp();
  const browser = await launchBrowser({ media: true, extraArgs: [marker] });
  const wsUrl = `${app.origin.replace(/^http/, 'ws')}/ws`;

  const runOnce = async (noCaps: boolean): Promise<MixResult> => {
    const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
    const light = makeLightDevices();
    const sessions: Session[] = [];
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
      for (let i = 1; i <= nodes; i++) {
        const s = quietSession(wsUrl, roomId, `Node${i}`, {
          secret,
          call: { devices: light.devices, log: () => {} },
        });
        sessions.push(s);
      }
      for (const s of sessions) await s.call.start();
      console.error(`[call-mesh --mix] ${nodes} Node peers in the call; P1 joins`);
      await page.getByRole('tab', { name: 'Call' }).click();
      await page.getByRole('button', { name: 'Join call', exact: true }).waitFor();
      const joinMs = await clickToFirstFrame(page, 'Join call').catch(async (e: unknown) => {
        const seen = sessions.map((x) => x.call.snapshot().participants.length).join(',');
        const tiles = await page.locator('figure.tile').count();
        throw new Error(
          `${String(e)} (Node peers see ${seen} participants; P1 has ${tiles} tiles)`,
        );
      });
      console.error(`[call-mesh --mix] first frame after ${joinMs.toFixed(0)} ms`);
      // every Node peer's stream shown, then the call settles
      await page
        .locator('figure.tile[data-self="false"] video')
        .nth(nodes - 1)
        .waitFor({ state: 'attached' });
      await sleep(settle * 1000);
      const pids = chromiumTree(marker);
      const c0 = await readCounters(page);
      const cpu0 = cpuSeconds(pids);
      const node0 = process.cpuUsage();
      const t0 = Date.now();
      await sleep(seconds * 1000);
      const c1 = await readCounters(page);
      const cpu1 = cpuSeconds(pids);
      const node1 = process.cpuUsage(node0);
      const s = (Date.now() - t0) / 1000;
      const heights = c1.framesEncodedHeights;
      return {
        cpuPct: ((cpu1 - cpu0) / s) * 100,
        nodeCpuPct: ((node1.user + node1.system) / 1e6 / s) * 100,
        sentKbpsPerLink: ((c1.bytesSent - c0.bytesSent) * 8) / 1000 / s / nodes,
        sentHeight: heights.length ? heights.reduce((a, b) => a + b, 0) / heights.length : NaN,
        recvFps: (c1.framesDecoded - c0.framesDecoded) / s / nodes,
        joinMs,
        capture: c1.capture[0] ?? '-',
        caps: c1.caps
          .map((x, i) => (x === null ? 'none' : `${x / 1000}k/${c1.scales[i] ?? 1}x`))
          .join(' '),
      };
    } finally {
      for (const s of sessions) s.destroy();
      light.stopAll();
      await context.close().catch(() => undefined);
    }
  };

  try {
    const results: [string, MixResult][] = [];
    for (const noCaps of [false, true]) {
      const label = noCaps ? 'reference: no caps' : 'caps';
      console.error(`[call-mesh --mix ${mix}] ${label}...`);
      try {
        const r = await runOnce(noCaps);
        console.error(`[call-mesh --mix ${mix}] ${label}: ${JSON.stringify(r)}`);
        results.push([label, r]);
      } catch (e) {
        console.error(
          `[call-mesh --mix ${mix}] ${label} failed: ${e instanceof Error ? e.message : e}`,
        );
      }
    }
    const rows = results.map(([label, r]) => [
      `1 Chromium + ${nodes} Node, ${label}`,
      fmt(r.cpuPct),
      fmt(r.nodeCpuPct),
      fmt(r.sentKbpsPerLink, 0),
      fmt(r.sentHeight, 0),
      fmt(r.recvFps),
      fmt(r.joinMs, 0),
      `${r.caps}; capture ${r.capture}`,
    ]);
    const [caps, ref] = [
      results.find(([l]) => l === 'caps')?.[1],
      results.find(([l]) => l !== 'caps')?.[1],
    ];
    if (caps && ref)
      rows.push([
        'caps / reference',
        ratio(caps.cpuPct, ref.cpuPct),
        ratio(caps.nodeCpuPct, ref.nodeCpuPct),
        ratio(caps.sentKbpsPerLink, ref.sentKbpsPerLink),
        ratio(caps.sentHeight, ref.sentHeight),
        ratio(caps.recvFps, ref.recvFps),
        ratio(caps.joinMs, ref.joinMs),
        '',
      ]);
    console.log(
      formatTable(
        [
          'run',
          'Chromium participant CPU %',
          'Node side CPU % (info)',
          'its sent kbit/s / link',
          'its sent height px',
          'its received fps / stream',
          'its join -> frame ms',
          'its caps (maxBitrate/scale); capture height@fps',
        ],
        rows,
      ),
    );
  } finally {
    await browser.close();
    await app.stop();
  }
}
