/**
 * The call as a meeting (issue 15), through the UI of the built client: contexts of one
 * headless Chromium with fake camera/microphone/screen, the real server.
 *
 * - Three people: the call opens on a stage over the board, a gallery: the two others in equal
 *   tiles, the speaker outlined (picked from audio levels: the listener never speaks), our own
 *   view small. Carol joins to listen only: no getUserMedia at all, she sees and hears the
 *   others (audio level above zero), the others see "listening"; she turns her microphone on
 *   later. A pin turns the gallery into a spotlight; unpinning brings the gallery back. With
 *   Chat open and the board in front, an in-call bar keeps mute and leave reachable (desktop
 *   and phone).
 * - The "call started" toast offers Listen: a listen-only join without a single getUserMedia.
 *   With the board in front, the in-call bar's picture pops out into picture-in-picture.
 * - Screen share: with the stage closed, a screen shared by the other side opens it by itself
 *   and shows the screen large (at least 60% of the window's width), whole and playing.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  eventually,
  joinRoom,
  openInNewContext,
  openPair,
  PHONE,
  screenshot,
  useBrowserSession,
  waitDirect,
} from './harness';

const TIMEOUT = 45_000;
/** three (or two) contexts with fake media on a shared 2-core machine: generous, not a measure */
const TEST_TIMEOUT = 240_000;

/** Init script: counts getUserMedia calls (a listen-only join must make none). */
function countGetUserMedia() {
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  (window as { __gum?: number }).__gum = 0;
  md.getUserMedia = (c?: MediaStreamConstraints) => {
    (window as { __gum?: number }).__gum! += 1;
    return gum(c);
  };
}

/** the stage as seen by `page`: which tile sits in which slot, and their sizes */
const stage = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector<HTMLElement>('.call-stage');
    if (!root) return null;
    const slots = [...root.querySelectorAll<HTMLElement>('.stage-slot')].map((li) => {
      const fig = li.querySelector<HTMLElement>('figure.tile')!;
      const video = fig.querySelector('video')!;
      const r = fig.getBoundingClientRect();
      return {
        slot: li.dataset.slot,
        name: fig.querySelector('.tile-name')?.textContent?.trim() ?? '',
        width: Math.round(r.width),
        height: Math.round(r.height),
        videoWidth: video.videoWidth,
        videoHeight: video.videoHeight,
        playing: !video.paused && video.readyState >= 2,
        active: li.dataset.active === 'true',
      };
    });
    return { reason: root.dataset.reason, slots, main: slots.find((s) => s.slot === 'main') };
  });

const mainIs = (page: Page, name: string, reason?: string) =>
  eventually(
    `${name} large on the stage${reason ? ` (${reason})` : ''}`,
    async () => {
      const s = await stage(page);
      if (s?.main?.name === name && (!reason || s.reason === reason)) return s;
      // what was on stage instead goes into the timeout message
      throw new Error(JSON.stringify({ main: s?.main?.name, reason: s?.reason }));
    },
    { timeoutMs: TIMEOUT },
  );

/** the loudest RMS heard on the page's remote <audio> elements within ~2 s */
const heardLevel = (page: Page) =>
  page.evaluate(async () => {
    const ctx = new AudioContext();
    await ctx.resume();
    const analysers = [...document.querySelectorAll<HTMLAudioElement>('.remote-audio audio')]
      .map((a) => a.srcObject as MediaStream | null)
      .filter((s): s is MediaStream => !!s && s.getAudioTracks().length > 0)
      .map((s) => {
        const an = ctx.createAnalyser();
        an.fftSize = 2048;
        ctx.createMediaStreamSource(s).connect(an);
        return an;
      });
    let max = 0;
    const buf = new Float32Array(2048);
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 50));
      for (const an of analysers) {
        an.getFloatTimeDomainData(buf);
        max = Math.max(max, Math.sqrt(buf.reduce((s, v) => s + v * v, 0) / buf.length));
      }
    }
    await ctx.close();
    return { streams: analysers.length, max };
  });

/** each test's contexts end with it: their fake media would load the next test's machine */
const closeAll = (...ps: { page: Page }[]) =>
  Promise.all(
    ps.map((p) =>
      p.page
        .context()
        .close()
        .catch(() => undefined),
    ),
  );

