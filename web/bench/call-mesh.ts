/**
 * Mesh call benchmark (issue 15): N participants (default 2, 4, 6) in one headless Chromium with
 * fake camera/microphone, on the built app and the real server (build web first). Everyone
 * sends their camera to everyone (a full mesh: N-1 encodes per participant).
 *
 * - CPU per participant: utime+stime from /proc of this benchmark's Chromium processes (the
 *   browser process found by a marker flag, and all its descendants: renderers, GPU, utility)
 *   over a measuring window with the whole call running, divided by N.
 * - sent bitrate per sender and link: outbound-rtp video bytesSent over the window (an init
 *   script keeps every RTCPeerConnection of the page), with the sent frame height and rate.
 * - received frame rate per remote stream (inbound-rtp framesDecoded): does the call stay smooth.
 * - join -> first remote frame: participant k clicks "Join call" with k-1 already in; the
 *   requestVideoFrameCallback time of the first presented remote frame, from the click.
 *
 * Same-run reference: every size runs twice, with the mesh bandwidth caps (bitrateTuner) and
 * with an init script that makes RTCRtpSender.setParameters a no-op (the browser's defaults:
 * the behaviour before the caps). Ratios are caps / reference.
 *
 * `--mix 1+5`: one Chromium participant beside five light Node peers (call-mesh-mix.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { fmt, sleep, summary, type Benchmark } from '@peerboard/bench-kit';
import { clockTicks } from '@peerboard/bench-kit/proc';
import { launchBrowser, startApp } from '../e2e/harness';
import { list, options, positiveInt } from './args';
import { NAME_SHIM } from './core-browser';
import { runMix } from './call-mesh-mix';
import { capsCell, capsTable } from './call-mesh-table';

/** Init script: keep every peer connection the page makes. */
export function recordConnections(noCaps: boolean) {
  const w = window as unknown as { __pcs: RTCPeerConnection[] };
  w.__pcs = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__pcs.push(this);
    }
  };
  // the reference: senders and the camera keep the browser's defaults whatever the app asks
  if (noCaps) {
    RTCRtpSender.prototype.setParameters = () => Promise.resolve();
    MediaStreamTrack.prototype.applyConstraints = () => Promise.resolve();
  }
}

export interface Counters {
  /** the page's clock (performance.now) when the last getStats resolved */
  at: number;
  bytesSent: number;
  framesEncodedHeights: number[];
  framesDecoded: number;
  /** framesDecoded per inbound video stream, by connection index and stats id */
  decodedByStream: Record<string, number>;
  inboundVideo: number;
  outboundVideo: number;
  caps: (number | null)[];
  /** P1's scaleResolutionDownBy per video sender */
  scales: (number | null)[];
  /** outbound video streams whose encoder reports qualityLimitationReason 'cpu' */
  cpuLimited: number;
  /** the worst fractionLost (%) and RTT (ms) receivers report of this page's streams */
  remoteLossPct: number;
  remoteRttMs: number;
  /** what the camera captures (the sent tracks' settings), 'h@fps' per video sender */
  capture: string[];
}

export const readCounters = (page: Page): Promise<Counters> =>
  page.evaluate(async () => {
    const c = {
      at: 0,
      bytesSent: 0,
      framesEncodedHeights: [] as number[],
      framesDecoded: 0,
      decodedByStream: {} as Record<string, number>,
      inboundVideo: 0,
      outboundVideo: 0,
      caps: [] as (number | null)[],
      scales: [] as (number | null)[],
      cpuLimited: 0,
      remoteLossPct: 0,
      remoteRttMs: 0,
      capture: [] as string[],
    };
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    for (const [index, pc] of pcs.entries()) {
      if (pc.connectionState === 'closed') continue;
      for (const s of pc.getSenders())
        if (s.track?.kind === 'video') {
          c.caps.push(s.getParameters().encodings[0]?.maxBitrate ?? null);
          c.scales.push(s.getParameters().encodings[0]?.scaleResolutionDownBy ?? null);
          const set = s.track.getSettings();
          c.capture.push(`${set.height ?? '?'}@${Math.round(set.frameRate ?? 0)}`);
        }
      (await pc.getStats()).forEach(
        (s: {
          id?: string;
          type?: string;
          kind?: string;
          bytesSent?: number;
          frameHeight?: number;
          framesDecoded?: number;
          qualityLimitationReason?: string;
          fractionLost?: number;
          roundTripTime?: number;
        }) => {
          if (s.kind !== 'video') return;
          if (s.type === 'remote-inbound-rtp') {
            c.remoteLossPct = Math.max(c.remoteLossPct, (s.fractionLost ?? 0) * 100);
            c.remoteRttMs = Math.max(c.remoteRttMs, (s.roundTripTime ?? 0) * 1000);
          } else if (s.type === 'outbound-rtp') {
            c.bytesSent += s.bytesSent ?? 0;
            c.outboundVideo++;
            if (s.qualityLimitationReason === 'cpu') c.cpuLimited++;
            if (s.frameHeight) c.framesEncodedHeights.push(s.frameHeight);
          } else if (s.type === 'inbound-rtp') {
            c.framesDecoded += s.framesDecoded ?? 0;
            c.decodedByStream[`${index}:${s.id ?? '?'}`] = s.framesDecoded ?? 0;
            c.inboundVideo++;
          }
        },
      );
    }
    c.at = performance.now();
    return c;
  });

