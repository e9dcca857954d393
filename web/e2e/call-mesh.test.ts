/**
 * Mesh bandwidth through the UI of the built client (issue 15): four contexts of one headless
 * Chromium with fake devices, the real server. Alice sends her camera; the others join to
 * listen only (they receive her video but encode nothing). Six pages (5 receivers) did not
 * load within a minute each on the shared two-core machine (load 20-30), so the test goes
 * 2 -> 3 -> 2 receivers; 5 receivers are in the policy table and the call-mesh benchmark.
 *
 * The caps are read back from the browser itself: an init script keeps every RTCPeerConnection
 * the page makes, and the test reads getParameters() of Alice's live video senders and
 * outbound-rtp frameHeight from getStats(). Before bitrateTuner existed every sender had no
 * maxBitrate/scaleResolutionDownBy/maxFramerate at all, whatever the number of receivers.
 *
 * The expected caps come from the policy (bitratePolicy.encodingFor) for the receiver count, at
 * any of the three link qualities, with or without a CPU-limited encoder: a loaded machine may
 * measure a link as fair or poor, and the bitrates of each count are disjoint from the other
 * counts', so the count is still what the test checks.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { encodingFor, type SendKind } from '@peerboard/core/call';
import {
  createRoom,
  DESKTOP,
  joinRoom,
  openInNewContext,
  screenshot,
  useBrowserSession,
  waitDirect,
} from './harness';

const TIMEOUT = 60_000;
const POLL = { timeout: TIMEOUT, interval: 500 };

/** Init script: remember every peer connection the page creates (simple-peer's included). */
function recordConnections() {
  const w = window as unknown as { __pcs: RTCPeerConnection[] };
  w.__pcs = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      w.__pcs.push(this);
    }
  };
}

interface SenderCaps {
  maxBitrate: number | null;
  scale: number | null;
  fps: number | null;
  hint: string;
}

/** the encoding caps of every video sender that is sending now, on live connections */
const videoCaps = (page: Page): Promise<SenderCaps[]> =>
  page.evaluate(() =>
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getSenders())
      .filter((s) => s.track?.kind === 'video' && s.track.readyState === 'live')
      .map((s) => {
        const e = s.getParameters().encodings[0];
        return {
          maxBitrate: e?.maxBitrate ?? null,
          scale: e?.scaleResolutionDownBy ?? null,
          fps: e?.maxFramerate ?? null,
          hint: s.track?.contentHint ?? '',
        };
      }),
  );

/** the largest frameHeight of the video this page sends (outbound-rtp), 0 if none yet */
const sentHeight = (page: Page): Promise<number> =>
  page.evaluate(async () => {
    let max = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: { type?: string; kind?: string; frameHeight?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video')
          max = Math.max(max, s.frameHeight ?? 0);
      });
    }
    return max;
  });

/** true when `caps` is what the policy gives `receivers` receivers on some link quality */
function followsPolicy(all: SenderCaps[], kind: SendKind, receivers: number): boolean {
  const caps = all.filter((c) => (c.hint === 'detail') === (kind === 'screen'));
  // a loaded machine may also limit the encoder by CPU (lower resolution, same bitrate)
  const allowed = (['good', 'fair', 'poor'] as const).flatMap((q) => [
    encodingFor(kind, receivers, q),
    encodingFor(kind, receivers, q, true),
  ]);
  // capture at the source (core call/capture.ts): when every receiver gets less than the camera
  // captures, the camera captures smaller and each sender scales only the rest (the sent height
  // below checks the picture itself)
  if (kind === 'camera') {
    const base = [...allowed]; // not the growing list: iterating it while pushing never ends
    for (const a of base)
      for (const b of base)
        if (b.scaleResolutionDownBy <= a.scaleResolutionDownBy)
          allowed.push({
            ...a,
            scaleResolutionDownBy: a.scaleResolutionDownBy / b.scaleResolutionDownBy,
          });
  }
  return (
    caps.length === receivers &&
    caps.every((c) =>
      allowed.some(
        (a) =>
          a.maxBitrate === c.maxBitrate &&
          a.scaleResolutionDownBy === c.scale &&
          a.maxFramerate === c.fps,
      ),
    )
  );
}

