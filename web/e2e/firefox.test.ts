/**
 * Across browsers: Alice in Chromium (harness.ts, playwright-core) and Bob in Firefox ESR
 * (firefox.ts, puppeteer-core over WebDriver BiDi) in one protected room of the real relay.
 * WebRTC between the two differs (SDP, SCTP message size, codecs) and Firefox has no File System
 * Access API, so each feature is checked in both directions: verification codes, strokes, chat,
 * files (Firefox keeps a received file through the app's fallback, not a save picker), a call
 * with video started from either side, Bob's reload (his board back from Firefox's IndexedDB,
 * then the link again) and his goodbye when he closes his tab; and Bob on a phone-sized window
 * (the bottom tab bar's sheets, the toolbar's style popover, a call from the Call sheet) and in
 * the dark theme. One pair serves the file's tests in turn.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page as FirefoxPg } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  byName,
  click,
  fill,
  openInFirefox,
  screenshotFirefox,
  useFirefox,
  type FirefoxPage,
} from './firefox';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  eventually,
  openInNewContext,
  relaySwitch,
  screenshot,
  useBrowserSession,
  visibleInPage,
  waitDirect,
  withDebug,
  type OpenedPage,
} from './harness';
import { inkInPage } from './boardPixels';

const TIMEOUT = 45_000;
/** Bob's phone: the size room-notices.test.ts gives Chromium's (its layout below 768 px) */
const PHONE_FIREFOX = { width: 360, height: 740 };
/** well under the ~15 s a closed tab lingers when its goodbye is lost (presence.test.ts) */
const GONE_WITHIN_MS = 5_000;

/** Bob's Firefox at phone size, its tab bar (the phone layout) shown */
async function phoneSized(b: FirefoxPg): Promise<void> {
  await b.setViewport(PHONE_FIREFOX);
  await b.waitForSelector('.tabs [role="tab"]', { visible: true, timeout: TIMEOUT });
}

/** back to desktop size for the tests after (a failure drops the pair instead), `panel` shown */
async function desktopSized(b: FirefoxPg, panel: string): Promise<void> {
  await b.setViewport(DESKTOP);
  await b.waitForSelector(panel, { visible: true, timeout: TIMEOUT });
}
const CODE = /^\d{3} \d{3} \d{3} \d{3}$/;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'peerboard-firefox-e2e-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// ---- read in either browser's page (passed to page.evaluate, so nothing from outside) ----

/** name -> { state, verification code } of every other person in the People panel */
const peopleIn = () =>
  Object.fromEntries(
    [...document.querySelectorAll<HTMLElement>('#panel-people li.peer:not(.peer-self)')].map(
      (li) => [
        li.querySelector('.peer-name')?.textContent?.trim() ?? '',
        {
          state: li.dataset.state ?? '',
          code: li.querySelector<HTMLElement>('[data-verification]')?.dataset.verification ?? null,
        },
      ],
    ),
  );

/** ids of the board's elements (`?debug` hook, src/debugBoard.ts) */
const elementIdsIn = () =>
  (
    (
      globalThis as { __peerboard?: { board?: { elements(): { id: string }[] } } }
    ).__peerboard?.board?.elements() ?? []
  )
    .map((e) => e.id)
    .sort();

/** inkInPage's arguments here: `hex` within 40 per channel (pixelsOf uses 24) */
const inkArgs = (hex: string) => [hex, 40] as const;

/** each link's diagnostics (`?debug` hook: room.diagnostics(), core room.ts) */
const linksIn = () =>
  (
    globalThis as {
      __peerboard?: {
        room?: { diagnostics(): { links: { bulkChannel: boolean; droppedFrames: number }[] } };
      };
    }
  ).__peerboard?.room
    ?.diagnostics()
    .links.map(({ bulkChannel, droppedFrames }) => ({ bulkChannel, droppedFrames })) ?? [];

const chatTextsIn = () =>
  [...document.querySelectorAll('#panel-chat .chat-text')].map((e) => e.textContent);

/** the board's elements, colour and width (`?debug` hook, src/debugBoard.ts) */
const elementsIn = () =>
  (
    globalThis as {
      __peerboard?: {
        board?: { elements(): { id: string; type: string; colour: string; strokeWidth: number }[] };
      };
    }
  ).__peerboard?.board
    ?.elements()
    .map(({ id, type, colour, strokeWidth }) => ({ id, type, colour, strokeWidth })) ?? [];

/** the id of the panel open as a sheet (SidePanel.tsx: on a phone, none while the board shows) */
const sheetIn = () =>
  [...document.querySelectorAll<HTMLElement>('.tab-panel')].find((p) => !p.hidden)?.id ?? null;

/**
 * The open sheet, or `scope`, and its controls (buttons, fields) where a person could not reach
 * them: once scrolled into view, not whole in the window, or an edge of theirs under something
 * else. A sheet without controls is reported too (nothing would be checked).
 */