/** pids of the Chromium launched with `marker` and of all its descendants */
export function chromiumTree(marker: string): number[] {
  const parent = new Map<number, number>();
  let root: number | null = null;
  for (const d of readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (root === null && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker))
        root = pid;
    } catch {
      // exited meanwhile
    }
  }
  if (root === null) throw new Error('the benchmark Chromium process was not found');
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent)
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
  }
  return [...tree];
}

/** total CPU seconds of the given processes (those still alive) */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // exited
    }
  }
  return ticks / clockTicks();
}

/** clicks `button` and resolves with ms from the click to the first presented remote frame */
export async function clickToFirstFrame(page: Page, button: string): Promise<number> {
  const timed = page.evaluate(
    (label) =>
      new Promise<number>((resolve, reject) => {
        let t0 = 0;
        const attach = () => {
          const v = document.querySelector<HTMLVideoElement>(
            'figure.tile[data-self="false"] video',
          );
          if (!v?.srcObject) return false;
          v.requestVideoFrameCallback((now) => resolve(now - t0));
          return true;
        };
        const btn = [...document.querySelectorAll<HTMLButtonElement>('button')].find(
          (b) => b.textContent?.trim() === label,
        );
        if (!btn) return reject(new Error(`no "${label}" button`));
        btn.addEventListener(
          'click',
          () => {
            t0 = performance.now();
            const poll = setInterval(() => attach() && clearInterval(poll), 2);
          },
          { capture: true, once: true },
        );
        setTimeout(() => reject(new Error('no remote frame in 60 s')), 60_000);
      }),
    button,
  );
  // a click that times out must not leave this promise to reject unhandled (it ended the run)
  timed.catch(() => undefined);
  await sleep(20);
  await page.getByRole('button', { name: button, exact: true }).click();
  return timed;
}

interface RunResult {
  cpuPerParticipantPct: number;
  sentKbpsPerLink: number;
  sentHeight: number;
  recvFps: number;
  joinMs: number[];
  caps: (number | null)[];
  scales: (number | null)[];
  /** share of all outbound video streams that were CPU-limited at the end of the window */
  cpuLimitedShare: number;
  remoteLossPct: number;
  remoteRttMs: number;
  /** P1's camera capture, height@fps */
  capture: string;
}

