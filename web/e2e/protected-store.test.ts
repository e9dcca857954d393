/**
 * A protected room's copy on this device, through the UI in Chromium: sealed on disk (no room
 * id in the database name, no plaintext in it), reloaded with the full link before any peer
 * could answer, refused without its key or with a damaged one (message, no board, not a single
 * WebSocket to the relay), and gone after "Forget this room on this device".
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { newSecretRoom } from '@peerboard/core/secret';
import {
  DESKTOP,
  createRoom,
  eventually,
  openInNewContext,
  screenshot,
  useBrowserSession,
} from './harness';

const PROTECTED_URL = /\/r\/([A-Za-z0-9_-]{43})#k=([A-Za-z0-9_-]{43})$/;
const CHAT_TEXT = 'the vault code is 31337';

const elementCount = async (page: Page): Promise<number> =>
  Number(await page.locator('.board').getAttribute('data-element-count'));

const chatTexts = (page: Page) =>
  page.locator('#panel-chat .chat-text').evaluateAll((els) => els.map((e) => e.textContent));

/** What this origin keeps in IndexedDB: database names and whether any record holds `text`. */
const deviceStore = (page: Page, text: string) =>
  page.evaluate(async (needle) => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '');
    let found = false;
    const want = new TextEncoder().encode(needle);
    const has = (hay: Uint8Array) => {
      outer: for (let i = 0; i + want.length <= hay.length; i++) {
        for (let j = 0; j < want.length; j++) if (hay[i + j] !== want[j]) continue outer;
        return true;
      }
      return false;
    };
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        for (const v of all) if (v instanceof Uint8Array && has(v)) found = true;
      }
      db.close();
    }
    return { names, plaintextFound: found };
  }, text);

type FlushHook = {
  __peerboard?: { session?: { doc: { persistence: { flush(): Promise<void> } } } };
};

/**
 * The live session's store (`?debug` hook) has loaded and written everything so far. The hook
 * comes with the app's code, which loads after the page's first module: wait for it.
 */
const flushStore = async (page: Page) => {
  await page.waitForFunction(() => (globalThis as FlushHook).__peerboard?.session !== undefined);
  await page.evaluate(async () => {
    await (globalThis as FlushHook).__peerboard!.session!.doc.persistence.flush();
  });
};

/** Opens `url` in a new tab of `context`, recording every WebSocket the page opens. */
async function visit(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(url);
  return { page, sockets };
}

