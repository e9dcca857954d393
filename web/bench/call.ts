/**
 * Chat and call benchmark (issue 6), in headless Chromium with fake camera/microphone, on the
 * built app and the real server (build web first). Two contexts A and B share a room.
 *
 * - join -> first remote frame: A is in the call; per trial B clicks "Join call" and we take the
 *   requestVideoFrameCallback time of the first frame of A's video presented in B (B's clock),
 *   and of B's first frame presented in A (epoch time, same machine). Then B leaves.
 *   Same-run reference: getUserMedia + two RTCPeerConnections in one page with direct SDP and
 *   candidate hand-over, to the first presented remote frame: the floor without any room logic.
 * - chat latency: A sends through the UI (input + Enter on the composer); B's MutationObserver
 *   sees the rendered message. Epoch times of both pages (same machine clock, sub-ms). Measured
 *   with no call and again during the call. Reference: half the app-level ping RTT over the
 *   same data channel (`?debug` exposes the room).
 * - SDP size: the largest local description each page set (an init script wraps
 *   setLocalDescription), against the signal payload limit. Rejoins must not grow it: before
 *   senders were paused instead of removed, every rejoin added two m= sections and the offer
 *   passed the limit after four rejoins (then B's video never reached A).
 */
import type { Page } from 'playwright-core';
import { SIGNAL_PAYLOAD_MAX_BYTES } from '@peerboard/protocol';
import {
  formatTable,
  latencyHeaders,
  latencyRow,
  sleep,
  summary,
  type Benchmark,
} from '@peerboard/bench-kit';
import { launchBrowser, startApp } from '../e2e/harness';
import { options, positiveInt } from './args';
import { NAME_SHIM } from './core-browser';

const HEADERS = latencyHeaders('measure');

async function waitIn(page: Page, what: string, fn: string, timeoutMs = 30_000): Promise<void> {
  try {
    await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 20 });
  } catch {
    throw new Error(`timed out waiting for ${what}`);
  }
}

/** Init script: remember the largest local SDP this page set (bytes and m= sections). */
function recordSdpSize() {
  const w = window as unknown as { __sdpMax: { bytes: number; sections: number } };
  w.__sdpMax = { bytes: 0, sections: 0 };
  const set = RTCPeerConnection.prototype.setLocalDescription;
  RTCPeerConnection.prototype.setLocalDescription = function (
    this: RTCPeerConnection,
    ...args: Parameters<typeof set>
  ) {
    const done = set.apply(this, args);
    void done.then(() => {
      const sdp = this.localDescription?.sdp ?? '';
      w.__sdpMax.bytes = Math.max(w.__sdpMax.bytes, sdp.length);
      w.__sdpMax.sections = Math.max(w.__sdpMax.sections, sdp.split('\nm=').length - 1);
    });
    return done;
  } as typeof set;
}

const sdpMax = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __sdpMax: { bytes: number; sections: number } }).__sdpMax,
  );

const tiles = (page: Page) => page.locator('#panel-call figure.tile').count();

/**
 * B clicks Join (a real click through playwright); resolves with B-side ms from the click to
 * A's first presented frame, and the click's epoch time.
 */
async function joinAndTime(b: Page): Promise<{ local: number; clickEpoch: number }> {
  const timed = b.evaluate(
    () =>
      new Promise<{ local: number; clickEpoch: number }>((resolve, reject) => {
        const btn = [...document.querySelectorAll<HTMLButtonElement>('#panel-call button')].find(
          (x) => x.textContent?.trim() === 'Join call',
        );
        if (!btn) return reject(new Error('no Join call button'));
        let t0 = 0;
        // a callback registered before the element has its stream may be dropped when the
        // source loads: attach once srcObject is set (polled; the first frame decodes later)
        const attach = () => {
          const v = document.querySelector<HTMLVideoElement>(
            '#panel-call figure.tile[data-self="false"] video',
          );
          if (!v?.srcObject) return false;
          v.requestVideoFrameCallback((now) =>
            resolve({ local: now - t0, clickEpoch: performance.timeOrigin + t0 }),
          );
          return true;
        };
        btn.addEventListener(
          'click',
          () => {
            t0 = performance.now();
            const poll = setInterval(() => attach() && clearInterval(poll), 2);
          },
          { capture: true, once: true },
        );
        setTimeout(() => {
          const v = document.querySelector<HTMLVideoElement>(
            '#panel-call figure.tile[data-self="false"] video',
          );
          const state = v ? `srcObject ${!!v.srcObject}, width ${v.videoWidth}` : 'no remote tile';
          reject(new Error(`no remote frame in 30 s (${state})`));
        }, 30_000);
      }),
  );
  await sleep(20);
  await b.getByRole('button', { name: 'Join call' }).click();
  return timed;
}

