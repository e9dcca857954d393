/**
 * Chat and call through the UI of the built client: two contexts of one headless Chromium with
 * fake camera/microphone (--use-fake-device-for-media-stream), the real signal server.
 * Chat: a message from A appears in B with an unread badge, HTML in a message stays text,
 * links are safe, Enter/Shift+Enter, typing indicator, length hint, history after a reload.
 * Call: A starts, B joins from the incoming-call toast, both remote <video>s play (videoWidth > 0,
 * currentTime advancing), chat still flows over the data channel during the call, mute and
 * camera-off in A show in B, leaving keeps the room connected.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { eventually, openPair, PHONE, screenshot, useBrowserSession } from './harness';

const TIMEOUT = 45_000;

/** state of the tile of `name` (or our own with name 'You') in the call grid */
function tile(page: Page, name: string) {
  return page.evaluate(async (who) => {
    const fig = [...document.querySelectorAll<HTMLElement>('figure.tile')].find((f) =>
      f.querySelector('.tile-name')?.textContent?.trim().startsWith(who),
    );
    if (!fig) return null;
    const video = fig.querySelector('video')!;
    const t0 = video.currentTime;
    await new Promise((r) => setTimeout(r, 300));
    return {
      videoWidth: video.videoWidth,
      advanced: video.currentTime > t0,
      paused: video.paused,
      audioMuted: fig.dataset.audioMuted,
      video: fig.dataset.video,
      mutedIcon: fig.querySelector('[aria-label="Microphone off"]') !== null,
      mirrored: video.classList.contains('mirrored'),
    };
  }, name);
}

const chatTexts = (page: Page) =>
  page.locator('#panel-chat .chat-text').evaluateAll((els) => els.map((e) => e.textContent));

const tabBadge = (page: Page, tab: string) =>
  page.evaluate(
    (id) => document.querySelector(`#tab-${id} .tab-badge`)?.textContent?.trim() ?? null,
    tab,
  );

