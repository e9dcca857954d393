/**
 * A download that survives the receiver's tab, through the UI of the built client: Alice shares
 * an 80 MiB file, Bob accepts and closes his tab part-way (`page.close()`), opens the link again
 * in the same browser profile (its origin private file system and IndexedDB stay), sees
 * "Resume (N MB of 84 MB)", resumes, and saves a file whose SHA-256 matches Alice's. Alice's page
 * counts every chunk it sends (?debug): after the reload nothing before Bob's kept part is sent.
 *
 * Bob's browser has no save picker (deleted before the page loads, as in Firefox or Safari): the
 * file goes to the origin private file system, the path a headless browser can drive. The
 * picker path (resume in the picked file) is not driven here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  collectPageErrors,
  createRoom,
  DESKTOP,
  eventually,
  joinRoom,
  openApp,
  openInNewContext,
  PHONE,
  screenshot,
  useBrowserSession,
  waitDirect,
} from './harness';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const SIZE = 80 * 1024 * 1024;
type Sent = Record<string, { bytes: number; chunks: number; minIndex: number }>;
const debugUrl = (link: string) => {
  const u = new URL(link);
  u.searchParams.set('debug', '');
  return u.toString();
};
const incoming = (p: Page) =>
  p.locator('li.file-item[data-direction="in"]', { hasText: 'film.bin' });

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('files: a download resumes after the receiver closes the tab', () => {
  const session = useBrowserSession();

  test('Bob closes the tab part-way, reopens the link, resumes; bytes hash-match, kept bytes are not resent', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'peerboard-resume-e2e-'));
    const data = randomBytes(SIZE);
    const file = path.join(dir, 'film.bin');
    await writeFile(file, data);

    const { page: a } = await openInNewContext(session.browser, session.app.origin + '/?debug', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    const roomLink = await createRoom(a, 'Alice');
    const { context: bob, page: b1 } = await openInNewContext(session.browser, debugUrl(roomLink), {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
      acceptDownloads: true,
      prepare: (c) =>
        c.addInitScript(() => {
          delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
        }),
    });
    await joinRoom(b1, 'Bob');
    await waitDirect(a, 'Bob');
    await waitDirect(b1, 'Alice');

    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose files to share').setInputFiles(file);
    const aliceItem = a.locator('li.file-item[data-direction="out"]', { hasText: 'film.bin' });
    await aliceItem.locator('.file-state[data-state="offered"]').waitFor({ timeout: 60_000 });

    await b1.getByRole('tab', { name: /Files/ }).click();
    await incoming(b1).getByRole('button', { name: 'Accept' }).click();
    // past two committed segments (16 MiB each), then the tab goes
    await eventually(
      'Bob past 40 MB',
      async () =>
        Number(await incoming(b1).locator('[role="progressbar"]').getAttribute('aria-valuenow')) >=
        50,
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    await b1.close();
    await aliceItem.locator('.receiver[data-state="left"]').waitFor({ timeout: 30_000 });
    // from here on, count what Alice sends
    await a.evaluate(() => {
      const sent = (window as unknown as { __peerboard: { sent: Sent } }).__peerboard.sent;
      for (const k of Object.keys(sent)) delete sent[k];
    });

    // Bob opens the link again in the same browser profile
    const b2 = await bob.newPage();
    const errors = collectPageErrors(b2);
    // the browser remembers Bob's name: the link opens the room at once
    await openApp(b2, debugUrl(roomLink), errors);
    await waitDirect(b2, 'Alice');
    await b2.getByRole('tab', { name: /Files/ }).click();
    const resume = incoming(b2).getByRole('button', {
      name: /^Resume \(\d+(\.\d)? MB of 84 MB\)$/,
    });
    await resume.waitFor({ timeout: 30_000 });
    const kept = await b2.evaluate(
      () =>
        (
          window as unknown as {
            __peerboard: { session: { transfers: { list(): { resumeBytes?: number }[] } } };
          }
        ).__peerboard.session.transfers.list()[0]?.resumeBytes ?? 0,
    );
    expect(kept).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    await screenshot(b2, 'files-resume-offer-light');
    await b2.setViewportSize(PHONE);
    await screenshot(b2, 'files-resume-offer-phone');
    await b2.setViewportSize(DESKTOP);

    await resume.click();
    await eventually(
      'Bob done',
      async () => (await incoming(b2).getAttribute('data-state')) === 'done',
      {
        timeoutMs: 180_000,
      },
    );
    const [download] = await Promise.all([
      b2.waitForEvent('download'),
      incoming(b2).getByRole('button', { name: 'Save' }).click(),
    ]);
    const saved = await readFile((await download.path())!);
    expect(saved.length).toBe(SIZE);
    expect(sha(saved)).toBe(sha(data));
    await screenshot(b2, 'files-resume-done-light');

    // Alice sent Bob only what lies after his kept part, each chunk once
    const sent = await a.evaluate(
      () => (window as unknown as { __peerboard: { sent: Sent } }).__peerboard.sent,
    );
    const counts = Object.values(sent);
    expect(counts.length).toBe(1);
    const { bytes, minIndex } = counts[0]!;
    expect(minIndex * FILE_CHUNK_BYTES).toBeGreaterThanOrEqual(kept);
    expect(bytes).toBe(SIZE - minIndex * FILE_CHUNK_BYTES);
    expect(errors).toEqual([]);
  }, 400_000);
});