describe('call: mesh bandwidth (Chromium)', () => {
  const session = useBrowserSession({ media: true });

  async function enter(name: string, link: string | null) {
    const { page, errors } = await openInNewContext(
      session.browser,
      link ?? session.app.origin + '/',
      {
        contexts: session.contexts,
        viewport: DESKTOP,
        colorScheme: 'light',
        prepare: async (c) => {
          // six pages on a shared two-core machine: loading one can take more than 30 s
          c.setDefaultNavigationTimeout(TIMEOUT);
          c.setDefaultTimeout(TIMEOUT);
          await c.addInitScript(recordConnections);
        },
      },
    );
    if (link) await joinRoom(page, name);
    else await createRoom(page, name);
    return { page, errors, link: page.url() };
  }

  async function listen(page: Page) {
    await page.getByRole('tab', { name: 'Call' }).click();
    await page.getByRole('button', { name: 'Join to listen only' }).click();
    await page.getByRole('button', { name: 'Leave call' }).waitFor({ timeout: TIMEOUT });
  }

  test('video caps follow the receiver count (2 -> 3 -> 2), a screen keeps its resolution, quality tooltip by keyboard', async () => {
    // every page is loaded and connected before any video flows: on a loaded machine a page
    // opened beside running calls can take minutes to load
    const alice = await enter('Alice', null);
    const others = [];
    for (const name of ['Bob', 'Cy', 'Dan']) others.push(await enter(name, alice.link));
    for (const o of others) await waitDirect(o.page, 'Alice', TIMEOUT);
    await alice.page.getByRole('tab', { name: 'Call' }).click();
    await alice.page.getByRole('button', { name: 'Start call' }).click();

    await listen(others[0]!.page);
    await listen(others[1]!.page);
    await expect
      .poll(async () => followsPolicy(await videoCaps(alice.page), 'camera', 2), POLL)
      .toBe(true);
    console.log('[call-mesh] 2 receivers', JSON.stringify(await videoCaps(alice.page)));

    await listen(others[2]!.page);
    await expect
      .poll(async () => followsPolicy(await videoCaps(alice.page), 'camera', 3), POLL)
      .toBe(true);
    console.log('[call-mesh] 3 receivers', JSON.stringify(await videoCaps(alice.page)));
    // the cap reaches the encoder: the 640x480 fake camera goes out at 1/1.5 height or less
    await expect.poll(() => sentHeight(alice.page), POLL).toBeGreaterThan(0);
    await expect.poll(() => sentHeight(alice.page), POLL).toBeLessThanOrEqual(320);

    // Bob sees Alice's link quality with its figures, by keyboard
    const bob = others[0]!.page;
    const badge = bob.locator('figure.tile[data-self="false"] .tile-quality').first();
    await expect.poll(() => badge.getAttribute('data-quality'), POLL).toMatch(/^(good|fair|poor)$/);
    await badge.focus();
    await bob.keyboard.press('Shift+Tab');
    await bob.keyboard.press('Tab');
    const tip = bob.locator('#' + (await badge.getAttribute('aria-describedby')));
    await expect.poll(() => tip.isVisible(), POLL).toBe(true);
    await expect.poll(() => tip.textContent(), POLL).toMatch(/Round trip: \d+ ms/);
    await screenshot(bob, 'call-mesh-quality-tooltip');
    await bob.keyboard.press('Escape');
    await expect.poll(() => tip.isVisible(), POLL).toBe(false);

    // one leaves: the budget goes back up for the two left
    await others[2]!.page.getByRole('button', { name: 'Leave call' }).click();
    await expect
      .poll(async () => followsPolicy(await videoCaps(alice.page), 'camera', 2), POLL)
      .toBe(true);

    // a shared screen: full resolution, fewer frames (content hint 'detail')
    await alice.page.getByRole('button', { name: 'Share your screen' }).click();
    await expect
      .poll(async () => {
        const caps = await videoCaps(alice.page);
        return followsPolicy(caps, 'screen', 2);
      }, POLL)
      .toBe(true);
    console.log('[call-mesh] screen, 2 receivers', JSON.stringify(await videoCaps(alice.page)));
    expect(alice.errors).toEqual([]);
  }, 420_000);
});
