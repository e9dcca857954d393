/**
 * A download that survives the receiver's tab, through the UI of the built client: Alice shares
 * a 10 MiB file, Bob accepts and his tab ends part-way (closePageWhen: stopped the moment it is
 * past a checkpoint and closed from there, so part-way on any machine), opens the link
 * again in the same browser profile (its origin private file system and IndexedDB stay), sees
 * "Resume (N MB of 10 MB)", resumes, and ends with a file whose SHA-256 matches Alice's. Alice's
 * page counts every chunk it sends (?debug): after the reload nothing before Bob's kept part is
 * sent.
 *
 * Bob's browser is a low-memory phone's (`navigator.deviceMemory` 0.5 GiB, a value Chrome
 * reports on such devices): it keeps files up to 8 MiB in memory and streams larger ones to disk
 * in 2 MiB segments, a picked file first checkpointed at 4 MiB (core transfer/diskPlan.ts). A
 * desktop streams from 64 MiB in 16 MiB steps: the same code with larger steps, which made this
 * file move ~240 MiB; a 24 MiB file closed by a racing poll ~80; now ~25.
 *
 * Two ways Bob's browser keeps the file:
 * - no save picker (deleted before the page loads, as in Firefox or Safari): the origin private
 *   file system, in committed segments; the finished file is saved with a real download;
 * - a save picker that hands out a file handle: the headless browser cannot show the dialog, so
 *   the picker returns a handle from the origin private file system, which has the same
 *   FileSystemFileHandle API (createWritable with keepExistingData, seek, truncate, permissions,
 *   stored in IndexedDB). The code path is the picked-file one: checkpoints, the handle in the
 *   record, the permission check and the reopen at the kept offset.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DESKTOP,
  eventually,
  closePageWhen,
  openPair,
  PHONE,
  reopenPersistent,
  screenshot,
  useBrowserSession,
  waitDirect,
} from './harness';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;
/** above the 8 MiB Bob's browser keeps in memory: streamed to disk, resumable */
const SIZE = 10 * MiB;
/** what Bob's browser says its memory is (GiB): diskPlan(0.5) */
const lowMemory = () =>
  Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.5 });
type Sent = Record<string, { bytes: number; chunks: number; minIndex: number }>;
type Debug = {
  __peerboard: {
    sent: Sent;
    session: { transfers: { list(): { resumeBytes?: number; bytes: number; state: string }[] } };
  };
};
const debugUrl = (link: string) => {
  const u = new URL(link);
  u.searchParams.set('debug', '');
  return u.toString();
};
const incoming = (p: Page) =>
  p.locator('li.file-item[data-direction="in"]', { hasText: 'film.bin' });

/** Rows in the page's resume database (opened only once the app has created it). */
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

