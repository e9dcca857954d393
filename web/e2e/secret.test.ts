/**
 * Protected rooms through the UI in Chromium: "Create a room" makes a protected room by default
 * (secret in the link fragment, room id derived from it), the header shows the badge, the share
 * link keeps the fragment, a second browser with the link connects Direct (WebCrypto in the
 * production bundle), a browser with the bare path (fragment lost) connects to nobody, and the
 * "Open room" checkbox makes an unprotected room.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  DESKTOP,
  eventually,
  joinRoom,
  openInNewContext,
  screenshot,
  useBrowserSession,
} from './harness';

const CONNECT_TIMEOUT_MS = 45_000;
const PROTECTED_URL = /\/r\/([A-Za-z0-9_-]{43})#k=([A-Za-z0-9_-]{43})$/;

const peerStates = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#panel-people li.peer:not(.peer-self)')].map(
      (li) => ({
        name: li.querySelector('.peer-name')?.textContent?.trim() ?? '',
        state: li.dataset.state ?? '',
      }),
    ),
  );

describe('protected rooms in the browser', () => {
  const session = useBrowserSession();

  /** every console line of each person's page, from before they join */
  const logs = new Map<Page, string[]>();

  async function person(name: string, url: string, errors: string[][]) {
    const { page, errors: pageErrors } = await openInNewContext(session.browser, url, {
      contexts: session.contexts,
      viewport: DESKTOP,
      prepare: (c) =>
        c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.app.origin }),
    });
    errors.push(pageErrors);
    const lines: string[] = [];
    logs.set(page, lines);
    page.on('console', (m) => lines.push(m.text()));
    if (url.endsWith('/')) {
      await page.getByLabel('Your name').fill(name);
    } else {
      await page.getByRole('heading', { name: /Join room/ }).waitFor();
      await joinRoom(page, name);
    }
    return page;
  }

  test('default room is protected; the link connects, the bare path does not', async () => {
    const errors: string[][] = [];
    const a = await person('Alice', session.app.origin + '/', errors);
    await a.getByRole('button', { name: 'Create a room' }).click();
    await a.waitForURL(PROTECTED_URL);
    const link = a.url();
    const [, roomId, secret] = PROTECTED_URL.exec(link)!;
    // The server-visible id is the hash of the secret, not the secret.
    expect(roomId).toBe(
      createHash('sha256').update(`peerboard-room:${secret}`).digest('base64url'),
    );
    await a.getByText('End-to-end protected').waitFor();

    await a.getByRole('button', { name: 'Share' }).click();
    const dialog = a.getByRole('dialog', { name: 'Invite people' });
    await dialog.waitFor();
    expect(await a.getByLabel('Room link').inputValue()).toBe(link);
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await a.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await a.keyboard.press('Escape');

    const b = await person('Bob', link, errors);
    await b.getByText('End-to-end protected').waitFor();
    // Someone whose link lost its fragment lands in the same server room without the key.
    const c = await person('Carl', `${session.app.origin}/r/${roomId}`, errors);
    expect(await c.getByText('End-to-end protected').count()).toBe(0);

    await eventually(
      'Alice and Bob Direct',
      async () =>
        JSON.stringify(await peerStates(a)) === '[{"name":"Bob","state":"direct"}]' &&
        JSON.stringify(await peerStates(b)) === '[{"name":"Alice","state":"direct"}]',
      { timeoutMs: CONNECT_TIMEOUT_MS },
    );
    await screenshot(a, 'room-protected-desktop');
    // Carl's attempt has been made and refused on every side: Alice and Bob dropped his unsealed
    // hello, and Carl could not read the sealed hellos they sent him. Nothing else would make
    // anyone try again, so what the lists show now is final.
    const seen = (p: Page, text: string) => logs.get(p)!.filter((l) => l.includes(text)).length;
    await eventually(
      "Carl's hellos dropped by Alice and Bob, theirs unreadable to Carl",
      async () =>
        seen(a, 'dropped (ERR_NOT_SEALED)') >= 1 &&
        seen(b, 'dropped (ERR_NOT_SEALED)') >= 1 &&
        seen(c, 'mesh: bad signal from peer') >= 2,
      { timeoutMs: CONNECT_TIMEOUT_MS },
    );
    expect(await peerStates(c)).toEqual([]);
    expect(await peerStates(a)).toEqual([{ name: 'Bob', state: 'direct' }]);
    expect(await c.locator('.peer-self').textContent()).toContain('Online');
    for (const e of errors) expect(e).toEqual([]);
  });

  test('"Open room" makes an unprotected room without a fragment or badge', async () => {
    const errors: string[][] = [];
    const d = await person('Dora', session.app.origin + '/', errors);
    await d.getByLabel('Open room (no end-to-end protection)').check();
    await d.getByRole('button', { name: 'Create a room' }).click();
    await d.waitForURL(/\/r\/[A-Za-z0-9_-]{22}$/);
    await d.getByRole('heading', { name: /In this room/ }).waitFor();
    expect(await d.getByText('End-to-end protected').count()).toBe(0);
    for (const e of errors) expect(e).toEqual([]);
  });
});
