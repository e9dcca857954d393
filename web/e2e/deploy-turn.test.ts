/**
 * Two people whose networks cannot reach each other, and a server that offers a TURN relay
 * (coturn in the same test host): Ann's browser in `pa`, Bob's in `pb`, server and coturn in
 * `srv` (signal-server/test/kit/netns.ts). The first attempt without TURN cannot connect; the
 * relay-only retry (shared/core peers/iceFallback.ts) does, and People says so: "Relayed (TURN)",
 * not "Direct", and no "cannot connect" message. Their chat goes through.
 * With a server whose TURN secret is not coturn's, the retry fails too, and the message says the
 * relay did not get through (not that the server has none).
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCoturn, type Coturn } from '../../signal-server/test/kit/coturn';
import { netnsUp, SRV_A, SRV_B, type Topology } from '../../signal-server/test/kit/netns';
import { spawnServer, type ServerProcess } from '../../signal-server/test/kit/serverProcess';
import { joinRoom, launchBrowser, openInNewContext, PHONE, screenshot, WEB_DIST } from './harness';

const SECRET = 'peerboard-e2e-turn-secret';
/**
 * The operator's deadlines (PEER_DIRECT_TIMEOUT_MS / PEER_CONNECT_TIMEOUT_MS, sent in `joined`):
 * the direct attempt cannot succeed between these networks, so it ends at 2 s instead of 8 s.
 */
const DIRECT_TIMEOUT_MS = 2_000;
/** direct attempt + relay-only attempt, on a loaded machine */
const CONNECT_TIMEOUT_MS = 60_000;

/** the People row of `name`: its state and the text of its state pill */
const peerRow = (page: Page, name: string) =>
  page.evaluate((peerName) => {
    const rows = [...document.querySelectorAll<HTMLElement>('#panel-people li.peer')];
    const row = rows.find((li) => li.querySelector('.peer-name')?.textContent?.trim() === peerName);
    if (!row) return null;
    return {
      state: row.dataset.state ?? null,
      pill: row.querySelector('.state-pill')?.textContent?.trim() ?? null,
    };
  }, name);

describe('networks that block a direct connection, server with a TURN relay', () => {
  let net: Topology;
  let turn: Coturn;
  const servers: ServerProcess[] = [];
  const browsers: Browser[] = [];

  /**
   * The server in srv on `port`, handing out TURN credentials made with `secret`; `connectMs`:
   * its relay-only attempt's deadline (default: the client's own).
   */
  const startServer = async (port: number, secret: string, connectMs?: number) => {
    const server = spawnServer({
      env: {
        HOST: '0.0.0.0',
        PORT: String(port),
        STATIC_DIR: WEB_DIST,
        TURN_SECRET: secret,
        TURN_URLS: turn.turnUrl,
        PEER_DIRECT_TIMEOUT_MS: String(DIRECT_TIMEOUT_MS),
        ...(connectMs === undefined ? {} : { PEER_CONNECT_TIMEOUT_MS: String(connectMs) }),
      },
      spawner: (c, a, o) => net.spawnIn('srv', c, a, o),
    });
    servers.push(server);
    await server.listening(60_000);
  };

  /** Ann (desktop, in pa) and Bob (phone, in pb) in a new room of the server on `port` */
  const meet = async (port: number) => {
    const [inPa, inPb] = browsers;
    if (inPa === undefined || inPb === undefined) throw new Error('browsers not started');
    const room = randomBytes(16).toString('base64url');
    const { page: ann } = await openInNewContext(inPa, `http://${SRV_A}:${port}/r/${room}`);
    await joinRoom(ann, 'Ann');
    const { page: bob } = await openInNewContext(inPb, `http://${SRV_B}:${port}/r/${room}`, {
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
    });
    await joinRoom(bob, 'Bob');
    return { ann, bob };
  };

  beforeAll(async () => {
    net = netnsUp();
    turn = await startCoturn({
      spawn: (c, a, o) => net.spawnIn('srv', c, a, o),
      namespace: net.names.srv,
      listen: [SRV_A, SRV_B],
      port: 3478,
      secret: SECRET,
    });
    for (const host of ['pa', 'pb'] as const)
      browsers.push(
        await launchBrowser({ executablePath: net.wrapper(host, '/usr/bin/chromium') }),
      );
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    for (const s of servers) await s.stop();
    await turn?.stop();
    net?.down();
  });

  test('the relay-only retry connects them and People shows "Relayed (TURN)"', async () => {
    await startServer(8080, SECRET);
    const { ann, bob } = await meet(8080);

    for (const [page, other] of [
      [ann, 'Bob'],
      [bob, 'Ann'],
    ] as const) {
      await expect
        .poll(() => peerRow(page, other), { timeout: CONNECT_TIMEOUT_MS })
        .toEqual({ state: 'relayed', pill: 'Relayed (TURN)' });
      expect(await page.locator('[data-banner="blocked"]').isVisible()).toBe(false);
    }
    await screenshot(ann, 'deploy-turn-relayed-desktop');

    // The chat goes through the relayed link.
    await ann.getByRole('tab', { name: 'Chat' }).click();
    const input = ann.getByLabel('Message to everyone in the room');
    await input.fill('hello through TURN');
    await input.press('Enter');
    await bob.getByRole('tab', { name: 'Chat' }).click();
    await expect
      .poll(() => bob.getByText('hello through TURN').isVisible(), { timeout: 20_000 })
      .toBe(true);
    await bob.getByRole('tab', { name: /People/ }).click();
    await screenshot(bob, 'deploy-turn-relayed-phone');
  });

  test('TURN misconfigured: the retry fails too, and the message says the relay did not help', async () => {
    // the relay-only attempt cannot succeed either (coturn refuses the credentials): 4 s, not 20 s
    await startServer(8081, 'not-the-coturn-secret', 4_000);
    const { ann, bob } = await meet(8081);
    for (const [page, other] of [
      [ann, 'Bob'],
      [bob, 'Ann'],
    ] as const) {
      const banner = page.locator('[data-banner="blocked"]');
      await expect
        .poll(() => banner.locator('[data-reason="turn-failed"]').isVisible(), {
          timeout: CONNECT_TIMEOUT_MS,
        })
        .toBe(true);
      const text = await banner.innerText();
      expect(text).toContain(`Cannot connect to ${other}.`);
      expect(text).toContain('the server’s TURN relay did not get through either');
      expect(text).not.toContain('the server needs a TURN relay');
      expect((await peerRow(page, other))?.state).toBe('failed');
    }
    await screenshot(bob, 'deploy-turn-failed-phone');
  });
});