const offScreenControlsIn = (scope?: string) => {
  const root = document.querySelector(scope ?? '.tab-panel:not([hidden])');
  if (!root) return ['nothing at ' + (scope ?? 'the open sheet')];
  const controls = [
    ...root.querySelectorAll<HTMLElement>('button, input:not([type="file"]), select, textarea'),
  ].filter((el) => el.checkVisibility());
  if (controls.length === 0) return ['no controls at ' + (scope ?? 'the open sheet')];
  // the sheet (or popover) itself first: its edges clear of the tab bar and the window's
  return [root as HTMLElement, ...controls].flatMap((el) => {
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = el.getBoundingClientRect();
    const name =
      el.getAttribute('aria-label') ||
      el.id ||
      (el as HTMLInputElement).labels?.[0]?.textContent?.trim() ||
      el.textContent?.trim() ||
      el.tagName;
    const box = `${name} at ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}`;
    if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight)
      return [`${box}: cut off by the ${innerWidth}x${innerHeight} window`];
    // the middle of each edge, 2 px in (clear of rounded corners): a control half under the
    // tab bar or a toolbar shows its middle yet not its edge
    const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
    const edges: [number, number][] = [
      [cx, r.top + 2],
      [cx, r.bottom - 2],
      [r.left + 2, cy],
      [r.right - 2, cy],
    ];
    const over = edges
      .map(([x, y]) => document.elementFromPoint(x, y))
      .find((hit) => !hit || !el.contains(hit));
    return over === undefined ? [] : [`${box}: under ${over?.outerHTML.slice(0, 80)}`];
  });
};

/** the theme in effect and the page's background and text colours as [r, g, b] (a canvas reads them) */
const pageColoursIn = () => {
  const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  const rgb = (css: string) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  };
  const body = getComputedStyle(document.body);
  return {
    theme: document.documentElement.dataset.theme,
    colorScheme: getComputedStyle(document.documentElement).colorScheme,
    background: rgb(body.backgroundColor),
    text: rgb(body.color),
  };
};

/** Resolves once the page's CSS transitions have run out (a theme switch fades its colours). */
const transitionsDoneIn = () =>
  Promise.all(
    document
      .getAnimations()
      .filter((a) => a instanceof CSSTransition)
      .map((a) => a.finished.catch(() => undefined)),
  ).then(() => undefined);

/**
 * Text in `scope` (the page without one) a person could hardly read: each visible element with
 * its own text, whose colour against the backgrounds behind it (its own and its ancestors',
 * translucent ones laid over each other, the page's canvas last) falls under WCAG AA: 4.5:1,
 * 3:1 for large text. Disabled controls are exempt (WCAG's incidental text). Background images
 * are not read: a gradient or picture behind text would pass here unseen.
 */
const lowContrastTextIn = (scope?: string) => {
  const rgba = (css: string): [number, number, number, number] => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r!, g!, b!, a! / 255];
  };
  const over = (top: number[], under: number[]) =>
    [0, 1, 2].map((i) => top[i]! * top[3]! + under[i]! * (1 - top[3]!));
  const luminance = (c: number[]) => {
    const [r, g, b] = c.map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const backdrop = (el: Element) => {
    const layers: [number, number, number, number][] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const bg = rgba(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] === 1) break;
    }
    // the page's own canvas colour (color-scheme) under everything
    let colour: number[] = rgba(getComputedStyle(document.documentElement).backgroundColor);
    if (colour[3] === 0) colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = [...over(layer, colour), 1];
    return colour;
  };
  const root = scope ? document.querySelector(scope) : document.body;
  if (!root) return ['nothing at ' + scope];
  const texts = [...root.querySelectorAll<HTMLElement>('*')].filter(
    (el) =>
      [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()) &&
      el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
      !el.closest('[disabled], [aria-hidden="true"]'),
  );
  if (texts.length === 0) return ['no text at ' + (scope ?? 'the page')];
  return texts.flatMap((el) => {
    const style = getComputedStyle(el);
    const bg = backdrop(el);
    const fg = [...over(rgba(style.color), bg), 1];
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (l1! + 0.05) / (l2! + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    return ratio >= needed
      ? []
      : [
          `"${el.textContent!.trim().slice(0, 40)}" ${ratio.toFixed(2)}:1 (${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(' ')}))`,
        ];
  });
};

/** the call tile of `who`: its video's size and whether it plays (currentTime advancing) */
const tileIn = async (who: string) => {
  const fig = [...document.querySelectorAll<HTMLElement>('figure.tile')].find((f) =>
    f.querySelector('.tile-name')?.textContent?.trim().startsWith(who),
  );
  const video = fig?.querySelector('video');
  if (!video) return null;
  const t0 = video.currentTime;
  await new Promise((r) => setTimeout(r, 300));
  return { videoWidth: video.videoWidth, advanced: video.currentTime > t0, paused: video.paused };
};