export const callMeshBenchmark: Benchmark = {
  name: 'call-mesh',
  description: 'N-way mesh call: CPU, sent bitrate, fps, join -> first frame; caps vs no caps',
  async run(args) {
    const o = options(args, { sizes: '2,4,6', seconds: '15', settle: '8', mix: '' });
    if (o.mix)
      return runMix(o.mix, positiveInt('seconds', o.seconds), positiveInt('settle', o.settle));
    const sizes = list(o.sizes).map((s) => positiveInt('sizes', s));
    const seconds = positiveInt('seconds', o.seconds);
    const settle = positiveInt('settle', o.settle);
    const marker = `--peerboard-call-mesh-${process.pid}-${Date.now()}`;
    const app = await startApp();
    const browser = await launchBrowser({ media: true, extraArgs: [marker] });
    const results = new Map<string, RunResult>();
    try {
      const runOnce = async (n: number, noCaps: boolean): Promise<RunResult> => {
        const contexts: BrowserContext[] = [];
        try {
          const pages: Page[] = [];
          const open = async (name: string, url: string) => {
            const c = await browser.newContext({ viewport: { width: 960, height: 640 } });
            contexts.push(c);
            c.setDefaultTimeout(90_000);
            c.setDefaultNavigationTimeout(90_000);
            await c.addInitScript(NAME_SHIM);
            await c.addInitScript((x) => localStorage.setItem('peerboard.name', x), name);
            await c.addInitScript(recordConnections, noCaps);
            const p = await c.newPage();
            await p.goto(url);
            pages.push(p);
            return p;
          };
          // every page is loaded before any video flows: on a loaded machine a page opened
          // beside a running call can take minutes to load
          const first = await open('P1', app.origin + '/');
          await first.getByRole('button', { name: 'Create a room' }).click();
          await first.waitForURL(/\/r\//);
          const link = first.url();
          for (let i = 2; i <= n; i++) await open(`P${i}`, link);
          for (const p of pages) await p.getByRole('tab', { name: 'Call' }).click();
          await first.getByRole('button', { name: 'Start call' }).click();
          await first.getByRole('button', { name: 'Leave call' }).waitFor();
          const joinMs: number[] = [];
          for (const p of pages.slice(1)) {
            await p.getByRole('button', { name: 'Join call', exact: true }).waitFor();
            joinMs.push(await clickToFirstFrame(p, 'Join call'));
          }
          await sleep(settle * 1000);
          const pids = chromiumTree(marker);
          const c0 = await Promise.all(pages.map(readCounters));
          const cpu0 = cpuSeconds(pids);
          const t0 = Date.now();
          await sleep(seconds * 1000);
          const c1 = await Promise.all(pages.map(readCounters));
          const cpu1 = cpuSeconds(pids);
          const s = (Date.now() - t0) / 1000;
          const links = n * (n - 1);
          const sentBytes = c1.reduce((a, c, i) => a + c.bytesSent - c0[i]!.bytesSent, 0);
          const decoded = c1.reduce((a, c, i) => a + c.framesDecoded - c0[i]!.framesDecoded, 0);
          const heights = c1.flatMap((c) => c.framesEncodedHeights);
          return {
            cpuPerParticipantPct: ((cpu1 - cpu0) / s / n) * 100,
            sentKbpsPerLink: (sentBytes * 8) / 1000 / s / links,
            sentHeight: heights.length ? heights.reduce((a, b) => a + b, 0) / heights.length : NaN,
            recvFps: decoded / s / links,
            joinMs,
            caps: c1[0]!.caps,
            scales: c1[0]!.scales,
            cpuLimitedShare:
              c1.reduce((a, c) => a + c.cpuLimited, 0) /
              Math.max(
                1,
                c1.reduce((a, c) => a + c.outboundVideo, 0),
              ),
            remoteLossPct: Math.max(...c1.map((c) => c.remoteLossPct)),
            remoteRttMs: Math.max(...c1.map((c) => c.remoteRttMs)),
            capture: c1[0]!.capture[0] ?? '-',
          };
        } finally {
          for (const c of contexts) await c.close().catch(() => undefined);
        }
      };

      for (const n of sizes)
        for (const noCaps of [false, true]) {
          const label = `${n} ${noCaps ? 'reference' : 'caps'}`;
          console.error(`[call-mesh] ${label}...`);
          try {
            const r = await runOnce(n, noCaps);
            console.error(`[call-mesh] ${label}: ${JSON.stringify(r)}`);
            results.set(label, r);
          } catch (e) {
            // a saturated machine: keep the sizes that ran
            console.error(`[call-mesh] ${label} failed: ${e instanceof Error ? e.message : e}`);
          }
        }

      console.log(
        capsTable<RunResult>(
          [
            { title: 'CPU % / participant', value: (r) => r.cpuPerParticipantPct },
            { title: 'sent kbit/s / link', value: (r) => r.sentKbpsPerLink, digits: 0 },
            { title: 'sent height px', value: (r) => r.sentHeight, digits: 0 },
            { title: 'received fps / stream', value: (r) => r.recvFps },
            { title: 'join -> frame p50 ms', value: (r) => summary(r.joinMs).p50, digits: 0 },
            { title: 'max ms', value: (r) => summary(r.joinMs).max, digits: 0, noRatio: true },
            {
              title: 'CPU-limited encoders %',
              value: (r) => r.cpuLimitedShare * 100,
              digits: 0,
              noRatio: true,
            },
            {
              title: 'receiver-reported loss % / RTT ms (worst)',
              value: (r) => `${fmt(r.remoteLossPct, 1)} / ${fmt(r.remoteRttMs, 0)}`,
            },
            {
              title: "P1's caps (maxBitrate/scale); capture height@fps",
              value: (r) => capsCell(r.caps, r.scales, r.capture),
            },
          ],
          sizes.map((n) => ({
            name: `${n} people`,
            caps: results.get(`${n} caps`),
            ref: results.get(`${n} reference`),
          })),
        ),
      );
    } finally {
      await browser.close();
      await app.stop();
    }
  },
};
