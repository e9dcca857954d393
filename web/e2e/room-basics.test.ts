/**
 * People come and go, tried as new users would in Chromium through the UI: Enter in the
 * landing page's name field creates the room; Leave (desktop and phone, from the keyboard)
 * closes the relay socket and the others see the person go; renaming yourself inside the room
 * reaches the others' cursor, avatar and chat at once; the reconnecting banner floats over the
 * board (the canvas does not move under a stroke); a phone's Files sheet offers a picker, not
 * "drop"; several offers can be accepted or declined at once; an offer shows a toast.
 */
import type { Page, WebSocket } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  createRoom,
  DESKTOP,
  eventually,
  joinRoom,
  openInNewContext,
  openPair,
  PHONE,
  screenshot,
  useBrowserSession,
  waitDirect,
  relaySwitch,
} from './harness';

const CONNECT_TIMEOUT_MS = 45_000;

const peopleNames = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('#panel-people li.peer:not(.peer-self) .peer-name')].map((n) =>
      n.textContent?.trim(),
    ),
  );

const PHONE_CONTEXT = { viewport: PHONE, isMobile: true, hasTouch: true } as const;

describe('room basics: two browser contexts', () => {
  const session = useBrowserSession();

  test('Enter in the name field creates the room; Leave closes the connections and goes home', async () => {
    const { page: a, errors: aErrors } = await openInNewContext(
      session.browser,
      session.app.origin + '/',
      { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' },
    );
    await a.getByLabel('Your name').fill('Alice');
    await a.getByLabel('Your name').press('Enter');
    await a.waitForURL(/\/r\/[A-Za-z0-9_-]{43}#k=/);
    const roomLink = a.url();

    // every socket Bob's page opens, from the first module on (it opens the relay socket while
    // he types his name; joining must adopt it, not open a second)
    const bobSockets: WebSocket[] = [];
    const { page: b, errors: bErrors } = await openInNewContext(session.browser, roomLink, {
      contexts: session.contexts,
      ...PHONE_CONTEXT,
      colorScheme: 'dark',
      prepare: async (c) => c.on('page', (p) => p.on('websocket', (ws) => bobSockets.push(ws))),
    });
    await joinRoom(b, 'Bob');
    await waitDirect(a, 'Bob');
    await b.getByRole('tab', { name: 'People' }).click();
    await waitDirect(b, 'Alice');
    expect(bobSockets.filter((ws) => ws.url().endsWith('/ws'))).toHaveLength(1);

    // Visible and labelled on both layouts.
    expect(await a.getByRole('button', { name: 'Leave room' }).isVisible()).toBe(true);
    expect(await b.getByRole('button', { name: 'Leave room' }).isVisible()).toBe(true);
    await screenshot(a, 'basics-header-desktop-light');
    await b.getByRole('tab', { name: 'People' }).click(); // close the sheet
    await screenshot(b, 'basics-header-phone-dark');

    // Bob leaves from the keyboard.
    await b.getByRole('button', { name: 'Leave room' }).focus();
    await b.keyboard.press('Enter');
    await b.waitForURL(session.app.origin + '/');
    await b.getByRole('heading', { name: 'Start a session' }).waitFor();
    await eventually('Bob’s relay socket closed', async () =>
      bobSockets.every((ws) => ws.isClosed()),
    );
    // Alice sees him go, without waiting for a link timeout.
    await eventually(
      'Bob gone from Alice’s list',
      async () => (await peopleNames(a)).length === 0,
      {
        timeoutMs: 10_000,
      },
    );
    expect(await a.getByRole('heading', { name: /In this room/ }).textContent()).toMatch(/1/);

    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });

  test('renaming yourself in the room: the others see it on the cursor, the avatar and new messages', async () => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b, errors: bErrors },
    } = await openPair(session, { bob: { colorScheme: 'dark' } });

    // Bob's pointer over the board: Alice sees his cursor with his name; he says hello.
    const box = (await b.locator('[data-board-layer="elements"]').boundingBox())!;
    await b.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await a.locator('.board-cursor[data-peer-name="Bob"]').waitFor();
    await b.getByRole('tab', { name: 'Chat' }).click();
    const bInput = b.getByLabel('Message to everyone in the room');
    await bInput.fill('hello as Bob');
    await bInput.press('Enter');

    // Room options -> Change your name; Enter saves.
    await b.getByRole('button', { name: 'Room options' }).click();
    await b.getByRole('menuitem', { name: 'Change your name' }).click();
    const dialog = b.getByRole('dialog', { name: 'Change your name' });
    await dialog.waitFor();
    const field = dialog.getByLabel('Your name');
    expect(await field.inputValue()).toBe('Bob');
    await field.fill('Robert');
    await screenshot(b, 'basics-rename-dialog-dark');
    await field.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await b.getByRole('button', { name: 'You are Robert: change your name' }).waitFor();
    // kept for next time
    expect(await b.evaluate(() => localStorage.getItem('peerboard.name'))).toBe('Robert');

    // Alice: the cursor and the header avatar follow at once, without a reload.
    await b.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2);
    await a.locator('.board-cursor[data-peer-name="Robert"]').waitFor({ timeout: 5_000 });
    await a.locator('.avatar-peer[title="Robert"]').waitFor({ timeout: 5_000 });
    expect(await a.locator('.board-cursor[data-peer-name="Bob"]').count()).toBe(0);

    await bInput.fill('hello as Robert');
    await bInput.press('Enter');
    await a.getByRole('tab', { name: 'Chat' }).click();
    const authors = a.locator('.chat-author');
    await eventually('the new message under the new name', async () => {
      const list = await authors.allTextContents();
      return list.map((t) => t.trim()).join('|') === 'Bob|Robert';
    });
    await a.getByRole('tab', { name: 'People' }).click();
    await screenshot(a, 'basics-renamed-desktop-light');

    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });

  test('the reconnecting banner floats over the board: the canvas does not move under a stroke', async () => {
    const relay = relaySwitch();
    for (const [name, options] of [
      ['desktop-light', { viewport: DESKTOP, colorScheme: 'light' as const }],
      ['phone-dark', { ...PHONE_CONTEXT, colorScheme: 'dark' as const }],
    ] as const) {
      relay.restore();
      const { page, errors } = await openInNewContext(session.browser, session.app.origin + '/', {
        contexts: session.contexts,
        ...options,
        prepare: (c) => c.routeWebSocket(/\/ws$/, relay.via),
      });
      await createRoom(page, 'Alice');
      await page.locator('.room[data-signaling="open"]').waitFor();
      const canvas = page.locator('[data-board-layer="elements"]');
      const before = (await canvas.boundingBox())!;

      // A stroke is under way when the relay goes away.
      const x = before.x + before.width / 2;
      const y = before.y + before.height / 2;
      await page.mouse.move(x - 60, y);
      await page.mouse.down();
      await page.mouse.move(x, y, { steps: 5 });
      await relay.cut();
      const banner = page.locator('[data-banner="reconnecting"]');
      await banner.waitFor();
      expect(await canvas.boundingBox()).toEqual(before);
      // It lets the pen through: what is under its middle is the board, not the banner.
      const b = (await banner.boundingBox())!;
      const under = await page.evaluate(
        ([bx, by]) => document.elementFromPoint(bx!, by!)?.closest('.board') !== null,
        [b.x + b.width / 2, b.y + b.height / 2],
      );
      expect(under).toBe(true);
      // and it leaves the board's actions (image, export, help) in sight
      const actions = (await page.locator('.board-actions').boundingBox())!;
      const apart =
        b.x >= actions.x + actions.width ||
        b.x + b.width <= actions.x ||
        b.y >= actions.y + actions.height ||
        b.y + b.height <= actions.y;
      expect(apart).toBe(true);
      await page.mouse.move(x + 60, y + 20, { steps: 5 });
      await page.mouse.up();
      await screenshot(page, `basics-reconnecting-${name}`);

      // The relay is back: the banner goes, and the board still has not moved.
      relay.restore();
      await banner.waitFor({ state: 'detached', timeout: CONNECT_TIMEOUT_MS });
      expect(await canvas.boundingBox()).toEqual(before);
      expect(errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
    }
  });

  test('files: the phone sheet offers a picker; an offer shows a toast; accept or decline all', async () => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b, errors: bErrors },
    } = await openPair(session, { bob: { ...PHONE_CONTEXT, colorScheme: 'dark' } });

    // The phone has no drag and drop: its Files sheet says to choose files.
    await b.getByRole('tab', { name: 'Files' }).click();
    const bHint = b.locator('#panel-files .file-drop-hint');
    expect(await bHint.textContent()).toContain('Choose files to share');
    expect(await bHint.textContent()).not.toContain('Drop files');
    await screenshot(b, 'basics-files-phone-dark');
    await a.getByRole('tab', { name: 'Files' }).click();
    expect(await a.locator('#panel-files .file-drop-hint').textContent()).toContain(
      'Drop files anywhere',
    );
    await b.getByRole('tab', { name: 'Files' }).click(); // the sheet closes
    await b.locator('#panel-files').waitFor({ state: 'hidden' });

    // Alice offers three files; Bob, drawing on the board, gets a toast.
    const file = (name: string) => ({
      name,
      mimeType: 'text/plain',
      buffer: Buffer.from(`contents of ${name}\n`.repeat(50)),
    });
    await a
      .getByLabel('Choose files to share')
      .setInputFiles([file('one.txt'), file('two.txt'), file('three.txt')]);
    const toast = b.getByRole('status', { name: 'File offered to you' });
    await eventually('toast lists the newest and the count', async () => {
      const text = (await toast.textContent()) ?? '';
      return text.includes('Alice offers') && text.includes('2 more in Files');
    });
    // Not modal: the board under the toast's row still takes the pen.
    const canvas = (await b.locator('[data-board-layer="elements"]').boundingBox())!;
    const onBoard = await b.evaluate(
      ([cx, cy]) => document.elementFromPoint(cx!, cy!)?.closest('.board') !== null,
      [canvas.x + canvas.width / 2, canvas.y + canvas.height / 2],
    );
    expect(onBoard).toBe(true);
    expect(await b.locator('dialog[open]').count()).toBe(0);
    await screenshot(b, 'basics-offer-toast-phone-dark');
    const newest = (await toast.locator('.file-toast-name').textContent())!;
    await toast.getByRole('button', { name: 'Accept' }).click();
    await eventually(`Bob has ${newest}`, () =>
      b.evaluate(
        (n) =>
          [...document.querySelectorAll<HTMLElement>('li.file-item[data-direction="in"]')].some(
            (li) => li.textContent?.includes(n) && li.dataset.state === 'done',
          ),
        newest,
      ),
    );

    // Two still wait: the Files sheet offers Decline all.
    await b.getByRole('tab', { name: /Files/ }).click();
    await b.getByRole('button', { name: 'Accept all 2' }).waitFor();
    await screenshot(b, 'basics-files-bulk-phone-dark');
    await b.getByRole('button', { name: 'Decline all' }).click();
    await eventually('both declined at Alice', async () => {
      const states = await a
        .locator('li.file-item[data-direction="out"] .receiver')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));
      return states.filter((s) => s === 'declined').length === 2;
    });
    expect(await b.getByRole('button', { name: /Accept all/ }).count()).toBe(0);

    // Two more while the Files sheet is open: no toast, Accept all takes both.
    await a.getByLabel('Choose files to share').setInputFiles([file('four.txt'), file('five.txt')]);
    await b.getByRole('button', { name: 'Accept all 2' }).click();
    await eventually('four and five received', async () => {
      const done = await b
        .locator('li.file-item[data-direction="in"][data-state="done"]')
        .allTextContents();
      return done.some((t) => t.includes('four.txt')) && done.some((t) => t.includes('five.txt'));
    });
    expect(await toast.count()).toBe(0);

    // The other way round on a desktop, with the People tab open: a toast, dismissed by keyboard.
    await a.getByRole('tab', { name: 'People' }).click();
    await b.getByLabel('Choose files to share').setInputFiles([file('from-bob.txt')]);
    const aToast = a.getByRole('status', { name: 'File offered to you' });
    await aToast.getByText('from-bob.txt').waitFor();
    await screenshot(a, 'basics-offer-toast-desktop-light');
    await aToast.getByRole('button', { name: 'Dismiss' }).focus();
    await a.keyboard.press('Enter');
    await aToast.waitFor({ state: 'detached' });
    expect(await a.getByRole('tab', { name: /Files/ }).textContent()).toContain('1');

    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });
});