/** In A: epoch time of the first frame of a remote tile that appears from now on. */
function nextRemoteFrameEpoch(a: Page): Promise<number> {
  return a.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const seen = new Set(document.querySelectorAll('#panel-call figure.tile video'));
        const attach = () => {
          const v = [
            ...document.querySelectorAll<HTMLVideoElement>(
              '#panel-call figure.tile[data-self="false"] video',
            ),
          ].find((x) => !seen.has(x));
          if (!v?.srcObject) return false;
          v.requestVideoFrameCallback((now) => resolve(performance.timeOrigin + now));
          return true;
        };
        const poll = setInterval(() => attach() && clearInterval(poll), 2);
        setTimeout(() => {
          const state = [...document.querySelectorAll<HTMLVideoElement>('#panel-call video')].map(
            (v) => `${seen.has(v) ? 'old' : 'new'} src=${!!v.srcObject} w=${v.videoWidth}`,
          );
          reject(new Error(`no remote frame in A within 30 s (${state.join('; ')})`));
        }, 30_000);
      }),
  );
}

/** getUserMedia + two RTCPeerConnections in one page -> first presented remote frame. */
function rawCallMs(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const t0 = performance.now();
    const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const p1 = new RTCPeerConnection();
    const p2 = new RTCPeerConnection();
    p1.onicecandidate = (e) => void (e.candidate && p2.addIceCandidate(e.candidate));
    p2.onicecandidate = (e) => void (e.candidate && p1.addIceCandidate(e.candidate));
    const v = document.createElement('video');
    v.muted = true;
    v.autoplay = true;
    const frame = new Promise<number>((r) => v.requestVideoFrameCallback((now) => r(now)));
    p2.ontrack = (e) => {
      if (e.track.kind === 'video') v.srcObject = e.streams[0] ?? new MediaStream([e.track]);
    };
    for (const t of s.getTracks()) p1.addTrack(t, s);
    await p1.setLocalDescription(await p1.createOffer());
    await p2.setRemoteDescription(p1.localDescription!);
    await p2.setLocalDescription(await p2.createAnswer());
    await p1.setRemoteDescription(p2.localDescription!);
    const t = await frame;
    for (const tr of s.getTracks()) tr.stop();
    p1.close();
    p2.close();
    return t - t0;
  });
}

/** A sends `text` through the composer; B reports when it is rendered. Epoch ms. */
async function chatOnce(a: Page, b: Page, text: string): Promise<number> {
  const seen = b.evaluate(
    (t) =>
      new Promise<number>((resolve, reject) => {
        const has = () =>
          [...document.querySelectorAll('#panel-chat .chat-text')].some((e) => e.textContent === t);
        const mo = new MutationObserver(() => {
          if (has()) {
            mo.disconnect();
            resolve(performance.timeOrigin + performance.now());
          }
        });
        mo.observe(document.body, { subtree: true, childList: true, characterData: true });
        setTimeout(() => reject(new Error('chat message not seen in 10 s')), 10_000);
      }),
    text,
  );
  await sleep(5); // the observer is installed once evaluate has run; give it a tick
  const sent = await a.evaluate((t) => {
    const ta = document.getElementById('chat-input') as HTMLTextAreaElement;
    ta.value = t;
    ta.dispatchEvent(new InputEvent('input', { bubbles: true }));
    const at = performance.timeOrigin + performance.now();
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    return at;
  }, text);
  return (await seen) - sent;
}

async function pingHalfMs(a: Page): Promise<number> {
  return a.evaluate(async () => {
    const room = (window as unknown as { __peerboard: { room: import('@peerboard/core').Room } })
      .__peerboard.room;
    const peer = room.openPeers()[0];
    if (!peer) throw new Error('no open peer');
    const t0 = performance.now();
    await room.ping(peer);
    return (performance.now() - t0) / 2;
  });
}

