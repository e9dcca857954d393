/**
 * Two people whose networks cannot reach each other and a server without TURN: Ann's browser in
 * the test host `pa`, Bob's in `pb` (signal-server/test/kit/netns.ts: both reach the server in
 * `srv`, never each other). They meet in the room but no direct path exists, so both must be told
 * in plain words why, instead of a "Connecting…" pill that never changes.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { netnsUp, SRV_A, SRV_B, type Topology } from '../../signal-server/test/kit/netns';
import { spawnServer, type ServerProcess } from '../../signal-server/test/kit/serverProcess';
import { joinRoom, launchBrowser, openInNewContext, WEB_DIST } from './harness';

/**
 * The operator's connect deadline (PEER_CONNECT_TIMEOUT_MS, sent in `joined`): an attempt ends
 * "failed" at 4 s instead of the default 20 s, so the message usually comes then rather than at
 * 15 s of "Connecting…" (ConnectTrouble.tsx; an answerer whose attempt the next offer replaced
 * may still be "connecting"). Nothing can connect here, whatever the deadline.
 */
const CONNECT_TIMEOUT_MS = 4_000;
/** at the latest 15 s of "Connecting…", plus a loaded machine */
const MESSAGE_TIMEOUT_MS = 45_000;

const peerState = (page: Page, name: string) =>
  page.evaluate((peerName) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')];
    const row = rows.find((li) => li.querySelector('.peer-name')?.textContent?.trim() === peerName);
    return row?.dataset.state ?? null;
  }, name);

describe('networks that block a direct connection, no TURN relay', () => {
  let net: Topology;
  let server: ServerProcess;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    net = netnsUp();
    server = spawnServer({
      env: {
        HOST: '0.0.0.0',
        PORT: '8080',
        STATIC_DIR: WEB_DIST,
        PEER_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      },
      spawner: (c, a, o) => net.spawnIn('srv', c, a, o),
    });
    // tsx compiles the server at start: tens of seconds on a loaded 2-core machine
    await server.listening(60_000);
    for (const host of ['pa', 'pb'] as const)
      browsers.push(
        await launchBrowser({ executablePath: net.wrapper(host, '/usr/bin/chromium') }),
      );
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await server?.stop();
    net?.down();
  });

  test('both see who they cannot reach and that the server needs a TURN relay', async () => {
    const [inPa, inPb] = browsers;
    if (inPa === undefined || inPb === undefined) throw new Error('browsers not started');
    const room = randomBytes(16).toString('base64url');
    const { page: ann } = await openInNewContext(inPa, `http://${SRV_A}:8080/r/${room}`);
    await joinRoom(ann, 'Ann');
    const { page: bob } = await openInNewContext(inPb, `http://${SRV_B}:8080/r/${room}`);
    await joinRoom(bob, 'Bob');
    // they did meet through the server: each lists the other
    await expect.poll(() => peerState(ann, 'Bob')).not.toBeNull();
    await expect.poll(() => peerState(bob, 'Ann')).not.toBeNull();

    for (const [page, other] of [
      [ann, 'Bob'],
      [bob, 'Ann'],
    ] as const) {
      const banner = page.locator('[data-banner="blocked"]');
      await expect.poll(() => banner.isVisible(), { timeout: MESSAGE_TIMEOUT_MS }).toBe(true);
      const text = await banner.innerText();
      expect(text).toContain(`Cannot connect to ${other}.`);
      expect(text).toContain(
        'Your networks block a direct connection; the server needs a TURN relay',
      );
      expect(['connecting', 'failed']).toContain(await peerState(page, other));
    }
  });
});
