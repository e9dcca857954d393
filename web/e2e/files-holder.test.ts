/**
 * A late receiver downloads from a holder after the original sender left, through the UI of the
 * built client: Alice shares a file, Bob accepts it and finishes (SHA-256 match), Alice closes
 * her tab (`page.close()`), and only then does Carol open the room link. Carol sees the offer
 * (Bob re-announces it: Alice is not there to), accepts it, and saves a file whose SHA-256
 * matches Alice's. Bob's page counts the chunks it sends (?debug): every chunk of the file went
 * to Carol from Bob, once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FILE_CHUNK_BYTES } from '@peerboard/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createRoom,
  DESKTOP,
  eventually,
  joinRoom,
  openInNewContext,
  screenshot,
  useBrowserSession,
  waitDirect,
} from './harness';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const SIZE = 6 * 1024 * 1024 + 123;
type Sent = Record<string, { bytes: number; chunks: number; minIndex: number }>;
const debugUrl = (link: string) => {
  const u = new URL(link);
  u.searchParams.set('debug', '');
  return u.toString();
};
const incoming = (p: Page) =>
  p.locator('li.file-item[data-direction="in"]', { hasText: 'report.bin' });

// the picked file is on disk (a buffer goes to the browser base64 over the protocol: slow)
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'peerboard-files-holder-e2e-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('files: a holder serves a late receiver after the sender left', () => {
  const session = useBrowserSession();

  test('Alice shares, Bob completes, Alice closes her tab; Carol joins later and downloads it from Bob', async () => {
    const data = randomBytes(SIZE);
    const { page: a } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    const roomLink = await createRoom(a, 'Alice');
    const { page: b, errors: bErrors } = await openInNewContext(
      session.browser,
      debugUrl(roomLink),
      { contexts: session.contexts, viewport: DESKTOP, colorScheme: 'light' },
    );
    await joinRoom(b, 'Bob');
    await waitDirect(a, 'Bob');
    await waitDirect(b, 'Alice');

    const picked = path.join(dir, 'report.bin');
    await writeFile(picked, data);
    await a.getByRole('tab', { name: 'Files' }).click();
    await a.getByLabel('Choose files to share').setInputFiles(picked);
    await b.getByRole('tab', { name: /Files/ }).click();
    await incoming(b).getByRole('button', { name: 'Accept' }).click();
    await eventually(
      'Bob done',
      async () => (await incoming(b).getAttribute('data-state')) === 'done',
      {
        timeoutMs: 90_000,
      },
    );

    // Alice closes her tab; Bob's People list empties
    await a.close();
    await eventually('Alice gone at Bob', async () =>
      b.evaluate(
        () =>
          ![...document.querySelectorAll('#panel-people li.peer .peer-name')].some(
            (n) => n.textContent?.trim() === 'Alice',
          ),
      ),
    );
    await screenshot(b, 'files-holder-bob-light');

    const { page: c, errors: cErrors } = await openInNewContext(session.browser, roomLink, {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'light',
      acceptDownloads: true,
    });
    await joinRoom(c, 'Carol');
    await waitDirect(c, 'Bob');
    await c.getByRole('tab', { name: /Files/ }).click();
    const offer = incoming(c);
    await offer.getByRole('button', { name: 'Accept' }).waitFor({ timeout: 30_000 });
    expect(await offer.locator('.file-sub').textContent()).toContain('from Bob');
    await screenshot(c, 'files-holder-offer-light');
    await offer.getByRole('button', { name: 'Accept' }).click();
    await eventually(
      'Carol done',
      async () => (await offer.getAttribute('data-state')) === 'done',
      {
        timeoutMs: 90_000,
      },
    );
    const [download] = await Promise.all([
      c.waitForEvent('download'),
      offer.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('report.bin');
    const saved = await readFile((await download.path())!);
    expect(saved.length).toBe(SIZE);
    expect(sha(saved)).toBe(sha(data));
    await screenshot(c, 'files-holder-done-light');

    // every chunk Carol got came from Bob, each once
    const sent = await b.evaluate(
      () => (window as unknown as { __peerboard: { sent: Sent } }).__peerboard.sent,
    );
    const counts = Object.values(sent);
    expect(counts).toHaveLength(1);
    expect(counts[0]).toEqual({
      bytes: SIZE,
      chunks: Math.ceil(SIZE / FILE_CHUNK_BYTES),
      minIndex: 0,
    });
    expect(bErrors).toEqual([]);
    expect(cErrors).toEqual([]);
  }, 240_000);
});
