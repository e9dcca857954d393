/**
 * Two people in one room, through the UI of the built client, in one headless Chromium with two
 * contexts (separate storage, like two browsers): both must see the other listed as connected
 * "Direct". This is also the proof that simple-peer works in the production bundle
 * (see web/vite.config.ts). Then the signal server goes away and comes back: both show the
 * reconnecting banner, keep their direct connection, and the banner clears.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  closeContexts,
  createRoom,
  DESKTOP,
  eventually,
  type Forwarder,
  joinRoom,
  openInNewContext,
  PHONE,
  type RunningApp,
  screenshot,
  sharedBrowser,
  startApp,
  startForwarder,
} from './harness';

const CONNECT_TIMEOUT_MS = 45_000;

/** The row of `name` in the People panel: its link state and round-trip text. */
async function peerRow(page: Page, name: string) {
  return page.evaluate((peerName) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')];
    const row = rows.find((li) => li.querySelector('.peer-name')?.textContent?.trim() === peerName);
    if (!row) return null;
    return {
      state: row.dataset.state ?? '',
      label: row.querySelector('.state-pill')?.textContent?.trim() ?? '',
      rtt: row.querySelector('.peer-rtt')?.textContent?.trim() ?? null,
    };
  }, name);
}

async function waitForDirect(page: Page, name: string) {
  return eventually(
    `${name} shown as Direct`,
    async () => {
      const row = await peerRow(page, name);
      return row?.state === 'direct' && row.label === 'Direct' ? row : null;
    },
    { timeoutMs: CONNECT_TIMEOUT_MS },
  );
}

const bannerText = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-banner]')?.textContent ?? null);

describe('room: two browser contexts', () => {
  let app: RunningApp;
  // Pages reach the server through a forwarder, so the server can restart on a new port.
  let front: Forwarder;
  let origin: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startApp();
    front = await startForwarder(app.port);
    origin = `http://127.0.0.1:${front.port}`;
    browser = await sharedBrowser(false);
    await closeContexts(browser); // an earlier file's leftovers are not this file's
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    if (browser) await closeContexts(browser);
    await front?.close();
    await app?.stop();
  });

  test('create a room, open its link in a second context, both see the other as Direct', async () => {
    // Alice: landing page -> create a room.
    const { page: a, errors: aErrors } = await openInNewContext(browser, origin + '/', {
      contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
      prepare: (c) => c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin }),
    });
    // Rooms are protected by default: the secret rides in the fragment (web/e2e/secret.test.ts).
    const roomLink = await createRoom(a, 'Alice', /\/r\/[A-Za-z0-9_-]{43}#k=[A-Za-z0-9_-]{43}$/);
    await a.getByRole('heading', { name: /In this room/ }).waitFor();
    await eventually('Alice online', async () =>
      (await a.locator('.peer-self').textContent())?.includes('Online'),
    );

    // Share dialog: copy the link (clipboard holds exactly the room link) and show the QR code.
    await a.getByRole('button', { name: 'Share' }).click();
    const dialog = a.getByRole('dialog', { name: 'Invite people' });
    await dialog.waitFor();
    expect(await a.getByLabel('Room link').inputValue()).toBe(roomLink);
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await a.evaluate(() => navigator.clipboard.readText())).toBe(roomLink);
    await a.getByRole('img', { name: 'QR code of the room link' }).waitFor();
    await screenshot(a, 'room-share-dialog');
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Bob: a fresh profile on a phone opens the link and picks a name first.
    const { page: b, errors: bErrors } = await openInNewContext(browser, roomLink, {
      contexts,
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    await b.getByRole('heading', { name: /Join room/ }).waitFor();
    await joinRoom(b, 'Bob');
    // On a phone the people list sits behind the bottom "People" tab.
    await b.getByRole('tab', { name: 'People' }).click();

    const bobSeenByAlice = await waitForDirect(a, 'Bob');
    const aliceSeenByBob = await waitForDirect(b, 'Alice');
    // Round-trip time comes from getStats() once a candidate pair is selected.
    await eventually('RTT shown for Bob', async () => (await peerRow(a, 'Bob'))?.rtt, {
      timeoutMs: CONNECT_TIMEOUT_MS,
    });
    expect(bobSeenByAlice.state).toBe('direct');
    expect(aliceSeenByBob.state).toBe('direct');
    expect(await a.getByRole('heading', { name: /In this room/ }).textContent()).toMatch(/2/);

    await screenshot(a, 'room-desktop-light');
    await screenshot(b, 'room-phone-dark');

    // The signal server goes away: both say so in plain words, and stay directly connected.
    await app.stop();
    for (const page of [a, b]) {
      await eventually('reconnecting banner', async () =>
        (await bannerText(page))?.includes('Reconnecting'),
      );
    }
    await screenshot(a, 'room-desktop-reconnecting');
    expect((await peerRow(a, 'Bob'))?.state).toBe('direct');
    expect((await peerRow(b, 'Alice'))?.state).toBe('direct');

    // It comes back behind the same address: the banner clears and the room is still whole.
    app = await startApp();
    front.setTarget(app.port);
    for (const page of [a, b]) {
      await eventually(
        'banner cleared',
        async () =>
          (await bannerText(page)) === null &&
          (await page.locator('.peer-self').textContent())?.includes('Online'),
        { timeoutMs: CONNECT_TIMEOUT_MS },
      );
    }
    await waitForDirect(a, 'Bob');
    await waitForDirect(b, 'Alice');

    // Side-panel tabs work from the keyboard (WAI-ARIA tabs: arrows move, panel follows).
    await a.getByRole('tab', { name: 'People' }).focus();
    await a.keyboard.press('ArrowRight');
    expect(await a.getByRole('tab', { name: 'Chat' }).getAttribute('aria-selected')).toBe('true');
    await a.getByRole('tabpanel', { name: 'Chat' }).waitFor();
    expect(await a.locator('#panel-people').isHidden()).toBe(true);
    await a.keyboard.press('ArrowLeft');
    await a.getByRole('tabpanel', { name: 'People' }).waitFor();

    // The theme toggle in the room header; the choice outlives the page.
    await a.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await a.locator('html').getAttribute('data-theme')).toBe('dark');
    await screenshot(a, 'room-desktop-dark');

    // A run-time failure in the bundle (e.g. simple-peer missing a Node built-in) shows up here.
    // The WebSocket drop above is expected to log a connection error in the console only.
    const unexpected = (errors: string[]) =>
      errors.filter((e) => !/WebSocket connection to .* failed/.test(e));
    expect(unexpected(aErrors)).toEqual([]);
    expect(unexpected(bErrors)).toEqual([]);
  });
});