export const callBenchmark: Benchmark = {
  name: 'call',
  description: 'join call -> first remote video frame; chat message latency (Chromium)',
  async run(args) {
    const o = options(args, { joins: '8', messages: '40' });
    const joins = positiveInt('joins', o.joins);
    const messages = positiveInt('messages', o.messages);
    const app = await startApp();
    const browser = await launchBrowser({ media: true });
    try {
      const ctx = async (name: string) => {
        const c = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await c.addInitScript(NAME_SHIM);
        await c.addInitScript((n) => localStorage.setItem('peerboard.name', n), name);
        await c.addInitScript(recordSdpSize);
        return c;
      };
      const a = await (await ctx('Ann')).newPage();
      await a.goto(app.origin + '/');
      await a.getByRole('button', { name: 'Create a room' }).click();
      await a.waitForURL(/\/r\//);
      const u = new URL(a.url());
      const link = `${u.origin}${u.pathname}?debug${u.hash}`;
      await a.goto(link);
      const b = await (await ctx('Bob')).newPage();
      await b.goto(link);
      for (const p of [a, b])
        await waitIn(p, 'peer open', 'window.__peerboard?.room.openPeers().length === 1');

      // chat with no call
      const chatIdle: number[] = [];
      const pingIdle: number[] = [];
      for (let i = 0; i < messages + 3; i++) {
        const ms = await chatOnce(a, b, `idle ${i} ${Math.random()}`);
        const half = await pingHalfMs(a);
        if (i < 3) continue; // warm-up
        chatIdle.push(ms);
        pingIdle.push(half);
      }

      // calls
      await a.getByRole('tab', { name: 'Call' }).click();
      await a.getByRole('button', { name: 'Start call' }).click();
      await waitIn(a, 'A in call', "document.querySelector('#panel-call figure.tile') !== null");
      await b.getByRole('tab', { name: 'Call' }).click();
      const refPage = await (await ctx('Ref')).newPage();
      await refPage.goto(app.origin + '/');
      const atB: number[] = [];
      const atA: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < joins; i++) {
        await b.getByRole('button', { name: 'Join call' }).waitFor({ timeout: 30_000 });
        const aFrame = nextRemoteFrameEpoch(a);
        const j = await joinAndTime(b);
        atB.push(j.local);
        atA.push((await aFrame) - j.clickEpoch);
        raw.push(await rawCallMs(refPage));
        if (i < joins - 1) {
          await b.getByRole('button', { name: 'Leave call' }).click();
          while ((await tiles(a)) !== 1) await sleep(20);
          await sleep(300);
        }
      }

      // chat during the call (B stays in)
      const chatCall: number[] = [];
      const pingCall: number[] = [];
      for (let i = 0; i < messages; i++) {
        chatCall.push(await chatOnce(a, b, `call ${i} ${Math.random()}`));
        pingCall.push(await pingHalfMs(a));
      }

      const rawS = summary(raw);
      console.log(
        formatTable(HEADERS, [
          latencyRow('join click -> first frame of A at B', summary(atB), rawS),
          latencyRow('join click -> first frame of B at A', summary(atA), rawS),
          latencyRow('reference: gUM + 2 pcs in one page', rawS, null),
        ]),
      );
      console.log();
      console.log();
      const limit = SIGNAL_PAYLOAD_MAX_BYTES;
      console.log(
        formatTable(
          ['largest local SDP', 'joins', 'bytes', 'm= sections', 'signal limit bytes'],
          await Promise.all(
            (
              [
                ['A (stayed in the call)', a],
                ['B (joined and left)', b],
              ] as const
            ).map(async ([label, p]) => {
              const m = await sdpMax(p);
              return [label, String(joins), String(m.bytes), String(m.sections), String(limit)];
            }),
          ),
        ),
      );
      console.log();
      const pi = summary(pingIdle);
      const pc = summary(pingCall);
      console.log(
        formatTable(HEADERS, [
          latencyRow('chat A -> rendered in B, no call', summary(chatIdle), pi),
          latencyRow('reference: ping RTT / 2, no call', pi, null),
          latencyRow('chat A -> rendered in B, in a call', summary(chatCall), pc),
          latencyRow('reference: ping RTT / 2, in a call', pc, null),
        ]),
      );
    } finally {
      await browser.close();
      await app.stop();
    }
  },
};
