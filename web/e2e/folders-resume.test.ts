/**
 * A folder being saved into a directory survives the receiver's tab, through the UI of the
 * built client. Alice shares a folder (three small files and a 16 MiB one); Bob saves it "to a
 * folder", closes his tab while the large file is part-way (`page.close()`), opens the link
 * again in the same browser profile (its IndexedDB and the directory stay) and sees
 * `Resume in "trip"` with a plain note of what happens. He resumes: the files already there are
 * checked against Alice's block hashes and not sent again, the large one continues after its
 * kept part, and every file in the directory ends with the SHA-256 it has on Alice's disk, in
 * the same directory (no "trip (2)"). Alice's page counts every chunk it sends per file (?debug).
 *
 * Bob's browser in the directory tests is a low-memory phone's (`navigator.deviceMemory` 0.5 GiB,
 * a value Chrome reports on such devices): a folder's file saved into a directory commits at
 * 1 MiB, then each time it doubled (8 MiB on a desktop: core transfer/diskPlan.ts), so Bob's
 * tab can close early in the large file with a checkpoint behind him.
 *
 * The directory dialog cannot be answered headless: as in folders.test.ts, the picker returns
 * the origin private file system's root, a real FileSystemDirectoryHandle (stored in IndexedDB,
 * permission asked again on the Resume click); everything after is the app's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  answerDirectoryPicker,
  closePageWhen,
  DESKTOP,
  eventually,
  openPair,
  PHONE,
  reopenPersistent,
  screenshot,
  useBrowserSession,
  waitDirect,
} from './harness';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/**
 * The large file: on Bob's low-memory browser a file saved into a directory commits at 1 MiB,
 * then each time it doubled, so Bob's 10 % mark (1.6 MiB) comes after the first checkpoint and
 * the resume keeps >= 1 MiB. The tab must still close part-way on a fast machine: from the 10 %
 * mark 14.4 MiB remain, ~0.7 s at 20 MB/s, against a 100 ms poll plus one evaluate before
 * close(). (64 MiB moved ~200 MiB over the three tests, 24 MiB at a desktop's 8 MiB checkpoint
 * ~100 MiB.)
 */
const MiB = 1024 * 1024;
const BIG = 16 * MiB;
/** what Bob's browser says its memory is (GiB): diskPlan(0.5) */
const lowMemory = () =>
  Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.5 });
const tree: Record<string, Buffer> = {
  'a-notes.txt': Buffer.from('notes of the trip\n'),
  // two blocks each (FILE_BLOCK_CHUNKS): checked block by block on resume, and sent before
  // video.bin in each test's first part (2 and 3 MB cost ~2 s a test and checked nothing more)
  'b-photo.bin': randomBytes(1_100_000),
  'c/d-map.bin': randomBytes(1_200_000),
  'video.bin': randomBytes(BIG),
};
/**
 * The zip test's folder: a zip starts again whatever was kept, so it needs no checkpoint, only a
 * tab closed part-way (closePageWhen: race-free at any size). The 21 MiB trip sent once and a
 * half there cost ~10 s and checked nothing more.
 */
const zipTree: Record<string, Buffer> = {
  'a-notes.txt': Buffer.from('notes of the trip\n'),
  'c/d-map.bin': randomBytes(1_000_000),
  'video.bin': randomBytes(4 * MiB),
};

type Count = { bytes: number; chunks: number; minIndex: number };
type Debug = {
  __peerboard: {
    sentFiles: Record<string, Count>;
    session: {
      transfers: {
        list(): {
          id: string;
          name: string;
          state: string;
          bytes: number;
          size: number;
          resumeBytes?: number;
        }[];
      };
    };
  };
};
const debugUrl = (link: string) => {
  const u = new URL(link);
  u.searchParams.set('debug', '');
  return u.toString();
};
const transfersOf = (p: Page) =>
  p.evaluate(() => (window as unknown as Debug).__peerboard.session.transfers.list());