describe('protected room: what stays on this device', () => {
  const session = useBrowserSession();

  /** Alice creates a protected room, draws one stroke and sends one chat message. */
  async function aliceWithBoard() {
    const { page: start, context } = await openInNewContext(session.browser, session.app.origin, {
      contexts: session.contexts,
      viewport: DESKTOP,
    });
    const link = await createRoom(start, 'Alice', PROTECTED_URL);
    const [, roomId, secret] = PROTECTED_URL.exec(link)!;
    await start.close();
    // the same room with the `?debug` hook, which lets the test wait for the store
    const fullUrl = `${session.app.origin}/r/${roomId}?debug#k=${secret}`;
    const page = await context.newPage();
    await page.goto(fullUrl);
    await page.getByText('End-to-end protected').waitFor();
    await page.getByRole('button', { name: 'Pen', exact: true }).click();
    const box = (await page.locator('[data-board-layer="elements"]').boundingBox())!;
    await page.mouse.move(box.x + 200, box.y + 200);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 200 + i * 10, box.y + 200 + i * 4);
    await page.mouse.up();
    await eventually('the stroke is on the board', async () => (await elementCount(page)) === 1);
    await page.getByRole('tab', { name: 'Chat' }).click();
    const input = page.getByLabel('Message to everyone in the room');
    await input.fill(CHAT_TEXT);
    await input.press('Enter');
    await eventually('the message is shown', async () => (await chatTexts(page)).length === 1);
    await flushStore(page);
    return { context, page, roomId: roomId!, secret: secret!, fullUrl };
  }

  test('the store is sealed; the full link reloads the board from disk, with nobody else there', async () => {
    const alice = await aliceWithBoard();
    const disk = await deviceStore(alice.page, CHAT_TEXT);
    expect(disk.names.some((n) => n.startsWith('peerboard-sealed:'))).toBe(true);
    expect(disk.names.filter((n) => n.includes(alice.roomId))).toEqual([]);
    expect(disk.plaintextFound).toBe(false);

    await alice.page.reload();
    // the load is first on the store's queue: flush() settles once it is done
    await flushStore(alice.page);
    await eventually('the board came back', async () => (await elementCount(alice.page)) === 1);
    await alice.page.getByRole('tab', { name: 'Chat' }).click();
    await eventually(
      'the chat came back',
      async () => (await chatTexts(alice.page))[0] === CHAT_TEXT,
    );
    // she is alone in the room: this came from the disk, not from a peer
    expect(await alice.page.locator('#panel-people li.peer:not(.peer-self)').count()).toBe(0);
    await alice.context.close();
  });

  test('the bare link in the same browser: missing-key message, no board, no WebSocket', async () => {
    const alice = await aliceWithBoard();
    const { page, sockets } = await visit(alice.context, `${session.app.origin}/r/${alice.roomId}`);
    await page.getByRole('heading', { name: 'This link is missing its key' }).waitFor();
    await page.getByText('Ask for the full link').waitFor();
    await page.waitForLoadState('networkidle');
    expect(sockets).toEqual([]);
    expect(await page.locator('.board').count()).toBe(0);
    expect(await page.getByText(CHAT_TEXT).count()).toBe(0);
    await screenshot(page, 'link-missing-key');
    await page.getByRole('button', { name: 'Go to the start page' }).click();
    await page.waitForURL(`${session.app.origin}/`);

    // the bare code pasted into Join is refused the same way, without leaving the start page
    await page.getByLabel('Room link or code').fill(alice.roomId);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText('the link is missing its key').waitFor();
    expect(page.url()).toBe(`${session.app.origin}/`);
    expect(sockets).toEqual([]);
    await alice.context.close();
  });

  test("a damaged key or another room's key: damaged-link message, no WebSocket", async () => {
    const { roomId } = await newSecretRoom();
    const other = await newSecretRoom();
    const context = await session.browser.newContext({ viewport: DESKTOP });
    session.contexts.push(context);
    for (const [name, fragment] of [
      ['link-damaged-short', '#k=abc'],
      ['link-damaged-wrong-secret', `#k=${other.secret}`],
    ] as const) {
      const { page, sockets } = await visit(
        context,
        `${session.app.origin}/r/${roomId}${fragment}`,
      );
      await page.getByRole('heading', { name: 'This link is damaged' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(sockets).toEqual([]);
      expect(await page.locator('.board').count()).toBe(0);
      await screenshot(page, name);
      await page.close();
    }
    await context.close();
  });

  test('Forget this room on this device: confirmed, leaves, and the full link then loads nothing', async () => {
    const alice = await aliceWithBoard();
    const { page } = alice;
    // keyboard only: the room menu, its item, the confirmation
    await page.getByRole('button', { name: 'Room options' }).focus();
    await page.keyboard.press('Enter');
    const item = page.getByRole('menuitem', { name: 'Forget this room on this device' });
    await item.waitFor();
    await screenshot(page, 'room-menu');
    // the menu opens on its first item ("Change your name"); the arrow moves to Forget
    await page.keyboard.press('ArrowDown');
    expect(await item.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Forget this room on this device?' });
    await dialog.waitFor();
    await screenshot(page, 'forget-room-dialog');
    // Escape cancels: nothing is deleted
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await elementCount(page)).toBe(1);

    await page.getByRole('button', { name: 'Room options' }).click();
    await page.getByRole('menuitem', { name: 'Forget this room on this device' }).click();
    await dialog.getByRole('button', { name: 'Forget room' }).click();
    await page.waitForURL(`${session.app.origin}/`);
    await page.getByRole('button', { name: 'Create a room' }).waitFor();
    const disk = await deviceStore(page, CHAT_TEXT);
    expect(
      disk.names.filter((n) => n.startsWith('peerboard-sealed:') || n.includes(alice.roomId)),
    ).toEqual([]);
    expect(
      await page.evaluate(
        (id) => Object.keys(localStorage).filter((k) => k.includes(id)),
        alice.roomId,
      ),
    ).toEqual([]);

    await page.goto(alice.fullUrl);
    await page.getByText('End-to-end protected').waitFor();
    await flushStore(page); // the store has been read (and held nothing)
    expect(await elementCount(page)).toBe(0);
    await page.getByRole('tab', { name: 'Chat' }).click();
    expect(await chatTexts(page)).toEqual([]);
  });
});
