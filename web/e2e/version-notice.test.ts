/**
 * A peer on another protocol version, seen from a room page in Chromium. Alice's page is served
 * by one relay of a rolling deploy (two relays of different versions sharing rooms over Redis,
 * core's test kit); Node peers (core's raw test peer: the real signaling client and mesh over
 * @roamhq/wrtc) join through a relay of their own version, which attests it, and her mesh cuts
 * each link (PROTOCOL.md, wire `hello`):
 *
 * - a member of her own version who forges a newer version in its link hello (Mallory): cut as
 *   misbehaving, and no notice at all (THREAT_MODEL: no one can make a page believe it is old);
 * - an older page (Bob): one notice names him and asks him to reload, and stays one notice with
 *   his name once when his page comes back and is cut off again;
 * - a newer page (Carol): Alice's own page is the old one: "Your Peerboard is out of date", with
 *   a Reload button, in place of the notice about Bob.
 */
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { makeIdentity, type PeerClose } from '@peerboard/core';
import { rawPeer, type RawPeer, type RawPeerOptions } from '../../shared/core/test/kit/rawPeer';
import { startRollingDeploy } from '../../shared/core/test/kit/rollingDeploy';
import { keyParam, roomIdFromPath } from '../src/state/roomId';
import {
  createRoom,
  DESKTOP,
  openInNewContext,
  screenshot,
  startApp,
  useBrowserSession,
} from './harness';

const banners = (page: Page) =>
  page.locator('[data-banner="peer_outdated"], [data-banner="self_outdated"]').allInnerTexts();

describe('a peer on another protocol version (Chromium)', () => {
  const session = useBrowserSession();

  test('the room page names an outdated peer once, says when it is the outdated one, and believes no forged version', async () => {
    const deploy = await startRollingDeploy();
    const app = await startApp({ cluster: deploy.cluster });
    const peers: RawPeer[] = [];
    try {
      const older = await deploy.relay(PROTOCOL_VERSION - 1);
      const newer = await deploy.relay(PROTOCOL_VERSION + 1);
      const { page, errors } = await openInNewContext(session.browser, app.origin + '/', {
        contexts: session.contexts,
        viewport: DESKTOP,
      });
      const url = new URL(await createRoom(page, 'Alice'));
      const roomId = roomIdFromPath(url.pathname)!;
      const secret = keyParam(url.hash) ?? undefined;
      const join = (
        relay: string,
        name: string,
        options: RawPeerOptions,
        identity = makeIdentity(),
      ) => {
        const peer = rawPeer(relay, roomId, name, identity, secret, options);
        peers.push(peer);
        // the link opened and was cut: the liar's end sees it lost, an honest end 'version'
        // (Alice's page closed only once its own hello had reached it)
        const cut = new Promise<PeerClose['reason']>((resolve) =>
          peer.mesh.on('peer_close', (p) => resolve(p.reason)),
        );
        return { peer, cut };
      };

      const mallory = join(`ws://127.0.0.1:${app.port}/ws`, 'Mallory', {
        linkHelloVersion: PROTOCOL_VERSION + 1,
      });
      await mallory.cut;
      await page.waitForTimeout(1000); // a notice, were there one, would show by now
      expect(await banners(page)).toEqual([]);
      mallory.peer.destroy();

      const bobIdentity = makeIdentity();
      const bob = join(older.url, 'Bob', { version: PROTOCOL_VERSION - 1 }, bobIdentity);
      expect(await bob.cut).toBe('version');
      await expect
        .poll(() => banners(page))
        .toEqual([expect.stringContaining('Bob is on another version of Peerboard.')]);
      await screenshot(page, 'version-notice-peer-outdated');

      // Bob's page comes back (a new socket, the same person) and is cut off again
      bob.peer.destroy();
      const again = join(older.url, 'Bob', { version: PROTOCOL_VERSION - 1 }, bobIdentity);
      expect(await again.cut).toBe('version');
      await page.waitForTimeout(1000); // Alice's end of that link is cut a moment later, if not yet
      expect(await banners(page)).toEqual([
        expect.stringMatching(/^Bob is on another version of Peerboard\. Ask them/),
      ]);

      const carol = join(newer.url, 'Carol', { version: PROTOCOL_VERSION + 1 });
      expect(await carol.cut).toBe('version');
      await expect
        .poll(() => banners(page))
        .toEqual([expect.stringContaining('Your Peerboard is out of date.')]);
      await expect.poll(() => page.getByRole('button', { name: 'Reload' }).count()).toBe(1);
      await screenshot(page, 'version-notice-self-outdated');
      expect(errors).toEqual([]);
    } finally {
      for (const p of peers) p.destroy();
      await app.stop();
      await deploy.close();
    }
  }, 90_000);
});
