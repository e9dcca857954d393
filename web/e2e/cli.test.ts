/**
 * The `peerboard` command (compiled dist/cli.js, Node + @roamhq/wrtc) and Chromium in one
 * protected room, through the app's UI: a file sent from the terminal is accepted and saved in
 * the browser and one picked in the browser is received by the terminal (hash match); a folder
 * picked in the browser is written by `peerboard receive` with its tree; a board drawn in the
 * browser is kept by `peerboard keep`, exported by `peerboard export` after the browser has gone,
 * and given by the keeper to a fresh browser; a file shared in the browser is kept by the keeper
 * and downloaded from it, through the UI, by a browser that joins after the sharer has gone; an
 * image pasted in the browser is kept by the keeper and drawn, after the keeper restarted, by a
 * browser that joins after the paster has gone.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, cli, killClis } from '../../signal-server/test/kit/cliProcess';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  joinRoom,
  openInNewContext,
  PHONE,
  screenshot,
  useBrowserSession,
  visibleInPage,
  waitDirect,
} from './harness';
import { pasteImage, pixelsOf } from './boardPixels';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let tmp: string;

beforeAll(async () => {
  buildCli();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'peerboard-cli-e2e-'));
});
afterAll(async () => {
  killClis();
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Bytes in the keeper's data folder (its one sealed log). */
const keptBytes = async (dir: string): Promise<number> => {
  const files = await fs.readdir(dir).catch(() => []);
  let n = 0;
  for (const f of files) n += (await fs.stat(path.join(dir, f))).size;
  return n;
};

const elementCount = async (page: import('playwright-core').Page): Promise<number> =>
  Number(await page.locator('.board').getAttribute('data-element-count'));

/** the pasted picture's colour (not in the board's palette, so only the image has it) */
const IMAGE_COLOUR = '#7c3aed';

