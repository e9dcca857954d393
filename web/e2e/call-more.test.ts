/**
 * The call's harder paths through the UI of the built client: contexts of one headless Chromium
 * with fake camera/microphone/screen (--use-fake-ui-for-media-stream
 * --use-fake-device-for-media-stream: getDisplayMedia works headless here with these two flags
 * and returns a synthetic 1280x720 "screen", the fake camera is 640x480), the real server.
 *
 * - Screen share beside the camera: the others see two tiles of the sharer at once, its camera
 *   and its screen (the screen large on the stage, at least 60% of its area); stopping the
 *   share (our button or the browser's own bar) removes only the screen tile, the camera keeps
 *   playing; our own screen tile previews what we share.
 * - Leave/rejoin six times from both sides: the video comes back every time (the benchmark's
 *   stall: fails on the code before the senders fix).
 * - No camera: getUserMedia for video fails with NotFoundError (an init script stands in for a
 *   machine without a camera) -> the call starts audio-only with a plain-language notice, the
 *   other side sees initials instead of video and hears the audio; the speaking indicator lights
 *   up for that peer from the fake microphone's beeps; sharing the screen from audio-only adds
 *   a screen tile on the fly.
 * - Permission denied (NotAllowedError): a clear message, no call starts (the other side sees
 *   no incoming call), and chat and board keep syncing.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { eventually, openPair, screenshot, useBrowserSession, waitDirect } from './harness';

const TIMEOUT = 45_000;
const CAMERA = { width: 640, height: 480 };
const SCREEN = { width: 1280, height: 720 };

/** Init script: getUserMedia fails for video (no camera) or for everything (denied). */
type MediaFault = 'no_camera' | 'denied';

function installMediaFault(fault: MediaFault) {
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  const list = md.enumerateDevices.bind(md);
  md.getUserMedia = (c?: MediaStreamConstraints) => {
    if (fault === 'denied')
      return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    if (c?.video)
      return Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    return gum(c);
  };
  md.enumerateDevices = async () =>
    fault === 'no_camera' ? (await list()).filter((d) => d.kind !== 'videoinput') : list();
}

/** state of the tile whose caption is `name` ('You' for our own, 'Alice · screen') */
function tile(page: Page, name: string) {
  return page.evaluate(async (who) => {
    const fig = [...document.querySelectorAll<HTMLElement>('figure.tile')].find(
      (f) => f.querySelector('.tile-name')?.textContent?.trim() === who,
    );
    if (!fig) return null;
    const video = fig.querySelector('video')!;
    const t0 = video.currentTime;
    // frames actually presented in the window (currentTime alone can run on a stalled track)
    let frames = 0;
    const count = () => {
      frames++;
      video.requestVideoFrameCallback(count);
    };
    video.requestVideoFrameCallback(count);
    await new Promise((r) => setTimeout(r, 300));
    return {
      frames,
      caption: fig.querySelector('.tile-name')?.textContent?.trim() ?? '',
      width: video.videoWidth,
      height: video.videoHeight,
      advanced: video.currentTime > t0 && !video.paused,
      video: fig.dataset.video,
      speaking: fig.dataset.speaking,
      mirrored: video.classList.contains('mirrored'),
      avatar: fig.querySelector('.tile-avatar') !== null,
    };
  }, name);
}

/**
 * Waits until `name`'s tile shows the speaking indicator at least once. The fake microphone
 * beeps briefly once a second, so the indicator is on only part of the time: checked on every
 * animation frame in the page, a poll from the test could keep missing it.
 */
const speakingSeen = (page: Page, name: string) =>
  page.waitForFunction(
    (who) =>
      [...document.querySelectorAll<HTMLElement>('figure.tile')].some(
        (f) =>
          f.querySelector('.tile-name')?.textContent?.trim().startsWith(who) &&
          f.dataset.speaking === 'true',
      ),
    name,
    { polling: 'raf', timeout: TIMEOUT },
  );

/**
 * Waits until the tile plays video of the given shape. The aspect ratio tells the fake screen
 * (16:9) from the fake camera (4:3); the exact size is not required, since the sender may scale
 * the video down while the encoder adapts to CPU and bandwidth.
 */