/** Rows in the page's resume database (the folder's record and its files'). */
async function resumeRows(): Promise<number> {
  if (!(await indexedDB.databases()).some((d) => d.name === 'peerboard-resume')) return 0;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open('peerboard-resume');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  try {
    if (!db.objectStoreNames.contains('partials')) return 0;
    return await new Promise<number>((resolve) => {
      const q = db.transaction('partials').objectStore('partials').count();
      q.onsuccess = () => resolve(q.result);
    });
  } finally {
    db.close();
  }
}

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

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'peerboard-folders-resume-'));
  for (const [folder, files] of [
    ['trip', tree],
    ['zip-trip', zipTree],
  ] as const)
    for (const [rel, bytes] of Object.entries(files)) {
      const file = path.join(dir, folder, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
    }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('folders: saving into a directory resumes per file after the receiver closes the tab', () => {
  const session = useBrowserSession();

  /**
   * Alice shares the folder, Bob saves it "to a folder" and closes his tab once the small files
   * are in and video.bin is past 10 % (and past a checkpoint: its record is written). Alice's
   * per-file chunk counts start from zero after that.
   */
  async function partway() {
    const {
      alice,
      bob: opened,
      roomLink,
    } = await openPair(session, {
      start: '/?debug',
      bobUrl: debugUrl,
      bob: {
        prepare: async (c: BrowserContext) => {
          await c.addInitScript(lowMemory);
          await answerDirectoryPicker(c);
        },
      },
    });
    const { page: a, errors: aErrors } = alice;
    const b1 = opened.page;

    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'trip'));
    await a
      .locator('li.folder-item[data-direction="out"][data-state="offered"]', { hasText: 'trip' })
      .waitFor({ timeout: 60_000 });

    await b1.getByRole('tab', { name: /Files/ }).click();
    const item1 = b1.locator('li.folder-item[data-direction="in"]');
    await item1.getByRole('button', { name: 'Save to a folder…' }).click();
    // the small files are in, the large one past a checkpoint (its record is written)
    await eventually(
      'Bob: small files done, video.bin past 10 % with a record',
      async () => {
        const list = await transfersOf(b1);
        const smallDone = list.filter((t) => t.name !== 'video.bin' && t.state === 'done');
        const big = list.find((t) => t.name === 'video.bin');
        return (
          smallDone.length === 3 &&
          big?.state === 'receiving' &&
          big.bytes >= 0.1 * big.size &&
          (await b1.evaluate(resumeRows)) >= 2
        );
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const before = await transfersOf(b1);
    const doneIds = before.filter((t) => t.state === 'done').map((t) => t.id);
    const bigId = before.find((t) => t.name === 'video.bin')!.id;
    await b1.close();
    // from here on, count what Alice sends
    await a.evaluate(() => {
      const sent = (window as unknown as Debug).__peerboard.sentFiles;
      for (const k of Object.keys(sent)) delete sent[k];
    });

    return { a, aErrors, alice, roomLink, opened, doneIds, bigId };
  }

  test('Bob closes the tab part-way, reopens, resumes in the same directory: files already there are not sent again, every SHA-256 matches', async () => {
    const { a, aErrors, roomLink, opened, doneIds, bigId } = await partway();

    // Bob opens the link again in the same browser profile
    const { page: b2, errors } = await reopenPersistent(opened.context, debugUrl(roomLink));
    await waitDirect(b2, 'Alice');
    await b2.getByRole('tab', { name: /Files/ }).click();
    const item = b2.locator('li.folder-item[data-direction="in"]');
    const resume = item.getByRole('button', { name: 'Resume in "trip"' });
    await resume.waitFor({ timeout: 30_000 });
    expect(await item.locator('.file-error[data-kind="note"]').textContent()).toBe(
      'You were saving this folder into "trip" when the page closed. Resume checks the files already there and fetches only what is missing; a file that was part-way continues from its last saved point (a small one starts again).',
    );
    expect(await item.getByRole('button', { name: 'Save to a folder…' }).count()).toBe(0);
    const kept = (await transfersOf(b2)).find((t) => t.id === bigId)?.resumeBytes ?? 0;
    expect(kept).toBeGreaterThanOrEqual(1 * MiB);
    await screenshot(b2, 'folders-resume-offer-light');
    await b2.setViewportSize(PHONE);
    await b2.getByRole('tab', { name: /Files/ }).click();
    await resume.waitFor();
    await screenshot(b2, 'folders-resume-offer-phone');
    await b2.setViewportSize(DESKTOP);
    await b2.getByRole('tab', { name: /Files/ }).click();

    await resume.click();
    await eventually(
      'folder done',
      async () => (await item.getAttribute('data-state')) === 'done',
      { timeoutMs: 180_000 },
    );
    expect(await item.locator('.file-error').textContent()).toBe(
      'Saved in "trip", where you were saving it before.',
    );
    await screenshot(b2, 'folders-resume-done-light');

    // the same directory, whole: no second copy, every file as on Alice's disk
    expect(await opfsTree(b2)).toEqual(
      Object.fromEntries(Object.entries(tree).map(([rel, bytes]) => [`trip/${rel}`, sha(bytes)])),
    );
    // Alice sent nothing of the files Bob already had, and the large one only after his kept part
    const sent = await a.evaluate(() => (window as unknown as Debug).__peerboard.sentFiles);
    expect(doneIds.length).toBe(3);
    for (const id of doneIds) expect(sent[id]).toBeUndefined();
    expect(Object.keys(sent)).toEqual([bigId]);
    const { bytes, minIndex } = sent[bigId]!;
    expect(minIndex * FILE_CHUNK_BYTES).toBeGreaterThanOrEqual(kept);
    expect(bytes).toBe(BIG - minIndex * FILE_CHUNK_BYTES);
    // the folder's record is gone once it is finished: a later visit offers no Resume
    await eventually('records dropped', async () => (await b2.evaluate(resumeRows)) === 0);
    expect(errors).toEqual([]);
    expect(aErrors).toEqual([]);
  }, 400_000);

  test('saved as a zip (no directory picker): after the reload Bob is told plainly that the folder starts again, and it does', async () => {
    const {
      alice: { page: a },
      bob: opened,
      roomLink,
    } = await openPair(session, {
      bobUrl: debugUrl,
      bob: {
        // as in Firefox or Safari: no directory picker, no save picker
        prepare: (c: BrowserContext) =>
          c.addInitScript(() => {
            const w = window as { showDirectoryPicker?: unknown; showSaveFilePicker?: unknown };
            delete w.showDirectoryPicker;
            delete w.showSaveFilePicker;
          }),
      },
    });
    const b1 = opened.page;
    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'zip-trip'));
    await b1.getByRole('tab', { name: /Files/ }).click();
    const item1 = b1.locator('li.folder-item[data-direction="in"]');
    // the tab ends the moment video.bin is coming in and the folder's record is written
    const ending = await closePageWhen(
      b1,
      async () => {
        const list = (window as unknown as Debug).__peerboard.session.transfers.list();
        const big = list.find((t) => t.name === 'video.bin');
        if (big?.state === 'done') return 'late';
        return big?.state === 'receiving' && big.bytes > 0 && (await resumeRows()) >= 1
          ? 'partway'
          : null;
      },
      { helpers: { resumeRows } },
    );
    await item1.getByRole('button', { name: 'Save as zip' }).click();
    expect(await ending.ended).toBe('partway');

    const { page: b2, errors } = await reopenPersistent(opened.context, debugUrl(roomLink));
    await waitDirect(b2, 'Alice');
    await b2.getByRole('tab', { name: /Files/ }).click();
    const item = b2.locator('li.folder-item[data-direction="in"]');
    const note = item.locator('.file-error[data-kind="note"]');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toBe(
      'You were saving this folder as a zip when the page closed. A half-written zip cannot be continued, so saving it starts again from the beginning.',
    );
    expect(await item.getByRole('button', { name: /^Resume/ }).count()).toBe(0);
    await screenshot(b2, 'folders-resume-zip-light');
    await item.getByRole('button', { name: 'Save as zip' }).click();
    await eventually(
      'folder done',
      async () => (await item.getAttribute('data-state')) === 'done',
      { timeoutMs: 180_000 },
    );
    expect(await item.getByRole('button', { name: 'Save zip' }).isVisible()).toBe(true);
    await eventually('records dropped', async () => (await b2.evaluate(resumeRows)) === 0);
    expect(errors).toEqual([]);
  }, 400_000);

  test('Alice left too and shares the folder again once Bob is back: Bob resumes it, only the rest of video.bin is sent', async () => {
    const { a, alice, roomLink, opened } = await partway();
    await a.close();

    const { page: b2, errors } = await reopenPersistent(opened.context, debugUrl(roomLink));
    // Alice comes back (same browser) and shares the same folder again: new folder and file ids
    const { page: a2, errors: aErrors } = await reopenPersistent(alice.context, debugUrl(roomLink));
    await waitDirect(a2, 'Bob');
    await waitDirect(b2, 'Alice');
    await a2.getByRole('tab', { name: 'Files' }).click();
    await a2.getByLabel('Choose a folder to share').setInputFiles(path.join(dir, 'trip'));

    await b2.getByRole('tab', { name: /Files/ }).click();
    const item = b2.locator('li.folder-item[data-direction="in"]');
    const resume = item.getByRole('button', { name: 'Resume in "trip"' });
    await resume.waitFor({ timeout: 60_000 });
    await resume.click();
    await eventually(
      'folder done',
      async () => (await item.getAttribute('data-state')) === 'done',
      { timeoutMs: 180_000 },
    );
    expect(await opfsTree(b2)).toEqual(
      Object.fromEntries(Object.entries(tree).map(([rel, bytes]) => [`trip/${rel}`, sha(bytes)])),
    );
    const list = await transfersOf(b2);
    const bigId = list.find((t) => t.name === 'video.bin')!.id;
    const sent = await a2.evaluate(() => (window as unknown as Debug).__peerboard.sentFiles);
    expect(Object.keys(sent)).toEqual([bigId]);
    const { bytes, minIndex } = sent[bigId]!;
    expect(minIndex * FILE_CHUNK_BYTES).toBeGreaterThanOrEqual(1 * MiB);
    expect(bytes).toBe(BIG - minIndex * FILE_CHUNK_BYTES);
    expect(errors).toEqual([]);
    expect(aErrors).toEqual([]);
  }, 400_000);
});