describe('the peerboard command with Chromium', () => {
  const session = useBrowserSession();

  test('peerboard send -> the browser accepts in the Files tab and saves the same bytes', async () => {
    const { page: a } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
      acceptDownloads: true,
    });
    const link = await createRoom(a, 'Alice');
    expect(link).toContain('#k=');
    const data = randomBytes(5 * 1024 * 1024 + 3);
    const file = path.join(tmp, 'from-terminal.bin');
    await fs.writeFile(file, data);

    const sender = cli(['send', file, link, '--name', 'Terminal']);
    await waitDirect(a, 'Terminal');
    await a.getByRole('tab', { name: /Files/ }).click();
    const item = a.locator('li.file-item[data-direction="in"]', { hasText: 'from-terminal.bin' });
    await item.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    await screenshot(a, 'cli-send-received-light');
    const [download] = await Promise.all([
      a.waitForEvent('download'),
      item.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('from-terminal.bin');
    expect(sha(await fs.readFile((await download.path())!))).toBe(sha(data));
    // the browser was the only one there: its verified copy ends the command
    expect(await sender.exited, sender.stderr()).toBe(0);
    expect(sender.stdout()).toContain('from-terminal.bin -> Alice: verified');
  });

  test('a file picked in the browser -> peerboard receive writes the same bytes', async () => {
    const { page: a } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    const link = await createRoom(a, 'Alice');
    const dir = path.join(tmp, 'from-browser');
    const receiver = cli(['receive', link, '--dir', dir, '--yes', '--name', 'Terminal']);
    await waitDirect(a, 'Terminal');
    const data = randomBytes(3 * 1024 * 1024 + 5);
    await a.getByRole('tab', { name: 'Files' }).click();
    // from disk: a buffer would go to the browser base64 over the protocol
    const picked = path.join(tmp, 'from-browser.bin');
    await fs.writeFile(picked, data);
    await a.getByLabel('Choose files to share').setInputFiles(picked);
    expect(await receiver.exited, receiver.stderr()).toBe(0);
    expect(sha(await fs.readFile(path.join(dir, 'from-browser.bin')))).toBe(sha(data));
    // the browser sees the terminal's verified copy
    const out = a.locator('li.file-item[data-direction="out"]', { hasText: 'from-browser.bin' });
    await expect.poll(() => out.locator('.receiver[data-state="done"]').count()).toBe(1);
  });

  test('a folder picked in the browser -> peerboard receive writes its tree, every SHA-256 equal', async () => {
    const { page: a } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    const link = await createRoom(a, 'Alice');
    const tree: Record<string, Buffer> = {
      'readme.txt': Buffer.from('a folder from the browser\n'),
      'photos/beach.bin': randomBytes(1_200_000),
      'photos/2024/summer/twin.bin': Buffer.alloc(40_000, 7),
      'photos/twin.bin': Buffer.alloc(40_000, 7),
      'notes/ünïcode näme.txt': Buffer.from('accents survive'),
    };
    const src = path.join(tmp, 'pick', 'holiday');
    for (const [rel, bytes] of Object.entries(tree)) {
      await fs.mkdir(path.dirname(path.join(src, rel)), { recursive: true });
      await fs.writeFile(path.join(src, rel), bytes);
    }
    const dir = path.join(tmp, 'folder-from-browser');
    const receiver = cli(['receive', link, '--dir', dir, '--yes', '--name', 'Terminal']);
    await waitDirect(a, 'Terminal');
    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose a folder to share').setInputFiles(src);
    expect(await receiver.exited, receiver.stderr()).toBe(0);
    for (const [rel, bytes] of Object.entries(tree))
      expect(sha(await fs.readFile(path.join(dir, 'holiday', rel))), rel).toBe(sha(bytes));
    expect((await fs.readdir(path.join(dir, 'holiday'))).sort()).toEqual([
      'notes',
      'photos',
      'readme.txt',
    ]);
    const sent = a.locator('li.folder-item[data-direction="out"]');
    await expect.poll(() => sent.count()).toBe(1);
    await screenshot(a, 'cli-folder-sent-light');
  });

  test('a file shared in the browser is kept by peerboard keep and downloaded from it by a later browser', async () => {
    const { context: alice, page: a } = await openInNewContext(
      session.browser,
      session.app.origin + '/',
      { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' },
    );
    const link = await createRoom(a, 'Alice');
    const data = path.join(tmp, 'file-keeper');
    const keeper = cli(['keep', link, '--data', data, '--name', 'Keeper']);
    await keeper.printed('Ready.');
    await waitDirect(a, 'Keeper');
    const bytes = randomBytes(4 * 1024 * 1024 + 9);
    await a.getByRole('tab', { name: 'Files' }).click();
    const picked = path.join(tmp, 'handout.bin');
    await fs.writeFile(picked, bytes);
    await a.getByLabel('Choose files to share').setInputFiles(picked);
    const out = a.locator('li.file-item[data-direction="out"]', { hasText: 'handout.bin' });
    await expect
      .poll(() => out.locator('.receiver[data-state="done"]').count(), { timeout: 60_000 })
      .toBe(1);
    await keeper.printed(`Kept handout.bin (SHA-256 ${sha(bytes)} verified).`);
    await alice.close();

    // Bob was never in the room with Alice: the keeper is the only one who has the file
    const { page: b } = await openInNewContext(session.browser, link, {
      contexts: session.contexts,
      viewport: PHONE,
      colorScheme: 'light',
      acceptDownloads: true,
    });
    await joinRoom(b, 'Bob');
    await waitDirect(b, 'Keeper');
    await b.getByRole('tab', { name: /Files/ }).click();
    const item = b.locator('li.file-item[data-direction="in"]', { hasText: 'handout.bin' });
    await item.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    await screenshot(b, 'cli-keeper-file-downloaded-phone-light');
    const [download] = await Promise.all([
      b.waitForEvent('download'),
      item.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('handout.bin');
    expect(sha(await fs.readFile((await download.path())!))).toBe(sha(bytes));
    keeper.child.kill('SIGINT');
    expect(await keeper.exited).toBe(130);
  });

  test('a board drawn in the browser: kept by peerboard keep, exported, and given to a fresh browser', async () => {
    const { context: alice, page: a } = await openInNewContext(
      session.browser,
      session.app.origin + '/',
      { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' },
    );
    const link = await createRoom(a, 'Alice');
    await visibleInPage(a, BOARD_CANVAS);
    const data = path.join(tmp, 'keeper');
    const keeper = cli(['keep', link, '--data', data, '--name', 'Keeper']);
    await keeper.printed('Ready.');
    await waitDirect(a, 'Keeper');
    const before = await keptBytes(data);

    // Alice draws a blue rectangle with the toolbar
    await a.getByRole('button', { name: 'Rectangle' }).click();
    await a.getByRole('button', { name: 'Colour: Blue' }).click();
    const box = (await a.locator('[data-board-layer="elements"]').boundingBox())!;
    await a.mouse.move(box.x + 300, box.y + 200);
    await a.mouse.down();
    await a.mouse.move(box.x + 520, box.y + 360, { steps: 10 });
    await a.mouse.up();
    await expect.poll(() => elementCount(a)).toBe(1);
    // the keeper has stored it before every browser goes
    await expect.poll(() => keptBytes(data), { timeout: 20_000 }).toBeGreaterThan(before);
    await alice.close();

    // export from the keeper alone
    const json = path.join(tmp, 'kept.json');
    const svg = path.join(tmp, 'kept.svg');
    const j = cli(['export', link, '-o', json]);
    expect(await j.exited, j.stderr()).toBe(0);
    const board = JSON.parse(await fs.readFile(json, 'utf8')) as {
      elements: { type: string; colour: string }[];
    };
    expect(board.elements.map((e) => e.type)).toEqual(['rect']);
    const s = cli(['export', link, '--format', 'svg', '-o', svg]);
    expect(await s.exited, s.stderr()).toBe(0);
    expect(await fs.readFile(svg, 'utf8')).toContain(`stroke="${board.elements[0]!.colour}"`);

    // a new browser (no local copy) on a phone gets the board from the keeper
    const { page: c } = await openInNewContext(session.browser, link, {
      contexts: session.contexts,
      viewport: PHONE,
      colorScheme: 'light',
    });
    await joinRoom(c, 'Carol');
    await visibleInPage(c, BOARD_CANVAS);
    await expect.poll(() => elementCount(c), { timeout: 45_000 }).toBe(1);
    await screenshot(c, 'cli-keeper-fresh-browser-phone-light');
    keeper.child.kill('SIGINT');
    expect(await keeper.exited).toBe(130);
  });

  test('an image pasted in the browser is kept by peerboard keep and drawn, after a restart, in a browser that joins later', async () => {
    const { context: alice, page: a } = await openInNewContext(
      session.browser,
      session.app.origin + '/',
      { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' },
    );
    const link = await createRoom(a, 'Alice');
    await visibleInPage(a, BOARD_CANVAS);
    const data = path.join(tmp, 'image-keeper');
    const keeper = cli(['keep', link, '--data', data, '--name', 'Keeper']);
    await keeper.printed('Ready.');
    await waitDirect(a, 'Keeper');

    await pasteImage(a, IMAGE_COLOUR, 480, 320);
    await expect.poll(() => pixelsOf(a, IMAGE_COLOUR), { timeout: 20_000 }).toBeGreaterThan(20_000);
    await keeper.printed('Kept an image', 30_000);
    await alice.close();
    // from its disk alone: the keeper restarts after the only other holder has gone
    keeper.child.kill('SIGINT');
    expect(await keeper.exited).toBe(130);
    const again = cli(['keep', link, '--data', data, '--name', 'Keeper']);
    await again.printed('Ready.');
    expect(again.stdout()).toContain('1 image,');

    // a new browser (no local copy) on a phone draws the picture, its bytes from the keeper
    const { page: c } = await openInNewContext(session.browser, link, {
      contexts: session.contexts,
      viewport: PHONE,
      colorScheme: 'light',
    });
    await joinRoom(c, 'Carol');
    await visibleInPage(c, BOARD_CANVAS);
    await expect.poll(() => elementCount(c), { timeout: 45_000 }).toBe(1);
    await expect.poll(() => pixelsOf(c, IMAGE_COLOUR), { timeout: 45_000 }).toBeGreaterThan(5_000);
    await screenshot(c, 'cli-keeper-image-fresh-browser-phone-light');
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(130);
  });
});