let dir = '';
let data: Buffer;
let file = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'peerboard-resume-e2e-'));
  data = randomBytes(SIZE);
  file = path.join(dir, 'film.bin');
  await writeFile(file, data);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('files: a download resumes after the receiver closes the tab', () => {
  const session = useBrowserSession();

  /**
   * Alice shares, Bob (his browser set up by `bobScript`) accepts, his tab ends past 4 MiB,
   * reopens the link and resumes. Returns Bob's new page once done, and checks what Alice sent.
   */
  async function closeAndResume(bobScript: () => void, shots: string | null) {
    const {
      alice,
      bob: opened,
      roomLink,
    } = await openPair(session, {
      start: '/?debug',
      bobUrl: debugUrl,
      bob: {
        acceptDownloads: true,
        prepare: async (c: BrowserContext) => {
          await c.addInitScript(lowMemory);
          await c.addInitScript(bobScript);
        },
      },
    });
    const a = alice.page;
    const b1 = opened.page;

    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose files to share').setInputFiles(file);
    const aliceItem = a.locator('li.file-item[data-direction="out"]', { hasText: 'film.bin' });
    await aliceItem.locator('.file-state[data-state="offered"]').waitFor({ timeout: 60_000 });

    await b1.getByRole('tab', { name: /Files/ }).click();
    // past a checkpoint (two OPFS segments of 2 MiB, a picked file's first at 4 MiB): the page
    // has written its resume record; the tab ends right there, with what it had
    const ending = await closePageWhen(
      b1,
      async () => {
        const rows = await resumeRows();
        const t = (window as unknown as Debug).__peerboard.session.transfers.list()[0];
        if (t?.state === 'done') return 'late';
        return t?.state === 'receiving' && t.bytes >= 4 * 1024 * 1024 && rows > 0 && 'partway';
      },
      { helpers: { resumeRows } },
    );
    await incoming(b1).getByRole('button', { name: 'Accept' }).click();
    expect(await ending.ended).toBe('partway');
    await aliceItem.locator('.receiver[data-state="left"]').waitFor({ timeout: 30_000 });
    // from here on, count what Alice sends
    await a.evaluate(() => {
      const sent = (window as unknown as Debug).__peerboard.sent;
      for (const k of Object.keys(sent)) delete sent[k];
    });

    // Bob opens the link again in the same browser profile; it remembers his name
    const { page: b2, errors } = await reopenPersistent(opened.context, debugUrl(roomLink));
    await waitDirect(b2, 'Alice');
    await b2.getByRole('tab', { name: /Files/ }).click();
    const resume = incoming(b2).getByRole('button', {
      name: /^Resume \(\d+(\.\d)? MB of 10 MB\)$/,
    });
    await resume.waitFor({ timeout: 30_000 });
    const kept = await b2.evaluate(
      () => (window as unknown as Debug).__peerboard.session.transfers.list()[0]?.resumeBytes ?? 0,
    );
    // at least one low-memory segment, so the resume really starts from the disk
    expect(kept).toBeGreaterThanOrEqual(2 * MiB);
    if (shots) {
      await screenshot(b2, `${shots}-offer-light`);
      await b2.setViewportSize(PHONE);
      await screenshot(b2, `${shots}-offer-phone`);
      await b2.setViewportSize(DESKTOP);
    }

    await resume.click();
    await eventually(
      'Bob done',
      async () => (await incoming(b2).getAttribute('data-state')) === 'done',
      { timeoutMs: 180_000 },
    );

    // Alice sent Bob only what lies after his kept part, each chunk once
    const sent = await a.evaluate(() => (window as unknown as Debug).__peerboard.sent);
    const counts = Object.values(sent);
    expect(counts.length).toBe(1);
    const { bytes, minIndex } = counts[0]!;
    expect(minIndex * FILE_CHUNK_BYTES).toBeGreaterThanOrEqual(kept);
    expect(bytes).toBe(SIZE - minIndex * FILE_CHUNK_BYTES);
    expect(errors).toEqual([]);
    return b2;
  }

  test('no save picker (private file system): Bob closes the tab part-way, reopens, resumes; the download hash-matches and kept bytes are not resent', async () => {
    const b2 = await closeAndResume(() => {
      delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    }, 'files-resume');
    const [download] = await Promise.all([
      b2.waitForEvent('download'),
      incoming(b2).getByRole('button', { name: 'Save' }).click(),
    ]);
    const saved = await readFile((await download.path())!);
    expect(saved.length).toBe(SIZE);
    expect(sha(saved)).toBe(sha(data));
    await screenshot(b2, 'files-resume-done-light');
  }, 400_000);

  test('a picked file: the download continues in the same file after the reload; its bytes hash-match', async () => {
    const b2 = await closeAndResume(() => {
      (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async () =>
        (await navigator.storage.getDirectory()).getFileHandle('picked-film.bin', {
          create: true,
        });
    }, null);
    await incoming(b2).getByText('Saved to your disk').waitFor();
    const digest = await b2.evaluate(async () => {
      const f = await (
        await (await navigator.storage.getDirectory()).getFileHandle('picked-film.bin')
      ).getFile();
      const d = await crypto.subtle.digest('SHA-256', await f.arrayBuffer());
      return [...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, '0')).join('');
    });
    expect(digest).toBe(sha(data));
  }, 400_000);
});
