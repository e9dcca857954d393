/**
 * Shared folders through the UI of the built client. Alice shares a folder from disk with
 * "Share a folder" (the webkitdirectory input, given a real directory); Bob sees one item,
 * "Folder · 7 files · …", saves it as a zip, downloads the zip, and every file inside has the
 * path and SHA-256 it had on Alice's disk. Then Alice drops a folder on the room page (a real
 * drag of a directory from outside the page, dispatched through the DevTools protocol) and it
 * arrives as one folder with its empty directory.
 *
 * Why the zip: headless Chromium has showDirectoryPicker but nothing can answer its dialog, so
 * the test clicks "Save as zip", the button every browser shows (and the only one where the
 * directory picker is missing). A folder this small is zipped in memory and saved with "Save zip".
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  answerDirectoryPicker,
  DESKTOP,
  directoryPicks,
  eventually,
  openPair,
  PHONE,
  screenshot,
  useBrowserSession,
} from './harness';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let dir: string;
/** relative path (inside the shared folder) -> bytes */
const tree: Record<string, Buffer> = {
  'readme.txt': Buffer.from('A folder shared browser to browser.\n'),
  'photos/beach.bin': randomBytes(1_500_000),
  // over 8 MiB: waits for the zip in a temporary file of the origin private file system
  'photos/video.bin': randomBytes(9_000_000),
  'photos/twin.bin': Buffer.alloc(40_000, 7),
  'photos/2024/summer/twin.bin': Buffer.alloc(40_000, 7),
  'photos/2024/summer/empty.txt': Buffer.alloc(0),
  'notes/ünïcode näme.txt': Buffer.from('accents survive the zip'),
};