const playsAt = async (
  page: Page,
  name: string,
  size: { width: number; height: number },
  /** a screen (contentHint 'detail', 15 fps) drops frames, never resolution, on a busy CPU */
  minFrames = 2,
) => {
  const t0 = Date.now();
  const t = await eventually(
    `${name}'s tile plays ${size.width}x${size.height}`,
    async () => {
      const t = await tile(page, name);
      return t &&
        t.advanced &&
        t.frames >= minFrames &&
        t.height > 0 &&
        Math.abs(t.width / t.height - size.width / size.height) < 0.05
        ? t
        : null;
    },
    { timeoutMs: TIMEOUT },
  );
  console.log(`[call-more] ${name} ${t.width}x${t.height} after ${Date.now() - t0} ms`);
  return t;
};

const elementCount = async (page: Page): Promise<number> =>
  Number(await page.locator('.board').getAttribute('data-element-count'));

const chatTexts = (page: Page) =>
  page.locator('#panel-chat .chat-text').evaluateAll((els) => els.map((e) => e.textContent));

describe('call: screen share, no camera, permission denied, speaking (Chromium)', () => {
  const session = useBrowserSession({ media: true });
  // each test's pages hold live fake camera/screen streams: close them before the next test
  // starts its own, so four calls' worth of video decoding never share the two cores
  afterEach(async () => {
    for (const c of session.contexts.splice(0)) await c.close().catch(() => undefined);
  });

  /** Alice (with an optional fault in her browser) and Bob in a new room, each Direct to the other */
  async function enterPair(fault?: MediaFault) {
    const { alice, bob } = await openPair(session, {
      alice: { prepare: async (c) => fault && c.addInitScript(installMediaFault, fault) },
    });
    return { a: alice, b: bob };
  }

  const connected = (page: Page, other: string) => waitDirect(page, other, TIMEOUT);

  async function startCall(page: Page, button: 'Start call' | 'Join call') {
    await page.getByRole('tab', { name: 'Call' }).click();
    await page.getByRole('button', { name: button }).click();
  }

  test('screen share beside the camera: both tiles at once, the camera stays when it stops', async () => {
    const { a, b } = await enterPair();
    await startCall(a.page, 'Start call');
    await b.page.getByRole('tab', { name: 'Call' }).click();
    await startCall(b.page, 'Join call');
    await playsAt(b.page, 'Alice', CAMERA);
    await playsAt(a.page, 'Bob', CAMERA);

    await a.page.getByRole('button', { name: 'Share your screen' }).click();
    // Bob: Alice's screen and Alice's camera, both playing at once
    const shared = await playsAt(b.page, 'Alice · screen', SCREEN, 1);
    expect(shared.mirrored).toBe(false);
    await playsAt(b.page, 'Alice', CAMERA);
    // on Bob's stage the screen is the large tile, at least 60% of the stage's tile area
    const onStage = await b.page.evaluate(() => {
      const area = document.querySelector('.call-stage .stage-tiles')!.getBoundingClientRect();
      const slots = [...document.querySelectorAll<HTMLElement>('.call-stage .stage-slot')];
      return {
        stage: area.width * area.height,
        tiles: slots.map((li) => {
          const r = li.getBoundingClientRect();
          return {
            name: li.querySelector('.tile-name')?.textContent?.trim(),
            slot: li.dataset.slot,
            area: r.width * r.height,
          };
        }),
      };
    });
    const largest = [...onStage.tiles].sort((x, y) => y.area - x.area)[0]!;
    expect(largest).toMatchObject({ name: 'Alice · screen', slot: 'main' });
    expect(largest.area).toBeGreaterThanOrEqual(0.6 * onStage.stage);
    expect(onStage.tiles.map((t) => t.name).sort()).toEqual(['Alice', 'Alice · screen', 'You']);
    // Alice: her own screen tile previews what she shares, unmirrored; her camera stays mirrored
    const own = await playsAt(a.page, 'You · screen', SCREEN, 1);
    expect(own.mirrored).toBe(false);
    expect((await playsAt(a.page, 'You', CAMERA)).mirrored).toBe(true);
    expect(
      await a.page
        .getByRole('button', { name: 'Stop sharing your screen' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    await screenshot(b.page, 'call-screen-share-remote');
    await screenshot(a.page, 'call-screen-share-self');

    await a.page.getByRole('button', { name: 'Stop sharing your screen' }).click();
    await eventually(
      'the screen tile is gone at Bob',
      async () => (await tile(b.page, 'Alice · screen')) === null,
      { timeoutMs: TIMEOUT },
    );
    await playsAt(b.page, 'Alice', CAMERA);
    await playsAt(a.page, 'Bob', CAMERA);

    // the browser's own "Stop sharing" ends the track: only the screen tile goes, again
    await a.page.getByRole('button', { name: 'Share your screen' }).click();
    await playsAt(b.page, 'Alice · screen', SCREEN, 1);
    await a.page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>(
        'figure[data-self="true"][data-screen="true"] video',
      );
      const t = (v?.srcObject as MediaStream).getVideoTracks()[0]!;
      t.stop();
      t.dispatchEvent(new Event('ended')); // stop() alone does not fire it; the browser bar does
    });
    await eventually(
      'the screen tile is gone at Bob again',
      async () => (await tile(b.page, 'Alice · screen')) === null,
      { timeoutMs: TIMEOUT },
    );
    await playsAt(b.page, 'Alice', CAMERA);
    await a.page.getByRole('button', { name: 'Share your screen' }).waitFor();

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 240_000); // two contexts playing a camera and a 1080p screen on a shared 2-core machine

  test('leaving and rejoining many times: the video comes back every time, both ways', async () => {
    // Regression: each rejoin used to add SDP sections until the offer passed the signal size
    // limit after four cycles, was dropped, and the rejoining side's video never arrived.
    const { a, b } = await enterPair();
    await startCall(a.page, 'Start call');
    await b.page.getByRole('tab', { name: 'Call' }).click();
    for (let i = 0; i < 6; i++) {
      // Bob rejoins every round; every other round Alice also leaves and starts it again
      if (i % 2 === 1) {
        await a.page.getByRole('button', { name: 'Leave call' }).click();
        await a.page.getByRole('button', { name: 'Start call' }).click();
      }
      await b.page.getByRole('button', { name: 'Join call' }).click({ timeout: TIMEOUT });
      await playsAt(a.page, 'Bob', CAMERA);
      await playsAt(b.page, 'Alice', CAMERA);
      await b.page.getByRole('button', { name: 'Leave call' }).click();
      await eventually(
        `round ${i}: Alice alone`,
        async () => (await a.page.locator('figure.tile').count()) === 1,
        { timeoutMs: TIMEOUT },
      );
    }
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  test('no camera: audio-only with a notice, heard and seen speaking; screen share adds video', async () => {
    const { a, b } = await enterPair('no_camera');
    await startCall(a.page, 'Start call');
    await a.page
      .getByText('No camera is available, so you joined with audio only.')
      .waitFor({ timeout: TIMEOUT });
    // the notice and our own tile are separate updates: the tile may come a moment later
    await eventually(
      'our own tile shows initials',
      async () => {
        const self = await tile(a.page, 'You');
        return self?.video === 'off' && self.avatar;
      },
      { timeoutMs: TIMEOUT },
    );
    expect(await a.page.locator('figure[data-self="true"] .tile-avatar').textContent()).toBe('AL');
    expect(await a.page.getByRole('button', { name: 'No camera' }).isDisabled()).toBe(true);
    expect(await a.page.getByRole('button', { name: 'Mute microphone' }).isEnabled()).toBe(true);

    await b.page.getByRole('tab', { name: 'Call' }).click();
    await startCall(b.page, 'Join call');
    await playsAt(a.page, 'Bob', CAMERA);
    // Bob sees Alice's initials, gets her audio, and sees her speaking (the fake mic beeps)
    await eventually(
      'Alice as an avatar at Bob',
      async () => {
        const t = await tile(b.page, 'Alice');
        return t && t.video === 'off' && t.avatar;
      },
      { timeoutMs: TIMEOUT },
    );
    await speakingSeen(b.page, 'Alice');
    await screenshot(b.page, 'call-audio-only-speaking');
    await screenshot(a.page, 'call-audio-only-notice');
    expect(
      await b.page.evaluate(() => {
        const el = document.querySelector<HTMLAudioElement>('#panel-call audio');
        const s = el?.srcObject as MediaStream | null;
        return s?.getAudioTracks().map((t) => t.readyState) ?? null;
      }),
    ).toEqual(['live']);
    // and Alice sees Bob speaking too
    await speakingSeen(a.page, 'Bob');

    // from audio-only, a screen share adds a screen tile to the call (a renegotiation)
    await a.page.getByRole('button', { name: 'Share your screen' }).click();
    await playsAt(b.page, 'Alice · screen', SCREEN, 1);
    await a.page.getByRole('button', { name: 'Stop sharing your screen' }).click();
    await eventually(
      'Alice back to audio-only at Bob',
      async () => {
        const t = await tile(b.page, 'Alice');
        return t?.video === 'off' && t.avatar && (await tile(b.page, 'Alice · screen')) === null;
      },
      { timeoutMs: TIMEOUT },
    );

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  test('permission denied: a clear message, no call, chat and board unaffected', async () => {
    const { a, b } = await enterPair('denied');
    await startCall(a.page, 'Start call');
    const alert = a.page.locator('#panel-call [role="alert"]');
    await alert.waitFor({ timeout: TIMEOUT });
    expect(await alert.textContent()).toContain(
      'Peerboard is not allowed to use your microphone or camera',
    );
    await a.page.getByRole('button', { name: 'Start call' }).waitFor();
    await screenshot(a.page, 'call-permission-denied');
    expect(await a.page.locator('figure.tile').count()).toBe(0);

    // chat both ways still works
    await a.page.getByRole('tab', { name: 'Chat' }).click();
    await b.page.getByRole('tab', { name: 'Chat' }).click();
    const aInput = a.page.getByLabel('Message to everyone in the room');
    await aInput.fill('no call for me');
    await aInput.press('Enter');
    const bInput = b.page.getByLabel('Message to everyone in the room');
    await bInput.fill('chat is fine');
    await bInput.press('Enter');
    for (const p of [a.page, b.page])
      await eventually('both messages', async () => (await chatTexts(p)).length === 2);
    expect(await chatTexts(b.page)).toEqual(['no call for me', 'chat is fine']);
    // Bob was not called (a call announcement would have come before Alice's chat message, on
    // the same ordered channel): no toast, and his Call tab offers "Start call", not "Join"
    expect(await b.page.locator('.call-toast').count()).toBe(0);
    await b.page.getByRole('tab', { name: 'Call' }).click();
    await b.page.getByRole('button', { name: 'Start call' }).waitFor();
    await b.page.getByRole('tab', { name: 'Chat' }).click();

    // and the board: a rectangle drawn by Alice reaches Bob
    await a.page.getByRole('button', { name: 'Rectangle' }).click();
    const box = (await a.page.locator('[data-board-layer="elements"]').boundingBox())!;
    await a.page.mouse.move(box.x + 300, box.y + 200);
    await a.page.mouse.down();
    await a.page.mouse.move(box.x + 500, box.y + 350, { steps: 10 });
    await a.page.mouse.up();
    for (const p of [a.page, b.page])
      await eventually('the rectangle on both boards', async () => (await elementCount(p)) === 1, {
        timeoutMs: TIMEOUT,
      });

    // dismissing the message clears it; Alice stays connected to Bob throughout
    await a.page.getByRole('tab', { name: 'Call' }).click();
    await a.page
      .locator('#panel-call [role="alert"]')
      .getByRole('button', { name: 'Dismiss' })
      .click();
    await a.page.locator('#panel-call [role="alert"]').waitFor({ state: 'detached' });
    await connected(a.page, 'Bob');

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
