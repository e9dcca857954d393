/**
 * The editor example (web/examples/editor: stock CodeMirror 6 + y-codemirror.next over
 * @peerboard/yjs) served by the relay at /examples/editor/, two Chromium contexts (separate
 * storage, so no BroadcastChannel between them: everything crosses a WebRTC data channel).
 * Both type at once and the text converges; each sees the other's named cursor; a 2 MB paste
 * (eight times the 256 KiB data-channel message limit) arrives intact, in the Y.Text and in the
 * editor; and nothing on the page breaks (no page error, no CSP refusal).
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openInNewContext, screenshot, useBrowserSession } from './harness';

const SYNC = { timeout: 45_000, interval: 200 };

interface EditorDebug {
  text(): string;
  editorText(): string;
  provider: { room: { openPeers(): string[] } | null };
}

/** SHA-256 and length of the shared text and of what the editor shows, computed in the page */
const digestOf = (page: Page) =>
  page.evaluate(async () => {
    const hook = (window as unknown as { editorDebug: EditorDebug }).editorDebug;
    const hex = async (s: string) => {
      const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
      return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
    };
    const text = hook.text();
    const shown = hook.editorText();
    return { length: text.length, sha256: await hex(text), shownSha256: await hex(shown) };
  });

const textOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { editorDebug: EditorDebug }).editorDebug.text());

/** 2 MiB of lines of pseudo-random letters (80 columns, so CodeMirror has lines to lay out) */
function twoMegabytes(): string {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < 2 * 1024 * 1024; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out.push(i % 81 === 80 ? '\n' : String.fromCharCode(97 + (x % 26)));
  }
  return out.join('');
}

describe('editor example: CodeMirror + y-codemirror.next over @peerboard/yjs', () => {
  const session = useBrowserSession();

  test('two people type at once and converge, see each other’s cursors, and a 2 MB paste arrives intact', async () => {
    const room = `e2e-editor-${Math.random().toString(36).slice(2, 8)}`;
    const link = (name: string) =>
      `${session.app.origin}/examples/editor/?room=${room}&name=${name}&debug`;
    const alice = await openInNewContext(session.browser, link('Alice'), {
      contexts: session.contexts,
    });
    const origin = session.app.origin;
    await alice.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const bob = await openInNewContext(session.browser, link('Bob'), {
      contexts: session.contexts,
    });
    for (const { page } of [alice, bob]) {
      await expect.poll(() => page.locator('#status').getAttribute('data-peers'), SYNC).toBe('1');
      await expect
        .poll(() => page.locator('#status').getAttribute('data-synced'), SYNC)
        .toBe('true');
    }

    // both type at the same time, each in their own editor
    await alice.page.locator('.cm-content').click();
    await bob.page.locator('.cm-content').click();
    await Promise.all([
      alice.page.keyboard.type('Alice writes this line. '),
      bob.page.keyboard.type('Bob writes that one. '),
    ]);
    await expect
      .poll(async () => {
        const [a, b] = [await textOf(alice.page), await textOf(bob.page)];
        return (
          a === b && a.includes('Alice writes this line. ') && a.includes('Bob writes that one. ')
        );
      }, SYNC)
      .toBe(true);
    const typed = await digestOf(bob.page);
    expect(typed.shownSha256).toBe(typed.sha256);

    // remote cursors from awareness, named and coloured (inline style allowed on example pages)
    const aliceCaret = bob.page.locator('.cm-ySelectionInfo', { hasText: 'Alice' });
    await expect.poll(() => aliceCaret.count(), SYNC).toBe(1);
    const caretColour = await bob.page
      .locator('.cm-ySelectionCaret')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(caretColour).not.toBe('rgba(0, 0, 0, 0)');
    await expect
      .poll(() => alice.page.locator('.cm-ySelectionInfo', { hasText: 'Bob' }).count(), SYNC)
      .toBe(1);
    await screenshot(bob.page, 'editor-bob-sees-alice');

    // Alice selects everything and pastes 2 MB from the clipboard, with the keyboard
    const big = twoMegabytes();
    const bigSha256 = createHash('sha256').update(big).digest('hex');
    await alice.page.evaluate((text) => navigator.clipboard.writeText(text), big);
    await alice.page.locator('.cm-content').focus();
    await alice.page.keyboard.press('ControlOrMeta+A');
    await alice.page.keyboard.press('ControlOrMeta+V');
    await expect.poll(async () => (await digestOf(alice.page)).sha256, SYNC).toBe(bigSha256);
    await expect.poll(async () => (await digestOf(bob.page)).length, SYNC).toBe(big.length);
    const arrived = await digestOf(bob.page);
    expect(arrived).toEqual({ length: big.length, sha256: bigSha256, shownSha256: bigSha256 });

    // over WebRTC, not a shortcut: separate contexts share no BroadcastChannel
    const openPeers = await bob.page.evaluate(
      () =>
        (window as unknown as { editorDebug: EditorDebug }).editorDebug.provider.room?.openPeers()
          .length,
    );
    expect(openPeers).toBe(1);
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});