const more: Record<string, Buffer> = {
  'a.txt': Buffer.from('more to share'),
  'sub/b.bin': randomBytes(300_000),
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'peerboard-folders-'));
  for (const [rel, bytes] of Object.entries(tree)) {
    const file = path.join(dir, 'holiday', rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
  // a second folder, for the drop: one file and an empty directory
  await mkdir(path.join(dir, 'dropped', 'empty-dir'), { recursive: true });
  await writeFile(path.join(dir, 'dropped', 'hello.txt'), 'dropped as a folder');
  // a third, for Accept all
  for (const [rel, bytes] of Object.entries(more)) {
    const file = path.join(dir, 'more', rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** path -> SHA-256 of every file in the page's origin private file system */
const opfsTree = (page: Page) =>
  page.evaluate(async () => {
    type Dir = {
      entries(): AsyncIterable<[string, { kind: string; getFile(): Promise<File> } & Dir]>;
    };
    const out: Record<string, string> = {};
    const hex = (b: ArrayBuffer) =>
      [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const walk = async (d: Dir, prefix: string) => {
      for await (const [name, h] of d.entries()) {
        if (h.kind === 'directory') await walk(h, `${prefix}${name}/`);
        else
          out[`${prefix}${name}`] = hex(
            await crypto.subtle.digest('SHA-256', await (await h.getFile()).arrayBuffer()),
          );
      }
    };
    await walk((await navigator.storage.getDirectory()) as unknown as Dir, '');
    return out;
  });

/** Drags `folder` from outside the page and drops it on the board, as a person would. */
async function dropFolder(page: Page, folder: string) {
  const cdp = await page.context().newCDPSession(page);
  const at = { x: 400, y: 400 };
  const data = { items: [], files: [folder], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const)
    await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  await cdp.detach();
}

describe('folders: two browser contexts', () => {
  const session = useBrowserSession();

  test('a picked folder arrives as one item; saved as a zip, every path and SHA-256 matches', async () => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b, errors: bErrors },
    } = await openPair(session, { bob: { acceptDownloads: true } });

    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'holiday'));
    const total = Object.values(tree).reduce((n, x) => n + x.length, 0);
    const summary = `Folder · 7 files · ${Math.round(total / 1e6)} MB`;
    const sent = a.locator('li.folder-item[data-direction="out"]');
    await sent.filter({ hasText: 'holiday' }).waitFor();
    expect(await sent.locator('.file-sub').textContent()).toBe(`${summary} · shared by you`);

    // Bob: one item for the folder, none for its files, a badge on the Files tab
    await eventually("badge on Bob's Files tab", async () =>
      (await b.getByRole('tab', { name: /Files/ }).textContent())?.includes('1'),
    );
    // a toast over the board says so; its button opens the Files panel, where Bob chooses
    const toast = b.getByRole('status', { name: 'File offered to you' });
    await toast.waitFor();
    expect(await toast.locator('p').first().textContent()).toBe(
      `Alice offers holiday (7 files, ${Math.round(total / 1e6)} MB)`,
    );
    await screenshot(b, 'folders-toast-light');
    // the name is on screen, not squeezed out by the rest of the row
    expect((await toast.locator('.file-toast-name').boundingBox())!.width).toBeGreaterThan(30);
    await toast.getByRole('button', { name: 'Save…' }).click();
    const item = b.locator('li.folder-item[data-direction="in"]');
    await item.getByRole('button', { name: 'Save as zip' }).waitFor();
    expect(await b.locator('li.file-item[data-direction="in"]').count()).toBe(1);
    expect(await item.locator('.file-sub').textContent()).toBe(`${summary} · from Alice`);
    expect(await item.getByRole('button', { name: 'Save to a folder…' }).isVisible()).toBe(true);
    await item.getByText('Show files').click();
    const paths = await item.locator('.folder-file-path').allTextContents();
    expect(paths.sort()).toEqual(Object.keys(tree).sort());
    await screenshot(b, 'folders-offer-light');
    await b.setViewportSize(PHONE);
    await b.getByRole('tab', { name: /Files/ }).click();
    await item.getByRole('button', { name: 'Save as zip' }).waitFor();
    await screenshot(b, 'folders-offer-phone-light');
    await b.setViewportSize(DESKTOP);
    await b.getByRole('tab', { name: /Files/ }).click();

    await item.getByRole('button', { name: 'Save as zip' }).click();
    await eventually(
      'folder done',
      async () => (await item.getAttribute('data-state')) === 'done',
      {
        timeoutMs: 60_000,
      },
    );
    await screenshot(b, 'folders-done-light');
    const [download] = await Promise.all([
      b.waitForEvent('download'),
      item.getByRole('button', { name: 'Save zip' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('holiday.zip');
    const zip = unzipSync(new Uint8Array(await readFile((await download.path())!)));
    const files = Object.entries(zip).filter(([name]) => !name.endsWith('/'));
    expect(Object.fromEntries(files.map(([name, bytes]) => [name, sha(bytes)]))).toEqual(
      Object.fromEntries(
        Object.entries(tree).map(([rel, bytes]) => [`holiday/${rel}`, sha(bytes)]),
      ),
    );
    // the temporary file of the big one is gone once it is in the zip
    const leftovers = await b.evaluate(async () => {
      const root = (await navigator.storage.getDirectory()) as unknown as {
        keys(): AsyncIterable<string>;
      };
      const names: string[] = [];
      for await (const name of root.keys()) names.push(name);
      return names;
    });
    expect(leftovers).toEqual([]);

    // Alice sees Bob has all of it
    await eventually('Alice sees Bob done', async () =>
      (await sent.locator('.receiver .receiver-text').textContent())?.includes(
        'Received and verified',
      ),
    );
    await screenshot(a, 'folders-sender-light');

    // a folder dropped on the room page is one folder too, empty directory included
    await dropFolder(a, path.join(dir, 'dropped'));
    const dropped = b.locator('li.folder-item[data-direction="in"]', { hasText: 'dropped' });
    await dropped.waitFor();
    expect(await dropped.locator('.file-sub').textContent()).toContain('Folder · 1 file ·');
    await dropped.getByText('Show files').click();
    expect(await dropped.locator('.folder-file-path').allTextContents()).toEqual([
      'hello.txt',
      'empty-dir/',
    ]);
    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });
  test('saved into a directory: the tree is recreated there, every file verified (the directory dialog answered by a script)', async () => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b, errors: bErrors },
    } = await openPair(session, {
      // the directory dialog answered by a script (answerDirectoryPicker)
      bob: { colorScheme: 'dark', prepare: answerDirectoryPicker },
    });
    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'holiday'));
    await b.getByRole('tab', { name: /Files/ }).click();
    const item = b.locator('li.folder-item[data-direction="in"]');
    await item.getByRole('button', { name: 'Save to a folder…' }).click();
    await eventually(
      'folder done',
      async () => (await item.getAttribute('data-state')) === 'done',
      {
        timeoutMs: 60_000,
      },
    );
    expect(await item.locator('.file-error').textContent()).toBe(
      'Saved as "holiday" in the folder you chose.',
    );
    await screenshot(b, 'folders-saved-directory-dark');
    // read the tree back from the directory it was written to
    const written = await opfsTree(b);
    expect(written).toEqual(
      Object.fromEntries(
        Object.entries(tree).map(([rel, bytes]) => [`holiday/${rel}`, sha(bytes)]),
      ),
    );
    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });

  test('Accept all and Decline all take folders too: one directory picked for every folder, each saved there whole', async () => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b, errors: bErrors },
    } = await openPair(session, {
      // the directory dialog answered by a script, which counts how often it opens
      bob: { acceptDownloads: true, prepare: answerDirectoryPicker },
    });
    await a.getByRole('tab', { name: 'Files' }).click();
    await b.getByRole('tab', { name: /Files/ }).click();
    const folderIn = (name: string) =>
      b.locator('li.folder-item[data-direction="in"]', { hasText: name });
    const fileIn = (name: string) =>
      b.locator('li.file-item:not(.folder-item)[data-direction="in"]', { hasText: name });
    const bulk = b.getByRole('group', { name: 'All offers' });

    // a folder and a file: Decline all declines both
    await a.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'holiday'));
    await a.getByLabel('Choose files to share').setInputFiles({
      name: 'first.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('declined'),
    });
    await fileIn('first.txt').getByRole('button', { name: 'Accept' }).waitFor();
    await folderIn('holiday').getByRole('button', { name: 'Save as zip' }).waitFor();
    await bulk.getByRole('button', { name: 'Accept all 2' }).waitFor();
    await bulk.getByRole('button', { name: 'Decline all' }).click();
    await eventually(
      'both declined',
      async () =>
        (await folderIn('holiday').getAttribute('data-state')) === 'declined' &&
        (await fileIn('first.txt').getAttribute('data-state')) === 'declined',
    );
    // once Alice has offered every file of it, the folder is still declined and asks nothing
    await a
      .locator('li.folder-item[data-direction="out"][data-state="offered"]', {
        hasText: 'holiday',
      })
      .waitFor({ timeout: 30_000 });
    await eventually(
      'Alice sees the folder declined',
      async () =>
        (await a
          .locator('li.folder-item[data-direction="out"]', { hasText: 'holiday' })
          .locator('.receiver-list .receiver-text')
          .textContent()) === 'Declined',
    );
    expect(await folderIn('holiday').getAttribute('data-state')).toBe('declined');
    expect(await bulk.count()).toBe(0);
    expect(await b.getByRole('tab', { name: /Files/ }).textContent()).not.toMatch(/\d/);

    // two folders and a file: Accept all opens one directory picker and takes all three
    await a.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'more'));
    await a.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'dropped'));
    const second = randomBytes(200_000);
    await a.getByLabel('Choose files to share').setInputFiles({
      name: 'second.bin',
      mimeType: 'application/octet-stream',
      buffer: second,
    });
    await fileIn('second.bin').getByRole('button', { name: 'Accept' }).waitFor();
    await folderIn('more').getByRole('button', { name: 'Save to a folder…' }).waitFor();
    await folderIn('dropped').getByRole('button', { name: 'Save to a folder…' }).waitFor();
    const acceptAll = bulk.getByRole('button', { name: 'Accept all 3' });
    await acceptAll.waitFor();
    expect(await b.locator('.files-bulk-note').textContent()).toBe(
      'Accept all asks once where to save the 2 folders; each is saved there as its own folder.',
    );
    await screenshot(b, 'folders-accept-all-light');
    await acceptAll.click();
    await eventually(
      'all three done',
      async () =>
        (await folderIn('more').getAttribute('data-state')) === 'done' &&
        (await folderIn('dropped').getAttribute('data-state')) === 'done' &&
        (await fileIn('second.bin').getAttribute('data-state')) === 'done',
      { timeoutMs: 60_000 },
    );
    expect(await directoryPicks(b)).toBe(1);
    expect(await folderIn('more').locator('.file-error').textContent()).toBe(
      'Saved as "more" in the folder you chose.',
    );
    await screenshot(b, 'folders-accept-all-done-light');
    expect(await opfsTree(b)).toEqual({
      ...Object.fromEntries(Object.entries(more).map(([rel, x]) => [`more/${rel}`, sha(x)])),
      'dropped/hello.txt': sha(Buffer.from('dropped as a folder')),
    });
    const [download] = await Promise.all([
      b.waitForEvent('download'),
      fileIn('second.bin').getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(sha(await readFile((await download.path())!))).toBe(sha(second));
    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });
});
