/**
 * The cli -> chromium row of `pnpm bench cli`: `peerboard send FILE` (a process) to headless
 * Chromium receiving through the app's UI (the built web/dist served by `peerboard serve`),
 * beside a raw reference from the same run: a @roamhq/wrtc data channel in this process to an
 * RTCDataChannel in the same page, the same bytes in 64 KiB messages.
 *
 * App figure: from the Accept click to the item's `data-state="done"` (every block and the whole
 * SHA-256 verified). The click waits until the sender has surely finished hashing (three times
 * this process's own SHA-256 time of the file, plus 1 s), so hashing is not in the figure. The
 * page has no showSaveFilePicker (removed before load; headless Chromium cannot answer its
 * dialog), so files up to 64 MiB are assembled in memory and larger ones go to the origin
 * private file system, as in a browser without the picker.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
const require = createRequire(import.meta.url);
// playwright-core is the web package's (E2E) dependency: resolve it from there
const { chromium } = createRequire(path.join(WEB_DIR, 'package.json'))(
  'playwright-core',
) as typeof import('playwright-core');

interface Channel {
  readyState: string;
  bufferedAmount: number;
  send(data: Uint8Array): void;
  onopen: (() => void) | null;
}
interface Pc {
  createDataChannel(label: string, o: { ordered: boolean }): Channel;
  createOffer(): Promise<unknown>;
  setLocalDescription(d: unknown): Promise<void>;
  setRemoteDescription(d: unknown): Promise<void>;
  localDescription: { type: string; sdp: string };
  iceGatheringState: string;
  onicegatheringstatechange: (() => void) | null;
  close(): void;
}
const { RTCPeerConnection } = require('@roamhq/wrtc') as {
  RTCPeerConnection: new (c: { iceServers: [] }) => Pc;
};

export interface CliChromiumResult {
  rawMBs: number;
  appMBs: number;
  /** from starting `send` to the browser's verified copy (joining and hashing included) */
  endToEndS: number;
}

type Page = import('playwright-core').Page;

/** The page's end of the raw reference: answers the offer, counts the bytes that arrive. */
const BROWSER_ANSWER = `async (offer) => {
  const b = new RTCPeerConnection();
  window.rawGot = 0;
  window.rawPc = b;
  b.ondatachannel = (e) => {
    e.channel.binaryType = 'arraybuffer';
    e.channel.onmessage = (m) => { window.rawGot += m.data.byteLength; };
  };
  await b.setRemoteDescription(offer);
  await b.setLocalDescription(await b.createAnswer());
  if (b.iceGatheringState !== 'complete')
    await new Promise((r) => b.addEventListener('icegatheringstatechange', () => {
      if (b.iceGatheringState === 'complete') r();
    }));
  return { type: b.localDescription.type, sdp: b.localDescription.sdp };
}`;

/** MB/s of one @roamhq/wrtc data channel from this process into the page. */
async function rawToPage(page: Page, total: number): Promise<number> {
  const pc = new RTCPeerConnection({ iceServers: [] });
  const dc = pc.createDataChannel('raw', { ordered: true });
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete')
    await new Promise<void>((r) => {
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r();
    });
  // in the page (a string: this package has no DOM types)
  const answer = (await page.evaluate(
    `(${BROWSER_ANSWER})(${JSON.stringify(pc.localDescription)})`,
  )) as { type: string; sdp: string };
  const open = new Promise<void>((r) => (dc.onopen = r));
  await pc.setRemoteDescription(answer);
  await open;
  const message = randomFillSync(new Uint8Array(64 * 1024));
  const t0 = performance.now();
  for (let sent = 0; sent < total; sent += message.length) {
    // @roamhq/wrtc does not fire bufferedamountlow reliably: wait by looking
    while (dc.bufferedAmount > MiB) await new Promise((r) => setTimeout(r, 1));
    dc.send(message.subarray(0, Math.min(message.length, total - sent)));
  }
  // a function, not a string: the app's CSP has no 'unsafe-eval'
  await page.waitForFunction(
    (n: number) => (globalThis as unknown as { rawGot: number }).rawGot >= n,
    total,
    { polling: 20, timeout: 0 },
  );
  const seconds = (performance.now() - t0) / 1000;
  await page.evaluate('window.rawPc.close()');
  pc.close();
  return total / 1e6 / seconds;
}

export async function cliToChromium(o: {
  origin: string;
  file: string;
  runCli: (args: string[]) => { exited: Promise<number | null>; out(): string };
}): Promise<CliChromiumResult> {
  if (!(await fs.stat(path.join(WEB_DIR, 'dist', 'index.html')).catch(() => null)))
    throw new Error('build the app first: npx -y pnpm@10 --filter @peerboard/web build');
  const total = (await fs.stat(o.file)).size;
  const t = performance.now();
  createHash('sha256')
    .update(await fs.readFile(o.file))
    .digest();
  const hashMs = performance.now() - t;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  });
  try {
    const context = await browser.newContext();
    await context.addInitScript('delete window.showSaveFilePicker');
    const page = await context.newPage();
    await page.goto(`${o.origin}/`);
    const rawMBs = await rawToPage(page, total);

    await page.getByLabel('Your name').fill('Browser');
    await page.getByRole('button', { name: 'Create a room' }).click();
    await page.waitForURL(/\/r\//);
    const link = page.url();
    await page.getByRole('tab', { name: /Files/ }).click();
    const started = performance.now();
    const sender = o.runCli(['send', o.file, link, '--name', 'Terminal']);
    const item = page.locator('li.file-item[data-direction="in"]');
    const accept = item.getByRole('button', { name: 'Accept' });
    await accept.waitFor({ timeout: 120_000 });
    const hashedBy = started + 3 * hashMs + 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, hashedBy - performance.now())));
    const t0 = performance.now();
    await accept.click();
    await page.waitForSelector('li.file-item[data-direction="in"][data-state="done"]', {
      timeout: 0,
    });
    const t1 = performance.now();
    const code = await sender.exited;
    if (code !== 0) throw new Error(`send exited ${code}:\n${sender.out()}`);
    return {
      rawMBs,
      appMBs: total / 1e6 / ((t1 - t0) / 1000),
      endToEndS: (t1 - started) / 1000,
    };
  } finally {
    await browser.close();
  }
}
