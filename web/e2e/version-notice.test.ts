/**
 * A peer on another protocol version, seen from a room page in Chromium. Alice's page links
 * with Node peers (core's raw test peer: the real signaling client and mesh over @roamhq/wrtc)
 * whose link hello names another version; her mesh cuts each link (PROTOCOL.md, wire `hello`):
 *
 * - an older page (Bob): one notice names him and asks him to reload, and stays one notice with
 *   his name once when his page comes back and is cut off again;
 * - a newer page (Carol): Alice's own page is the old one: "Your Peerboard is out of date", with
 *   a Reload button, in place of the notice about Bob.
 */
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { makeIdentity } from '@peerboard/core';
import { rawPeer, type RawPeer } from '../../shared/core/test/kit/rawPeer';
import { keyParam, roomIdFromPath } from '../src/state/roomId';
import { createRoom, DESKTOP, openInNewContext, screenshot, useBrowserSession } from './harness';

const banners = (page: Page) =>
  page.locator('[data-banner="peer_outdated"], [data-banner="self_outdated"]').allInnerTexts();

describe('a peer on another protocol version (Chromium)', () => {
  const session = useBrowserSession();

  test('the room page names an outdated peer once, and says when it is the outdated one', async () => {
    const { page, errors } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
    });
    const url = new URL(await createRoom(page, 'Alice'));
    const roomId = roomIdFromPath(url.pathname)!;
    const secret = keyParam(url.hash) ?? undefined;
    const relay = `ws://127.0.0.1:${session.app.port}/ws`;
    const peers: RawPeer[] = [];
    const join = (name: string, version: number, identity = makeIdentity()) => {
      const peer = rawPeer(relay, roomId, name, identity, secret, { protocolVersion: version });
      peers.push(peer);
      const cut = new Promise<void>((resolve) =>
        peer.mesh.on('peer_close', (p) => p.reason === 'version' && resolve()),
      );
      return { peer, cut };
    };
    try {
      const bobIdentity = makeIdentity();
      const bob = join('Bob', PROTOCOL_VERSION - 1, bobIdentity);
      await bob.cut;
      await expect
        .poll(() => banners(page))
        .toEqual([expect.stringContaining('Bob is on another version of Peerboard.')]);
      await screenshot(page, 'version-notice-peer-outdated');

      // Bob's page comes back (a new socket, the same person) and is cut off again
      bob.peer.destroy();
      const again = join('Bob', PROTOCOL_VERSION - 1, bobIdentity);
      await again.cut;
      await page.waitForTimeout(1000); // Alice's end of that link is cut a moment later, if not yet
      expect(await banners(page)).toEqual([
        expect.stringMatching(/^Bob is on another version of Peerboard\. Ask them/),
      ]);

      const carol = join('Carol', PROTOCOL_VERSION + 1);
      await carol.cut;
      await expect
        .poll(() => banners(page))
        .toEqual([expect.stringContaining('Your Peerboard is out of date.')]);
      await expect.poll(() => page.getByRole('button', { name: 'Reload' }).count()).toBe(1);
      await screenshot(page, 'version-notice-self-outdated');
      expect(errors).toEqual([]);
    } finally {
      for (const p of peers) p.destroy();
    }
  }, 90_000);
});