/** whether `who`'s call tile shows them muted: its data and the microphone-off icon */
const mutedIn = (who: string) => {
  const fig = [...document.querySelectorAll<HTMLElement>('figure.tile')].find((f) =>
    f.querySelector('.tile-name')?.textContent?.trim().startsWith(who),
  );
  return fig
    ? {
        audioMuted: fig.dataset.audioMuted,
        icon: fig.querySelector('[aria-label="Microphone off"]') !== null,
      }
    : null;
};

/** the names of the call's buttons in `scope` (CallControls.tsx), in order */
const callControlsIn = (scope: string) =>
  [...document.querySelectorAll(`${scope} [aria-label="Call controls"] button`)].map((b) =>
    b.getAttribute('aria-label'),
  );

/** Resolves once the call tile read by `tile` shows video that plays. */
const playing = (what: string, tile: () => Promise<Awaited<ReturnType<typeof tileIn>>>) =>
  eventually(
    what,
    async () => {
      const t = await tile();
      return t && t.videoWidth > 0 && t.advanced && !t.paused ? t : null;
    },
    { timeoutMs: TIMEOUT },
  );

/** Leaves the call if this page is in one (a retry's fresh pair is in none). */
const leaveCallIn = () => {
  const leave = [...document.querySelectorAll<HTMLButtonElement>('[aria-label="Leave call"]')];
  leave[0]?.click();
  return leave.length > 0;
};

/** the state of `name`'s row in the People panel, null without one */
const peerStateIn = (name: string) =>
  [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')].find(
    (li) => li.querySelector('.peer-name')?.textContent?.trim() === name,
  )?.dataset.state ?? null;

/** A wavy stroke through real mouse events, from (x, y) of the board canvas, `width` long. */
async function scribble(
  mouse: {
    move(x: number, y: number): Promise<void>;
    down(): Promise<void>;
    up(): Promise<void>;
  },
  box: { x: number; y: number },
  [x, y, width]: [number, number, number],
): Promise<void> {
  await mouse.move(box.x + x, box.y + y);
  await mouse.down();
  for (let i = 1; i <= 24; i++) {
    const t = i / 24;
    await mouse.move(box.x + x + t * width, box.y + y + Math.sin(t * Math.PI * 3) * 40);
  }
  await mouse.up();
}

type Hooked = {
  __peerboard?: { room?: { on(e: 'peer_close', fn: (p: { reason: string }) => void): void } };
  __closes?: string[];
};

/** `?debug` hooks of the room's store (src/debug.ts, src/debugBoard.ts) */
type StoreHooks = {
  __peerboard?: {
    session?: { doc: { persistence: { flush(): Promise<void> } } };
    board?: { persistence(): Promise<{ kind: string }> };
  };
};

interface MixedPair {
  alice: OpenedPage;
  bob: FirefoxPage;
  roomLink: string;
  /** Alice's relay socket (harness.ts): cut, nobody can reach her through the relay */
  aliceRelay: ReturnType<typeof relaySwitch>;
}

/** Firefox's waitDirect (harness.ts): `name` shows Direct in Bob's People panel. */
const waitDirectIn = (page: FirefoxPg, name: string) =>
  page.waitForFunction(
    (n) =>
      [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')].some(
        (li) =>
          li.querySelector('.peer-name')?.textContent?.trim() === n &&
          li.dataset.state === 'direct',
      ),
    { timeout: TIMEOUT, polling: 50 },
    name,
  );