describe('chat and call: two browser contexts with fake media', () => {
  const session = useBrowserSession({ media: true });

  test('chat A -> B safely, then a call with video both ways, chat during it, mute seen remotely', async () => {
    const {
      alice: { page: a, errors: aErrors },
      bob: { page: b, errors: bErrors },
    } = await openPair(session, { bob: { colorScheme: 'dark' } });

    // ---- chat: A sends, B (on the People tab) gets an unread badge, then sees it ----
    await a.getByRole('tab', { name: 'Chat' }).click();
    const aInput = a.getByLabel('Message to everyone in the room');
    await aInput.fill('Hello Bob');
    await aInput.press('Enter');
    await eventually('unread badge at B', async () => (await tabBadge(b, 'chat')) === '1');
    const hostile =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ' +
      'see https://example.com/a?b=1. and javascript:alert(1)';
    await aInput.fill(hostile);
    await aInput.press('Enter');
    await eventually('unread 2 at B', async () => (await tabBadge(b, 'chat')) === '2');
    // Shift+Enter makes a new line instead of sending
    await aInput.fill('line one');
    await aInput.press('Shift+Enter');
    await aInput.pressSequentially('line two');
    expect(await chatTexts(a)).toHaveLength(2);
    await aInput.press('Enter');

    await b.getByRole('tab', { name: 'Chat' }).click();
    await eventually('B has 3 messages', async () => (await chatTexts(b)).length === 3);
    expect(await tabBadge(b, 'chat')).toBeNull(); // read while the panel is open
    expect(await chatTexts(b)).toEqual(['Hello Bob', hostile, 'line one\nline two']);
    const safety = await b.evaluate(() => {
      const list = document.querySelector('#panel-chat .chat-list')!;
      const links = [...list.querySelectorAll('a')].map((l) => ({
        href: l.getAttribute('href'),
        rel: l.getAttribute('rel'),
        target: l.getAttribute('target'),
        text: l.textContent,
      }));
      return {
        pwned: (window as { __pwned?: number }).__pwned ?? null,
        imgs: list.querySelectorAll('img, script').length,
        links,
      };
    });
    expect(safety).toEqual({
      pwned: null,
      imgs: 0,
      links: [
        {
          href: 'https://example.com/a?b=1',
          rel: 'noopener noreferrer',
          target: '_blank',
          text: 'https://example.com/a?b=1',
        },
      ],
    });
    expect(await b.locator('#panel-chat .chat-author').first().textContent()).toContain('Alice');

    // typing indicator via awareness
    const bInput = b.getByLabel('Message to everyone in the room');
    await bInput.pressSequentially('typing…');
    await a.getByText('Bob is typing…').waitFor({ timeout: TIMEOUT });
    await bInput.fill('');
    await a.getByText('Bob is typing…').waitFor({ state: 'hidden', timeout: TIMEOUT });

    // length hint near the limit, refusal above it
    await aInput.fill('x'.repeat(1900));
    await a.getByText('100 characters left').waitFor();
    await aInput.fill('x'.repeat(2050));
    await a.getByText('50 characters too long').waitFor();
    expect(await a.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    await aInput.fill('');
    await screenshot(a, 'chat-desktop-light');
    await screenshot(b, 'chat-desktop-dark');

    // ---- call: A starts, B sees "Alice started a call" and joins from the toast ----
    await a.getByRole('tab', { name: 'Call' }).click();
    await a.getByRole('button', { name: 'Start call' }).click();
    await eventually('A in call', async () => (await tile(a, 'You'))?.videoWidth, {
      timeoutMs: TIMEOUT,
    });
    const toast = b.locator('.call-toast');
    await toast.getByText('started a call').waitFor({ timeout: TIMEOUT });
    expect(await toast.textContent()).toContain('Alice');
    expect(await tabBadge(b, 'call')).toBe('1');
    await screenshot(b, 'call-incoming-desktop-dark');
    const joinClicked = Date.now();
    await toast.getByRole('button', { name: 'Join' }).click();
    expect(await b.getByRole('tab', { name: 'Call' }).getAttribute('aria-selected')).toBe('true');

    for (const [page, remote] of [
      [a, 'Bob'],
      [b, 'Alice'],
    ] as const) {
      const t = await eventually(
        `${remote}'s video plays`,
        async () => {
          const s = await tile(page, remote);
          return s && s.videoWidth > 0 && s.advanced && !s.paused ? s : null;
        },
        { timeoutMs: TIMEOUT },
      );
      expect(t.mirrored).toBe(false);
      expect((await tile(page, 'You'))?.mirrored).toBe(true);
      // remote sound goes to an <audio> element with a live audio track
      expect(
        await page.evaluate(() => {
          const el = document.querySelector<HTMLAudioElement>('#panel-call audio');
          const s = el?.srcObject as MediaStream | null;
          return s?.getAudioTracks()[0]?.readyState ?? null;
        }),
      ).toBe('live');
    }
    console.log(`[chat-call] join -> remote video playing in both: ${Date.now() - joinClicked} ms`);

    // the data channel still carries room data during the call: chat B -> A; A's chat badge
    await b.getByRole('tab', { name: 'Chat' }).click();
    await bInput.fill('during the call');
    await bInput.press('Enter');
    await eventually('A unread during call', async () => (await tabBadge(a, 'chat')) === '1');
    await b.getByRole('tab', { name: 'Call' }).click();

    // mute in A -> B's tile for Alice shows the muted microphone; unmute clears it
    await a.getByRole('button', { name: 'Mute microphone' }).click();
    expect(
      await a.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('figure[data-self="true"] video');
        return (v?.srcObject as MediaStream).getAudioTracks()[0]?.enabled;
      }),
    ).toBe(false);
    await eventually('B sees Alice muted', async () => {
      const t = await tile(b, 'Alice');
      return t?.audioMuted === 'true' && t.mutedIcon;
    });
    await a.getByRole('button', { name: 'Turn camera off' }).click();
    await eventually(
      'B sees Alice camera off',
      async () => (await tile(b, 'Alice'))?.video === 'off',
    );
    // one colour per person: Alice's tile (her initials now) is in her People-list colour
    const aliceColours = await b.evaluate(() => {
      const colour = (sel: string) =>
        document.querySelector<HTMLElement>(sel)?.style.getPropertyValue('--peer-color') ?? '';
      const id = document
        .querySelector('figure.tile[data-self="false"]')
        ?.getAttribute('data-peer-id');
      return {
        tile: colour(`figure.tile[data-peer-id="${id}"]`),
        people: colour(`#panel-people .peer[data-peer-id="${id}"] .avatar`),
      };
    });
    expect(aliceColours.people).toMatch(/^#[0-9a-f]{6}$/i);
    expect(aliceColours.tile).toBe(aliceColours.people);
    await screenshot(b, 'call-desktop-dark-alice-muted');
    await a.getByRole('button', { name: 'Unmute microphone' }).click();
    await a.getByRole('button', { name: 'Turn camera on' }).click();
    await eventually('B sees Alice unmuted', async () => {
      const t = await tile(b, 'Alice');
      return t?.audioMuted === 'false' && !t.mutedIcon && t.video === 'on';
    });
    await eventually('quality shown', () =>
      a.evaluate(
        () => document.querySelector('.tile-quality')?.getAttribute('data-quality') !== 'unknown',
      ),
    );
    await screenshot(a, 'call-desktop-light');

    // phone layout of the call and the chat
    await b.setViewportSize(PHONE);
    // on a phone the panel is a sheet behind the bottom tab bar: open it
    await b.getByRole('tab', { name: 'Call' }).click();
    await b.locator('#panel-call').waitFor({ state: 'visible' });
    await eventually('phone call tiles', async () => (await tile(b, 'Alice'))?.advanced);
    await screenshot(b, 'call-phone-dark');
    await b.getByRole('tab', { name: 'Chat' }).click();
    await screenshot(b, 'chat-phone-dark');
    await b.getByRole('tab', { name: 'Call' }).click();

    // leaving keeps the room: B leaves, A sees one tile, B sees the call as incoming again
    await b.getByRole('button', { name: 'Leave call' }).click();
    await eventually('A alone', async () => (await a.locator('figure.tile').count()) === 1);
    await b.getByRole('button', { name: 'Join call' }).waitFor();
    await a.getByRole('tab', { name: 'Chat' }).click();
    await aInput.fill('still here');
    await aInput.press('Enter');
    await eventually('B unread after leaving', async () => (await tabBadge(b, 'chat')) === '1');

    // history survives a reload (IndexedDB + peers)
    await b.reload();
    await b.getByRole('tab', { name: 'Chat' }).click();
    await eventually('history after reload', async () => (await chatTexts(b)).length === 5);
    expect(await chatTexts(b)).toEqual([
      'Hello Bob',
      hostile,
      'line one\nline two',
      'during the call',
      'still here',
    ]);

    expect(aErrors).toEqual([]);
    expect(bErrors).toEqual([]);
  });
});
