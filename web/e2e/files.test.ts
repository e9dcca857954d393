/**
 * File sharing through the UI of the built client: Alice picks a file (the file picker), Bob
 * accepts it in the Files tab, sees the progress, saves it, and the saved bytes hash-match what
 * Alice picked. A second file is dropped on the room page (a real drop event with a
 * DataTransfer) and shows up at Bob as an offer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, openPair, PHONE, screenshot, useBrowserSession } from './harness';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// The picked file is on disk, as a person's would be: handed to setInputFiles as a buffer, its
// 24 MiB went to the browser base64 over the protocol (over 30 s on a loaded machine).
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'peerboard-files-e2e-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('files: two browser contexts', () => {
  const session = useBrowserSession();

  test('pick a file in one context, accept in the other: progress shown, bytes hash-match', async () => {
    const { alice, bob } = await openPair(session, {
      bob: { colorScheme: 'dark', acceptDownloads: true },
    });
    const { page: a, errors: aErrors } = alice;
    const { page: b, errors: bErrors } = bob;

    // Alice picks a 24 MiB file in the Files tab.
    const data = randomBytes(24 * 1024 * 1024);
    const picked = path.join(dir, 'holiday-video.bin');
    await writeFile(picked, data);
    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose files to share').setInputFiles(picked);
    const aliceItem = a.locator('li.file-item[data-direction="out"]');
    await aliceItem.filter({ hasText: 'holiday-video.bin' }).waitFor();

    // Bob sees the offer (tab badge, then the item with Accept / Decline).
    await eventually("badge on Bob's Files tab", async () =>
      (await b.getByRole('tab', { name: /Files/ }).textContent())?.includes('1'),
    );
    await b.getByRole('tab', { name: /Files/ }).click();
    const item = b.locator('li.file-item[data-direction="in"]', { hasText: 'holiday-video.bin' });
    await item.waitFor();
    await item.getByRole('button', { name: 'Decline' }).waitFor();
    expect(await item.locator('.file-state').textContent()).toBe('Offered');
    await screenshot(b, 'files-offer-dark');

    // Record every progress value Bob's page shows while receiving.
    await b.evaluate(() => {
      const seen: number[] = ((window as unknown as { __progress: number[] }).__progress = []);
      new MutationObserver(() => {
        for (const el of document.querySelectorAll(
          'li.file-item[data-direction="in"] [role="progressbar"]',
        ))
          seen.push(Number(el.getAttribute('aria-valuenow')));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await item.getByRole('button', { name: 'Accept' }).click();
    await eventually(
      'progress bar visible',
      () => item.locator('[role="progressbar"]').isVisible(),
      {
        timeoutMs: 30_000,
        intervalMs: 20,
      },
    );
    // before a speed is measured the file says it is starting, never "paused" (nobody paused it)
    expect(await item.locator('.file-stats').textContent()).toMatch(/starting…|\/s/);
    await screenshot(b, 'files-receiving-dark');
    await eventually('Bob done', async () => (await item.getAttribute('data-state')) === 'done', {
      timeoutMs: 90_000,
    });
    const seen = await b.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
    expect(
      seen.some((v) => v > 0 && v < 100),
      `progress values seen: ${seen.slice(0, 20)}`,
    ).toBe(true);

    // Save: a real download; its bytes hash-match what Alice picked.
    const [download] = await Promise.all([
      b.waitForEvent('download'),
      item.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('holiday-video.bin');
    const saved = await readFile((await download.path())!);
    expect(saved.length).toBe(data.length);
    expect(sha(saved)).toBe(sha(data));
    await screenshot(b, 'files-done-dark');

    // Alice sees Bob received and verified it.
    await eventually(
      'Alice sees Bob done',
      async () => (await aliceItem.locator('.receiver[data-state="done"]').count()) === 1,
    );
    expect(await aliceItem.locator('.receiver-text').textContent()).toBe('Received and verified');
    await screenshot(a, 'files-sender-light');

    // A drop anywhere on the room page offers the dropped file.
    await a.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['hello from a drop'], 'notes.txt', { type: 'text/plain' }));
      const target = document.querySelector('#board') ?? document.body;
      target.dispatchEvent(
        new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }),
      );
    });
    await a.locator('.drop-overlay').waitFor();
    await screenshot(a, 'files-drop-overlay-light');
    await a.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['hello from a drop'], 'notes.txt', { type: 'text/plain' }));
      const target = document.querySelector('#board') ?? document.body;
      target.dispatchEvent(
        new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }),
      );
    });
    await a.locator('.drop-overlay').waitFor({ state: 'detached' });
    const notes = b.locator('li.file-item[data-direction="in"]', { hasText: 'notes.txt' });
    await notes.waitFor();
    await notes.getByRole('button', { name: 'Accept' }).click();
    await eventually('notes done', async () => (await notes.getAttribute('data-state')) === 'done');
    await notes.getByRole('button', { name: 'Open' }).waitFor();

    // Phone layout of the Files panel.
    await b.setViewportSize(PHONE);
    await b.getByRole('tab', { name: /Files/ }).click();
    await b.locator('#panel-files').waitFor();
    await screenshot(b, 'files-phone-dark');
    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });
});
