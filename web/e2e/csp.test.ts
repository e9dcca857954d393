/**
 * The app under the relay's strict Content-Security-Policy, as built: the bundle has no inline
 * script or style and no eval, and a real Chromium page creates a room, draws and chats with no
 * CSP violation (every violation is a `securitypolicyviolation` event and a console error).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  createRoom,
  DESKTOP,
  eventually,
  openInNewContext,
  useBrowserSession,
  WEB_DIST,
} from './harness';

describe('content security policy', () => {
  const session = useBrowserSession();

  test('the built client needs nothing the CSP forbids (no inline script or style, no eval)', () => {
    const html = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\bsrc=/);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    const js = readdirSync(path.join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const f of js) {
      const code = readFileSync(path.join(WEB_DIST, 'assets', f), 'utf8');
      expect(code, f).not.toMatch(/\beval\(|new Function\(/);
    }
  });

  test('a room works in Chromium under the served policy with no violation', async () => {
    const { page, errors } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
      prepare: (c) =>
        c.addInitScript(() => {
          const seen: string[] = [];
          (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
          document.addEventListener('securitypolicyviolation', (e) =>
            seen.push(`${e.violatedDirective} ${e.blockedURI}`),
          );
        }),
    });
    const response = await page.request.get(session.app.origin + '/');
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    await createRoom(page, 'Alice');
    const canvas = page.locator('[data-board-layer="elements"]');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 100, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 160, { steps: 8 });
    await page.mouse.up();
    await page.getByRole('tab', { name: 'Chat' }).click();
    await page.getByRole('textbox', { name: /message/i }).fill('hello under CSP');
    await page.keyboard.press('Enter');
    await eventually('the chat message shows', () => page.getByText('hello under CSP').isVisible());
    const violations = await page.evaluate(
      () => (window as unknown as { __cspViolations: string[] }).__cspViolations,
    );
    expect(violations).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
