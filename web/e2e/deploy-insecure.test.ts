/**
 * Peerboard opened the way people open it on a LAN: from another machine, by address. The server
 * runs in the test host `srv` (10.77.1.1) and Chromium in `pa` (10.77.1.2), network namespaces of
 * this machine (signal-server/test/kit/netns.ts), so the page is a real non-localhost origin.
 *
 * Over plain http that page is not a secure context (no crypto.subtle, no getUserMedia): creating
 * a protected room must explain what is wrong and offer an open room (it used to throw
 * "Cannot read properties of undefined (reading 'digest')" from a button that then did nothing),
 * the open room must work, and the Call tab must say calls need HTTPS.
 * Over https (TLS_CERT_FILE / TLS_KEY_FILE, self-signed) the default protected room works.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { netnsUp, SRV_A, type Topology } from '../../signal-server/test/kit/netns';
import { spawnServer, type ServerProcess } from '../../signal-server/test/kit/serverProcess';
import { makeTestCertificate, type TestCertificate } from '../../signal-server/test/kit/certs';
import {
  createRoom,
  joinRoom,
  launchBrowser,
  openInNewContext,
  screenshot,
  WEB_DIST,
} from './harness';

const CONNECT_TIMEOUT_MS = 45_000;

/** Chromium logs, as a console error, that it ignores the server's COOP header on plain http. */
const appErrors = (errors: string[]) =>
  errors.filter((e) => !e.includes('Cross-Origin-Opener-Policy header has been ignored'));

/** link state of `name` in the People panel, null while not listed */
const peerState = (page: Page, name: string) =>
  page.evaluate((peerName) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')];
    const row = rows.find((li) => li.querySelector('.peer-name')?.textContent?.trim() === peerName);
    return row?.dataset.state ?? null;
  }, name);

interface Site {
  net: Topology;
  server: ServerProcess;
  browser: Browser;
  contexts: BrowserContext[];
  origin: string;
}

/** srv serves the built app (on https when `cert` is given); Chromium runs in pa. */
function useLanSite(cert?: () => TestCertificate): () => Site {
  let site: Site | undefined;
  beforeAll(async () => {
    const net = netnsUp();
    try {
      const tls = cert?.();
      const server = spawnServer({
        env: {
          HOST: SRV_A,
          PORT: '8443',
          STATIC_DIR: WEB_DIST,
          ...(tls ? { TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile } : {}),
        },
        spawner: (c, a, o) => net.spawnIn('srv', c, a, o),
      });
      await server.listening();
      const browser = await launchBrowser({
        executablePath: net.wrapper('pa', '/usr/bin/chromium'),
        extraArgs: tls ? ['--ignore-certificate-errors'] : [],
      });
      const scheme = tls ? 'https' : 'http';
      site = { net, server, browser, contexts: [], origin: `${scheme}://${SRV_A}:8443` };
    } catch (e) {
      net.down();
      throw e;
    }
  });
  afterAll(async () => {
    if (site === undefined) return;
    for (const c of site.contexts) await c.close().catch(() => undefined);
    await site.browser.close().catch(() => undefined);
    await site.server.stop();
    site.net.down();
  });
  return () => {
    if (site === undefined) throw new Error('the LAN site is not up');
    return site;
  };
}

describe('plain http from another machine (not a secure context)', () => {
  const site = useLanSite();

  test('Create a room explains why a protected room cannot be made and offers an open one', async () => {
    const { browser, contexts, origin } = site();
    const { page: a, errors } = await openInNewContext(browser, origin + '/', { contexts });
    expect(await a.evaluate(() => [isSecureContext, typeof crypto.subtle])).toEqual([
      false,
      'undefined',
    ]);
    await a.getByLabel('Your name').fill('Ann');
    await a.getByRole('button', { name: 'Create a room' }).click();

    const problem = a.locator('[data-problem="insecure"]');
    await expect.poll(() => problem.isVisible()).toBe(true);
    const text = await problem.innerText();
    expect(text).toContain('Protected rooms need a secure page');
    expect(text).toContain(`plain http at ${origin}`);
    expect(text).toContain('https');
    expect(text).toContain('localhost');
    expect(new URL(a.url()).pathname).toBe('/'); // nothing half-created
    await screenshot(a, 'deploy-insecure-create-room');
    expect(appErrors(errors)).toEqual([]);

    // the offered way out works: an open room, joined by a second person, peers connect
    await problem.getByRole('button', { name: 'Create an open room' }).click();
    await a.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    const link = a.url();
    expect(link).not.toContain('#k=');
    const { page: b } = await openInNewContext(browser, link, { contexts });
    await joinRoom(b, 'Bob');
    await expect.poll(() => peerState(a, 'Bob'), { timeout: CONNECT_TIMEOUT_MS }).toBe('direct');
    await expect.poll(() => peerState(b, 'Ann'), { timeout: CONNECT_TIMEOUT_MS }).toBe('direct');

    // the Call tab says what a call needs instead of offering a Start button that must fail
    await a.getByRole('tab', { name: 'Call' }).click();
    const call = a.locator('[data-call="needs-https"]');
    await expect.poll(() => call.isVisible()).toBe(true);
    expect(await call.innerText()).toContain('Calls need HTTPS');
    expect(await a.getByRole('button', { name: 'Start call' }).count()).toBe(0);
    await screenshot(a, 'deploy-insecure-call');
    expect(appErrors(errors)).toEqual([]);
  });
});

describe('https from another machine (TLS_CERT_FILE, self-signed)', () => {
  let cert: TestCertificate | undefined;
  afterAll(() => cert?.remove());
  const site = useLanSite(() => (cert = makeTestCertificate({ ips: [SRV_A] })));

  test('the default protected room works between two people', async () => {
    const { browser, contexts, origin } = site();
    const { page: a, errors } = await openInNewContext(browser, origin + '/', { contexts });
    expect(await a.evaluate(() => [isSecureContext, typeof crypto.subtle])).toEqual([
      true,
      'object',
    ]);
    const link = await createRoom(a, 'Ann', /\/r\/[A-Za-z0-9_-]+#k=/);
    expect(await a.locator('[data-problem]').count()).toBe(0);
    const { page: b } = await openInNewContext(browser, link, { contexts });
    await joinRoom(b, 'Bob');
    await expect.poll(() => peerState(a, 'Bob'), { timeout: CONNECT_TIMEOUT_MS }).toBe('direct');
    await expect.poll(() => peerState(b, 'Ann'), { timeout: CONNECT_TIMEOUT_MS }).toBe('direct');
    await a.getByRole('tab', { name: 'Call' }).click();
    await expect.poll(() => a.getByRole('button', { name: 'Start call' }).isVisible()).toBe(true);
    expect(await a.locator('[data-call="needs-https"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