describe('Chromium and Firefox in one room', () => {
  const session = useBrowserSession({ media: true });
  const firefox = useFirefox();
  const downloads = () => path.join(dir, 'firefox-downloads');

  /** Alice creates a protected room in Chromium, Bob joins its link in Firefox: both Direct. */
  async function openMixedPair(): Promise<MixedPair> {
    const aliceRelay = relaySwitch();
    const alice = await openInNewContext(session.browser, session.app.origin + '/?debug', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
      prepare: (c) => c.routeWebSocket(/\/ws$/, aliceRelay.via),
    });
    const roomLink = await createRoom(alice.page, 'Alice');
    expect(new URL(roomLink).hash, 'a protected room: its link carries the secret').not.toBe('');
    const bob = await openInFirefox(firefox.browser, withDebug(roomLink), {
      downloadDir: downloads(),
    });
    await screenshotFirefox(bob.page, 'join');
    await fill(bob.page, 'Your name', 'Bob');
    await click(bob.page, 'Join room');
    await Promise.all([
      waitDirect(alice.page, 'Bob', TIMEOUT),
      waitDirectIn(bob.page, 'Alice'),
      visibleInPage(alice.page, BOARD_CANVAS),
      bob.page.waitForSelector(BOARD_CANVAS, { visible: true, timeout: TIMEOUT }),
    ]);
    return { alice, bob, roomLink, aliceRelay };
  }
  let opened: Promise<MixedPair> | undefined;
  /**
   * The file's one pair, opened by the first test that asks. A test that fails drops it (its
   * retry, and the tests after it, start from a fresh pair in a new room, not from what the
   * failure left half done); so does a failed opening.
   */
  const pair = (onTestFailed: (fn: () => Promise<void>) => void) => {
    const current = (opened ??= openMixedPair());
    current.catch(() => (opened = undefined));
    onTestFailed(async () => {
      if (opened !== current) return;
      opened = undefined;
      const { alice, bob } = await current;
      await Promise.all([alice.context.close(), bob.context.close()]);
    });
    return current;
  };
  /** the pair's two pages: Alice's (Chromium) and Bob's (Firefox) */
  const pages = async (onTestFailed: (fn: () => Promise<void>) => void) => {
    const { alice, bob } = await pair(onTestFailed);
    return { a: alice.page, b: bob.page };
  };

  test('People: Direct both ways with the same verification code; strokes both ways', async ({
    onTestFailed,
  }) => {
    const { a, b } = await pages(onTestFailed);

    const codes = await eventually(
      'both verified',
      async () => {
        const [seenByA, seenByB] = [await a.evaluate(peopleIn), await b.evaluate(peopleIn)];
        const ready = seenByA.Bob?.state === 'direct' && seenByB.Alice?.state === 'direct';
        return ready && seenByA.Bob!.code && seenByB.Alice!.code
          ? { alice: seenByA.Bob!.code, bob: seenByB.Alice!.code }
          : null;
      },
      { timeoutMs: TIMEOUT },
    );
    expect(codes.alice).toMatch(CODE);
    expect(codes.bob).toBe(codes.alice);
    await screenshotFirefox(b, 'people');

    // Alice draws red in Chromium: the element and its pixels reach Bob's Firefox.
    const aBox = (await a.locator(BOARD_CANVAS).boundingBox())!;
    await a.getByRole('button', { name: 'Pen', exact: true }).click();
    await a.getByRole('button', { name: 'Colour: Red' }).click();
    await scribble(a.mouse, aBox, [200, 300, 300]);
    const aliceIds = await eventually('Alice has her stroke', async () => {
      const ids = await a.evaluate(elementIdsIn);
      return ids.length === 1 ? ids : null;
    });
    await eventually(
      "Alice's stroke in Bob's document and on his canvas",
      async () =>
        JSON.stringify(await b.evaluate(elementIdsIn)) === JSON.stringify(aliceIds) &&
        (await b.evaluate(inkInPage, inkArgs('#e03131'))) > 200,
      { timeoutMs: TIMEOUT },
    );

    // Bob draws green in Firefox: Alice's Chromium shows it.
    const bBox = (await (await b.$(BOARD_CANVAS))!.boundingBox())!;
    await click(b, 'Pen');
    await click(b, 'Colour: Green');
    await scribble(b.mouse, bBox, [200, 520, 400]);
    const bothIds = await eventually('Bob has both strokes', async () => {
      const ids = await b.evaluate(elementIdsIn);
      return ids.length === 2 ? ids : null;
    });
    await eventually(
      "Bob's stroke in Alice's document and on her canvas",
      async () =>
        JSON.stringify(await a.evaluate(elementIdsIn)) === JSON.stringify(bothIds) &&
        (await a.evaluate(inkInPage, inkArgs('#2f9e44'))) > 200,
      { timeoutMs: TIMEOUT },
    );
    expect(await b.evaluate(inkInPage, inkArgs('#2f9e44'))).toBeGreaterThan(200);
    await screenshotFirefox(b, 'board');
    await screenshot(a, 'firefox-pair-board-alice');
  });

  test('chat both ways', async ({ onTestFailed }) => {
    const { a, b } = await pages(onTestFailed);
    await a.getByRole('tab', { name: 'Chat' }).click();
    await b.click('#tab-chat');
    const aInput = a.getByLabel('Message to everyone in the room');
    await aInput.fill('Hello from Chromium');
    await aInput.press('Enter');
    await eventually('Bob reads Alice', async () =>
      (await b.evaluate(chatTextsIn)).includes('Hello from Chromium'),
    );
    await fill(b, 'Message to everyone in the room', 'Hello from Firefox');
    await b.keyboard.press('Enter');
    await eventually(
      'Alice reads Bob',
      async () =>
        JSON.stringify(await a.evaluate(chatTextsIn)) ===
        JSON.stringify(['Hello from Chromium', 'Hello from Firefox']),
    );
    expect(await b.evaluate(chatTextsIn)).toEqual(['Hello from Chromium', 'Hello from Firefox']);
    await screenshotFirefox(b, 'chat');
  });

  test('files both ways: received, verified and saved byte for byte', async ({ onTestFailed }) => {
    const { a, b } = await pages(onTestFailed);
    await a.getByRole('tab', { name: 'Files' }).click();
    await b.click('#tab-files');

    // Alice -> Bob: 5 MiB, many chunks and well above Chromium's 256 KiB message size.
    const big = randomBytes(5 * 1024 * 1024);
    const bigPath = path.join(dir, 'from-chromium.bin');
    await writeFile(bigPath, big);
    await a.getByLabel('Choose files to share').setInputFiles(bigPath);
    const bobItem = 'li.file-item[data-direction="in"]';
    await b.waitForSelector(`${bobItem} ::-p-text(from-chromium.bin)`, { timeout: TIMEOUT });
    await b.locator(`${bobItem} ::-p-text(Accept)`).click();
    await b.waitForSelector(`${bobItem}[data-state="done"]`, { timeout: TIMEOUT });
    await screenshotFirefox(b, 'files-received');
    const aliceOut = a.locator('li.file-item[data-direction="out"]', {
      hasText: 'from-chromium.bin',
    });
    await eventually(
      'Alice sees Bob received and verified it',
      async () => (await aliceOut.locator('.receiver[data-state="done"]').count()) === 1,
      { timeoutMs: TIMEOUT },
    );
    expect(await aliceOut.locator('.receiver-text').textContent()).toBe('Received and verified');
    // Bob saves it: a real download in Firefox, the same bytes
    await b.locator(`${bobItem} ::-p-text(Save)`).click();
    const saved = await eventually('the download in Firefox', async () => {
      const bytes = await readFile(path.join(downloads(), 'from-chromium.bin')).catch(() => null);
      return bytes?.length === big.length ? bytes : null;
    });
    expect(sha(saved)).toBe(sha(big));

    // Bob -> Alice: 300 KiB, picked in Firefox.
    const small = randomBytes(300 * 1024);
    const smallPath = path.join(dir, 'from-firefox.bin');
    await writeFile(smallPath, small);
    const input = await b.$('input[type="file"][aria-label="Choose files to share"]');
    await input!.uploadFile(smallPath);
    const aliceIn = a.locator('li.file-item[data-direction="in"]', { hasText: 'from-firefox.bin' });
    await aliceIn.getByRole('button', { name: 'Accept' }).click({ timeout: TIMEOUT });
    await eventually(
      'Alice done',
      async () => (await aliceIn.getAttribute('data-state')) === 'done',
      { timeoutMs: TIMEOUT },
    );
    const [download] = await Promise.all([
      a.waitForEvent('download'),
      aliceIn.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(sha(await readFile((await download.path())!))).toBe(sha(small));
    await b.waitForSelector(
      'li.file-item[data-direction="out"] .receiver[data-state="done"] ::-p-text(Received and verified)',
      { timeout: TIMEOUT },
    );
    await screenshotFirefox(b, 'files-sent');
    // the files went on the bulk channel (negotiated SCTP stream 16) both browsers opened, and
    // neither dropped a frame it received
    const lane = [{ bulkChannel: true, droppedFrames: 0 }];
    expect(await a.evaluate(linksIn)).toEqual(lane);
    expect(await b.evaluate(linksIn)).toEqual(lane);
  });

  test('Bob on a phone-sized Firefox: chat, the style popover, a stroke, the Files and People sheets', async ({
    onTestFailed,
  }) => {
    const { a, b } = await pages(onTestFailed);
    // only the size: Firefox over BiDi emulates no touch (puppeteer's hasTouch/isMobile are
    // Chromium's), so Bob taps with the mouse
    await phoneSized(b);
    expect(await b.evaluate(sheetIn), 'the board, no sheet over it').toBeNull();

    // 1. chat in its sheet, both ways; closing the sheet gives the board back
    await b.click('#tab-chat');
    expect(await b.evaluate(sheetIn)).toBe('panel-chat');
    await fill(b, 'Message to everyone in the room', 'Hello from a small Firefox');
    await b.keyboard.press('Enter');
    await eventually('Alice reads the phone', async () =>
      (await a.evaluate(chatTextsIn)).includes('Hello from a small Firefox'),
    );
    await a.getByRole('tab', { name: 'Chat' }).click();
    const aInput = a.getByLabel('Message to everyone in the room');
    await aInput.fill('Hello, small screen');
    await aInput.press('Enter');
    await eventually('Bob reads Alice in his sheet', async () =>
      (await b.evaluate(chatTextsIn)).includes('Hello, small screen'),
    );
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await screenshotFirefox(b, 'phone-chat');
    await b.click('#tab-chat');
    expect(await b.evaluate(sheetIn), 'the sheet closed').toBeNull();

    // 2. the style popover: orange (nobody's colour yet) and bold, then a stroke Alice sees
    await click(b, 'Pen');
    await click(b, 'Colour and style');
    expect(await b.evaluate(offScreenControlsIn, '#board-style-all')).toEqual([]);
    await click(b, 'Colour: Orange');
    await click(b, 'Stroke width: Bold');
    await screenshotFirefox(b, 'phone-style');
    await click(b, 'Colour and style');
    await b.waitForSelector('#board-style-all', { hidden: true });
    const before = await b.evaluate(elementIdsIn);
    const box = (await (await b.$(BOARD_CANVAS))!.boundingBox())!;
    await scribble(b.mouse, box, [40, box.height / 2, 260]);
    const stroke = await eventually(
      "Bob's orange stroke in Alice's document",
      async () => {
        const added = (await a.evaluate(elementsIn)).filter((e) => !before.includes(e.id));
        return added.length === 1 ? added[0]! : null;
      },
      { timeoutMs: TIMEOUT },
    );
    expect(stroke).toMatchObject({ type: 'stroke', colour: '#f08c00', strokeWidth: 8 });
    await eventually(
      "Bob's orange stroke on Alice's canvas",
      async () => (await a.evaluate(inkInPage, inkArgs('#f08c00'))) > 200,
      { timeoutMs: TIMEOUT },
    );
    await screenshotFirefox(b, 'phone-board');

    // 3. the Files and People sheets: their content, every control whole on screen
    await b.click('#tab-files');
    expect(await b.evaluate(sheetIn)).toBe('panel-files');
    await byName(b, 'Choose files');
    await screenshotFirefox(b, 'phone-files');
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await b.click('#tab-people');
    expect(await b.evaluate(sheetIn)).toBe('panel-people');
    expect((await b.evaluate(peopleIn)).Alice?.state).toBe('direct');
    await screenshotFirefox(b, 'phone-people');
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await b.click('#tab-people');
    expect(await b.evaluate(sheetIn)).toBeNull();

    await desktopSized(b, '#panel-people');
  });

  test("call: each sees the other's video playing", async ({ onTestFailed }) => {
    const { a, b } = await pages(onTestFailed);
    await a.getByRole('tab', { name: 'Call' }).click();
    await a.getByRole('button', { name: 'Start call' }).click();
    await b.click('#tab-call');
    await click(b, 'Join call');
    await playing("Bob's video at Alice", () => a.evaluate(tileIn, 'Bob'));
    await playing("Alice's video at Bob", () => b.evaluate(tileIn, 'Alice'));
    await playing("Bob's own camera in Firefox", () => b.evaluate(tileIn, 'You'));
    await screenshotFirefox(b, 'call');
    await screenshot(a, 'firefox-pair-call-alice');
  });

  test('call started in Firefox: Bob starts it, Alice joins, video plays both ways', async ({
    onTestFailed,
  }) => {
    const { a, b } = await pages(onTestFailed);
    // the call before this one (Alice's) ends first: both leave it
    await a.evaluate(leaveCallIn);
    await b.evaluate(leaveCallIn);
    await b.click('#tab-call');
    await click(b, 'Start call');
    await a.getByRole('tab', { name: 'Call' }).click();
    await expect
      .poll(() => a.locator('.call-title[data-incoming]').textContent(), { timeout: TIMEOUT })
      .toBe('Bob started a call');
    await a.getByRole('button', { name: 'Join call' }).click();
    await playing("Alice's video at Bob", () => b.evaluate(tileIn, 'Alice'));
    await playing("Bob's video at Alice", () => a.evaluate(tileIn, 'Bob'));
    await screenshotFirefox(b, 'call-started-by-bob');
    await screenshot(a, 'firefox-pair-call-started-by-bob-alice');
    // both leave: no camera runs on through the tests after this one
    expect(await a.evaluate(leaveCallIn)).toBe(true);
    expect(await b.evaluate(leaveCallIn)).toBe(true);
  });

  test('Bob on a phone-sized Firefox: the Call sheet, the stage and the in-call bar, every control whole, muted as Alice sees it, left', async ({
    onTestFailed,
  }) => {
    const { a, b } = await pages(onTestFailed);
    await phoneSized(b);
    await a.getByRole('tab', { name: 'Call' }).click();
    await a.getByRole('button', { name: 'Start call' }).click();

    // 1. the sheet offers Alice's call; Bob joins it there
    await b.click('#tab-call');
    expect(await b.evaluate(sheetIn)).toBe('panel-call');
    await b.waitForSelector('.call-title[data-incoming] ::-p-text(Alice started a call)', {
      timeout: TIMEOUT,
    });
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await screenshotFirefox(b, 'phone-call-incoming');
    await click(b, 'Join call');

    // 2. the call opens over the board and the sheet gives way to it: the stage whole, both
    // videos playing, its controls whole on screen
    await expect.poll(() => b.evaluate(sheetIn), { timeout: TIMEOUT }).toBeNull();
    await playing("Alice's video on Bob's stage", () => b.evaluate(tileIn, 'Alice'));
    await playing("Bob's own camera on his stage", () => b.evaluate(tileIn, 'You'));
    await playing("Bob's video at Alice", () => a.evaluate(tileIn, 'Bob'));
    const controls = ['Mute microphone', 'Turn camera off', 'Choose microphone and camera'];
    expect(await b.evaluate(callControlsIn, '.call-stage')).toEqual(
      expect.arrayContaining([...controls, 'Leave call']),
    );
    expect(await b.evaluate(offScreenControlsIn, '.call-stage')).toEqual([]);
    await screenshotFirefox(b, 'phone-call-stage');

    // 3. the Call sheet over the stage takes the controls, each whole, the device picker's too
    await b.click('#tab-call');
    expect(await b.evaluate(sheetIn)).toBe('panel-call');
    expect(await b.evaluate(callControlsIn, '#panel-call')).toEqual(
      expect.arrayContaining([...controls, 'Leave call']),
    );
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await screenshotFirefox(b, 'phone-call-sheet');
    await click(b, 'Choose microphone and camera');
    await b.waitForSelector('#panel-call .device-picker select', { visible: true });
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await screenshotFirefox(b, 'phone-call-devices');
    await click(b, 'Choose microphone and camera');

    // 4. Bob mutes: his microphone track off, his button pressed, Alice's tile of him muted
    await click(b, 'Mute microphone');
    expect(
      await b.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('figure[data-self="true"] video');
        return (v?.srcObject as MediaStream | null)?.getAudioTracks()[0]?.enabled;
      }),
    ).toBe(false);
    expect(await (await byName(b, 'Unmute microphone')).evaluate((e) => e.ariaPressed)).toBe(
      'true',
    );
    await eventually(
      'Alice sees Bob muted',
      async () => {
        const m = await a.evaluate(mutedIn, 'Bob');
        return m?.audioMuted === 'true' && m.icon;
      },
      { timeoutMs: TIMEOUT },
    );
    await screenshotFirefox(b, 'phone-call-muted');
    await screenshot(a, 'firefox-pair-phone-bob-muted-alice');

    // 5. back to the board: the sheet shows the tiles, playing; closed, the in-call bar keeps
    // the controls whole on screen
    await b.click('#panel-call .call-on-stage button');
    await byName(b, 'Show the call large');
    await playing("Alice's video in Bob's sheet", () => b.evaluate(tileIn, 'Alice'));
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await screenshotFirefox(b, 'phone-call-sheet-tiles');
    await b.click('#tab-call');
    await b.waitForSelector('.call-dock', { visible: true, timeout: TIMEOUT });
    expect(await b.evaluate(callControlsIn, '.call-dock')).toEqual(
      expect.arrayContaining(['Unmute microphone', 'Leave call']),
    );
    expect(await b.evaluate(offScreenControlsIn, '.call-dock')).toEqual([]);
    await screenshotFirefox(b, 'phone-call-dock');

    // 6. Bob leaves from the sheet: it offers Alice's call again, and Alice's grid drops him
    await b.click('#tab-call');
    await click(b, 'Leave call');
    await b.waitForSelector('#panel-call .call[data-phase="idle"]', { timeout: TIMEOUT });
    await byName(b, 'Join call');
    expect(await b.evaluate(callControlsIn, 'body')).toEqual([]);
    await expect.poll(() => a.evaluate(mutedIn, 'Bob'), { timeout: TIMEOUT }).toBeNull();
    expect(await b.evaluate(offScreenControlsIn)).toEqual([]);
    await screenshotFirefox(b, 'phone-call-left');
    // Alice leaves too: Bob's sheet is back where it started, nobody's call to join
    expect(await a.evaluate(leaveCallIn)).toBe(true);
    await byName(b, 'Start call', 'button', TIMEOUT);
    await screenshotFirefox(b, 'phone-call-idle');

    await b.click('#tab-call');
    await desktopSized(b, '#panel-call');
  });

  test("the dark theme in Bob's phone-sized Firefox: a dark page, readable text on the board, People and Call sheets", async ({
    onTestFailed,
  }) => {
    const { b } = await pages(onTestFailed);
    await phoneSized(b);
    const light = await b.evaluate(pageColoursIn);
    expect(light.theme, 'the file runs in the light theme until here').toBe('light');

    // the app's own setting (prefs.ts keeps it; the system's choice is read through the same
    // data-theme, see tokens.css)
    await click(b, 'Switch to dark theme');
    // read once the colours have faded in: mid-fade a button once read 3.8:1
    await b.evaluate(transitionsDoneIn);
    const dark = await b.evaluate(pageColoursIn);
    expect(dark).toMatchObject({ theme: 'dark', colorScheme: 'dark' });
    expect(Math.max(...dark.background), 'a dark background').toBeLessThan(48);
    expect(Math.min(...dark.text), 'light text').toBeGreaterThan(200);

    expect(await b.evaluate(lowContrastTextIn), 'the board').toEqual([]);
    await screenshotFirefox(b, 'phone-dark-board');
    await b.click('#tab-people');
    expect(await b.evaluate(sheetIn)).toBe('panel-people');
    await b.evaluate(transitionsDoneIn);
    expect(await b.evaluate(lowContrastTextIn, '#panel-people'), 'the People sheet').toEqual([]);
    await screenshotFirefox(b, 'phone-dark-people');
    await b.click('#tab-call');
    expect(await b.evaluate(sheetIn)).toBe('panel-call');
    await byName(b, 'Start call');
    await b.evaluate(transitionsDoneIn);
    expect(await b.evaluate(lowContrastTextIn, '#panel-call'), 'the Call sheet').toEqual([]);
    await screenshotFirefox(b, 'phone-dark-call');
    await b.click('#tab-call');

    // light and the desktop size again for the tests after this one
    await click(b, 'Switch to light theme');
    expect((await b.evaluate(pageColoursIn)).theme).toBe('light');
    await desktopSized(b, '#panel-call');
  });

  test("Bob reloads in Firefox: his board comes back from Firefox's IndexedDB, then the link", async ({
    onTestFailed,
  }) => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b },
      aliceRelay,
    } = await pair(onTestFailed);
    // Alice draws blue; it reaches Bob and his store
    const aBox = (await a.locator(BOARD_CANVAS).boundingBox())!;
    await a.getByRole('button', { name: 'Pen', exact: true }).click();
    await a.getByRole('button', { name: 'Colour: Blue' }).click();
    const before = (await a.evaluate(elementIdsIn)).length;
    await scribble(a.mouse, aBox, [200, 160, 300]);
    const kept = await eventually(
      "Alice's blue stroke in Bob's document",
      async () => {
        const ids = await b.evaluate(elementIdsIn);
        return ids.length === before + 1 &&
          JSON.stringify(ids) === JSON.stringify(await a.evaluate(elementIdsIn))
          ? ids
          : null;
      },
      { timeoutMs: TIMEOUT },
    );
    await b.evaluate(() =>
      (globalThis as StoreHooks).__peerboard!.session!.doc.persistence.flush(),
    );

    // Alice off the relay: Bob's reloaded page finds nobody in the room, so what it shows
    // can only come from his own disk
    const aliceErrors = aErrors.length;
    await aliceRelay.cut();
    const t0 = Date.now();
    await b.reload();
    await b.waitForSelector(BOARD_CANVAS, { visible: true, timeout: TIMEOUT });
    await b.waitForFunction(() => (globalThis as StoreHooks).__peerboard?.board !== undefined, {
      timeout: TIMEOUT,
    });
    expect(
      await b.evaluate(() => (globalThis as StoreHooks).__peerboard!.board!.persistence()),
    ).toEqual({ kind: 'loaded' });
    expect(await b.evaluate(elementIdsIn)).toEqual(kept);
    await eventually(
      "the blue stroke on Bob's canvas",
      async () => (await b.evaluate(inkInPage, inkArgs('#1971c2'))) > 200,
    );
    expect(await b.evaluate(peopleIn), 'nobody to sync from').toEqual({});
    console.log(`[firefox] Bob's reload -> board from IndexedDB: ${Date.now() - t0} ms`);
    await screenshotFirefox(b, 'reloaded-alone');

    // Alice's relay is back: she rejoins, the two link up again, and a stroke Bob makes after
    // his reload reaches her
    aliceRelay.restore();
    await Promise.all([waitDirect(a, 'Bob', TIMEOUT), waitDirectIn(b, 'Alice')]);
    console.log(`[firefox] Bob's reload -> Direct with Alice again: ${Date.now() - t0} ms`);
    expect(
      aErrors.splice(aliceErrors).filter((e) => !/WebSocket/.test(e)),
      "Alice's errors while her relay was cut",
    ).toEqual([]);
    const bBox = (await (await b.$(BOARD_CANVAS))!.boundingBox())!;
    await click(b, 'Pen');
    await click(b, 'Colour: Violet');
    await scribble(b.mouse, bBox, [200, 400, 300]);
    await eventually(
      "Bob's stroke after his reload in Alice's document and on her canvas",
      async () => {
        const ids = await b.evaluate(elementIdsIn);
        return (
          ids.length === kept.length + 1 &&
          JSON.stringify(await a.evaluate(elementIdsIn)) === JSON.stringify(ids) &&
          (await a.evaluate(inkInPage, inkArgs('#7048e8'))) > 200
        );
      },
      { timeoutMs: TIMEOUT },
    );
    await screenshotFirefox(b, 'reloaded-linked');
  });

  test("Bob closes his Firefox tab: Alice's People list drops him at once", async ({
    onTestFailed,
  }) => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b, errors: bErrors },
    } = await pair(onTestFailed);
    // the app in the dark theme, for a look before he leaves
    await click(b, 'Switch to dark theme');
    await b.click('#tab-people');
    await screenshotFirefox(b, 'people-dark');
    expect(bErrors).toEqual([]);
    await a.evaluate(() => {
      const w = globalThis as Hooked;
      w.__closes = [];
      w.__peerboard!.room!.on('peer_close', ({ reason }) => w.__closes!.push(reason));
    });
    const t0 = Date.now();
    await b.close({ runBeforeUnload: true });
    await expect.poll(() => a.evaluate(peerStateIn, 'Bob'), { timeout: GONE_WITHIN_MS }).toBeNull();
    console.log(`[firefox] Bob's tab closed -> gone from Alice's People: ${Date.now() - t0} ms`);
    // his goodbye removed him, not the relay's peer_left and a silent link (presence.test.ts)
    expect(await a.evaluate(() => (globalThis as Hooked).__closes)).toEqual(['bye']);
    expect(aErrors).toEqual([]);
  });
});