describe('call stage, listen-only, in-call bar, screen share (Chromium)', () => {
  const session = useBrowserSession({ media: true });
  // a failed test's contexts would keep their fake media running into the next test
  afterEach(async () => {
    for (const c of session.contexts.splice(0)) await c.close().catch(() => undefined);
  });

  /** Alice and Bob in a new room, each Direct to the other; Bob's getUserMedia calls counted if asked */
  async function enterPair(countBobGum = false) {
    const { alice, bob, roomLink } = await openPair(session, {
      bob: { prepare: async (c) => countBobGum && c.addInitScript(countGetUserMedia) },
    });
    return { a: alice, b: bob, link: roomLink };
  }

  async function joinCall(page: Page, button: 'Start call' | 'Join call' | 'Join to listen only') {
    await page.getByRole('tab', { name: 'Call' }).click();
    await page.getByRole('button', { name: button }).click({ timeout: TIMEOUT });
  }

  test(
    'stage with the speaker large, listen-only join, pin, microphone on later',
    async () => {
      const { a, b, link } = await enterPair();
      const c = await openInNewContext(session.browser, link, {
        contexts: session.contexts,
        viewport: DESKTOP,
        colorScheme: 'light',
        prepare: (ctx) => ctx.addInitScript(countGetUserMedia),
      });
      await joinRoom(c.page, 'Carol');
      await Promise.all([
        waitDirect(a.page, 'Carol', TIMEOUT),
        waitDirect(c.page, 'Alice', TIMEOUT),
        waitDirect(c.page, 'Bob', TIMEOUT),
      ]);

      await joinCall(a.page, 'Start call');
      await joinCall(b.page, 'Join call');
      await joinCall(c.page, 'Join to listen only');

      // Carol was never asked for camera or microphone, and the others see her listening
      await eventually('Carol in the call', async () => (await stage(c.page))?.slots.length === 3, {
        timeoutMs: TIMEOUT,
      });
      expect(await c.page.evaluate(() => (window as { __gum?: number }).__gum)).toBe(0);
      await eventually(
        'Alice sees Carol listening',
        async () => (await stage(a.page))?.slots.some((s) => s.name === 'Carol · listening'),
        { timeoutMs: TIMEOUT },
      );

      // at Alice: two others, nobody pinned or sharing: a gallery of equal tiles in call order;
      // Bob talks (the fake microphone beeps), Carol cannot: Bob is outlined, Alice small
      const s = await eventually(
        'gallery at Alice, Bob the speaker',
        async () => {
          const st = await stage(a.page);
          const active = st?.slots.find((x) => x.active)?.name;
          if (st?.reason === 'gallery' && active === 'Bob') return st;
          throw new Error(JSON.stringify({ reason: st?.reason, active }));
        },
        { timeoutMs: TIMEOUT },
      );
      const grid = s.slots.filter((x) => x.slot === 'grid');
      expect(grid.map((x) => x.name)).toEqual(['Bob', 'Carol · listening']);
      expect(Math.abs(grid[0]!.width - grid[1]!.width)).toBeLessThanOrEqual(1);
      expect(Math.abs(grid[0]!.height - grid[1]!.height)).toBeLessThanOrEqual(1);
      const self = s.slots.find((x) => x.slot === 'self')!;
      expect(self.name).toBe('You');
      expect(grid[0]!.width).toBeGreaterThan(2 * self.width);
      expect(s.main).toBeUndefined();

      // Carol sees both videos play and hears them
      await eventually(
        'both videos play at Carol',
        async () =>
          (await stage(c.page))?.slots.filter((x) => x.playing && x.videoWidth > 0).length === 2,
        { timeoutMs: TIMEOUT },
      );
      const heard = await heardLevel(c.page);
      expect(heard.streams).toBe(2);
      expect(heard.max).toBeGreaterThan(0.01);
      await screenshot(a.page, 'call-gallery-desktop-light');
      await screenshot(c.page, 'call-stage-listener');

      // pin Carol at Alice: she is large until unpinned, then the speaker again
      await a.page.getByRole('button', { name: 'Pin Carol' }).click();
      await mainIs(a.page, 'Carol · listening', 'pinned');
      expect(
        await a.page.getByRole('button', { name: 'Unpin Carol' }).getAttribute('aria-pressed'),
      ).toBe('true');
      await screenshot(a.page, 'call-stage-pinned');
      await a.page.getByRole('button', { name: 'Unpin Carol' }).click();
      await eventually('gallery again', async () => (await stage(a.page))?.reason === 'gallery', {
        timeoutMs: TIMEOUT,
      });

      // Carol turns her microphone on; the others stop showing her as listening
      await c.page.getByRole('button', { name: 'Turn microphone on' }).click();
      await c.page.getByRole('button', { name: 'Mute microphone' }).waitFor({ timeout: TIMEOUT });
      expect(await c.page.evaluate(() => (window as { __gum?: number }).__gum)).toBe(1);
      await eventually(
        'Carol no longer listening at Alice',
        async () => (await stage(a.page))?.slots.some((x) => x.name === 'Carol'),
        { timeoutMs: TIMEOUT },
      );

      // the gallery on a phone: one column for two others
      await c.page.setViewportSize(PHONE);
      const phone = await eventually(
        'phone gallery at Carol',
        async () => {
          const st = await stage(c.page);
          const g = st?.slots.filter((x) => x.slot === 'grid') ?? [];
          return g.length === 2 && g.every((x) => x.width > PHONE.width * 0.8) ? g : null;
        },
        { timeoutMs: TIMEOUT },
      );
      expect(phone.map((x) => x.name)).toEqual(['Alice', 'Bob']);
      await screenshot(c.page, 'call-gallery-phone');

      for (const p of [a, b, c]) expect(p.errors).toEqual([]);
      await closeAll(a, b, c);
    },
    TEST_TIMEOUT,
  );

  test(
    'a shared screen opens the stage by itself, large and whole; the in-call bar on desktop and phone',
    async () => {
      const { a, b } = await enterPair();
      await joinCall(a.page, 'Start call');
      await joinCall(b.page, 'Join call');
      await mainIs(a.page, 'Bob');
      // our own view can be dragged to another corner of the stage
      const self = a.page.locator('[data-slot="self"]');
      const from = (await self.boundingBox())!;
      await a.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await a.page.mouse.down();
      await a.page.mouse.move(120, DESKTOP.height - 120, { steps: 5 });
      await a.page.mouse.up();
      const to = (await self.boundingBox())!;
      expect(to.x).toBeLessThan(DESKTOP.width / 4);
      expect(to.y + to.height).toBeGreaterThan(DESKTOP.height / 2);
      await a.page.locator('.call-stage').getByRole('button', { name: 'Back to board' }).click();
      expect(await a.page.locator('.call-stage').count()).toBe(0);

      await b.page.getByRole('button', { name: 'Share your screen' }).click();
      const s = await eventually(
        'Bob screen large at Alice',
        async () => {
          const st = await stage(a.page);
          const m = st?.main;
          return m?.name === 'Bob · screen' &&
            m.playing &&
            m.videoHeight > 0 &&
            Math.abs(m.videoWidth / m.videoHeight - 16 / 9) < 0.05
            ? st
            : null;
        },
        { timeoutMs: TIMEOUT },
      );
      expect(s.reason).toBe('screen');
      expect(s.main!.width).toBeGreaterThanOrEqual(0.6 * DESKTOP.width);
      // the whole screen is visible: the video is letterboxed, never cropped
      expect(
        await a.page.evaluate(
          () => getComputedStyle(document.querySelector('[data-slot="main"] video')!).objectFit,
        ),
      ).toBe('contain');
      await a.page.getByRole('button', { name: 'Show Bob’s screen full screen' }).waitFor();
      // Bob's camera stays beside his screen, small in the strip
      expect(s.slots.find((x) => x.slot === 'strip')?.name).toBe('Bob');
      await screenshot(a.page, 'call-stage-screen-share');
      await b.page.getByRole('button', { name: 'Stop sharing your screen' }).click();
      await mainIs(a.page, 'Bob');

      // Alice opens Chat and goes back to the board: the in-call bar keeps the controls
      await a.page.getByRole('tab', { name: 'Chat' }).click();
      await a.page.locator('.call-stage').getByRole('button', { name: 'Back to board' }).click();
      expect(await a.page.locator('.call-stage').count()).toBe(0);
      const bar = a.page.getByRole('region', { name: 'Call in progress' });
      await bar.waitFor();
      expect(await bar.getByLabel('2 in the call').textContent()).toBe('2');
      await bar.getByRole('button', { name: 'Mute microphone' }).click();
      await eventually(
        'Bob sees Alice muted',
        () =>
          b.page.evaluate(
            () =>
              [...document.querySelectorAll<HTMLElement>('figure.tile')].find((f) =>
                f.querySelector('.tile-name')?.textContent?.startsWith('Alice'),
              )?.dataset.audioMuted === 'true',
          ),
        { timeoutMs: TIMEOUT },
      );
      await bar.getByRole('button', { name: 'Leave call' }).waitFor();
      await screenshot(a.page, 'call-bar-chat-desktop');
      // the picture in the bar opens the stage again
      await bar.getByRole('button', { name: /Open the call stage \(Bob/ }).click();
      await a.page.locator('.call-stage').waitFor();

      // Bob on a phone: the stage fills the board area; with Chat open the bar stays on top
      await b.page.setViewportSize(PHONE);
      await eventually(
        'phone stage',
        async () => {
          const st = await stage(b.page);
          return st?.main && st.main.width > PHONE.width * 0.9 ? st : null;
        },
        { timeoutMs: TIMEOUT },
      );
      await screenshot(b.page, 'call-stage-phone');
      await b.page.getByRole('tab', { name: 'Chat' }).click();
      const phoneBar = b.page.getByRole('region', { name: 'Call in progress' });
      await phoneBar.getByRole('button', { name: 'Leave call' }).waitFor();
      const box = (await phoneBar.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await b.page.getByLabel('Message to everyone in the room').waitFor();
      await screenshot(b.page, 'call-bar-chat-phone');
      await phoneBar.getByRole('button', { name: 'Leave call' }).click();
      await eventually('Bob left at Alice', async () => (await stage(a.page))?.slots.length === 1, {
        timeoutMs: TIMEOUT,
      });

      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
      await closeAll(a, b);
    },
    TEST_TIMEOUT,
  );

  test(
    'Listen from the call toast; the in-call bar pops the speaker out into picture-in-picture',
    async () => {
      const { a, b } = await enterPair(true);
      await joinCall(a.page, 'Start call');

      // Bob is on the board: the toast offers Listen beside Join
      const toast = b.page.locator('.call-toast');
      await toast.getByRole('button', { name: 'Join', exact: true }).waitFor({ timeout: TIMEOUT });
      await screenshot(b.page, 'call-toast-listen');
      await toast.getByRole('button', { name: 'Listen', exact: true }).click();
      await eventually(
        'Bob in the call, seeing Alice',
        async () =>
          (await stage(b.page))?.slots.some((x) => x.name === 'Alice' && x.playing) ?? false,
        { timeoutMs: TIMEOUT },
      );
      expect(await b.page.evaluate(() => (window as { __gum?: number }).__gum)).toBe(0);
      await b.page.getByRole('button', { name: 'Turn microphone on' }).first().waitFor();
      await eventually(
        'Alice sees Bob listening',
        async () => (await stage(a.page))?.slots.some((x) => x.name === 'Bob · listening'),
        { timeoutMs: TIMEOUT },
      );

      // Chat open and back to the board: the bar's picture shows Alice, and floats her out
      await b.page.getByRole('tab', { name: 'Chat' }).click();
      await b.page.locator('.call-stage').getByRole('button', { name: 'Back to board' }).click();
      const bar = b.page.getByRole('region', { name: 'Call in progress' });
      await bar.getByRole('button', { name: /Open the call stage \(Alice/ }).waitFor();
      const pip = bar.getByRole('button', { name: 'Float the video over other windows' });
      await pip.click({ timeout: TIMEOUT });
      await bar.getByRole('button', { name: 'Close the floating video' }).waitFor({
        timeout: TIMEOUT,
      });
      expect(
        await b.page.evaluate(() => !!document.pictureInPictureElement?.closest('.dock-pip')),
      ).toBe(true);
      await screenshot(b.page, 'call-bar-pip');
      await bar.getByRole('button', { name: 'Close the floating video' }).click();
      await pip.waitFor();
      expect(await b.page.evaluate(() => document.pictureInPictureElement)).toBeNull();

      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
      await closeAll(a, b);
    },
    TEST_TIMEOUT,
  );
});
