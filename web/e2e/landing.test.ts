/**
 * Landing page through a real browser against the real server and the built client:
 * screenshots (desktop + 375 px phone, light + dark), the name and theme preferences, joining by
 * link, and the plain-language errors.
 */
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  closeContexts,
  collectPageErrors,
  DESKTOP,
  openInNewContext,
  PHONE,
  type RunningApp,
  screenshot,
  sharedBrowser,
  startApp,
} from './harness';

describe('landing page', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp();
    browser = await sharedBrowser(false);
    await closeContexts(browser); // an earlier file's leftovers are not this file's
  });

  afterAll(async () => {
    if (browser) await closeContexts(browser);
    await app?.stop();
  });

  async function openLanding(options: BrowserContextOptions = {}) {
    return openInNewContext(browser, app.origin + '/', { viewport: DESKTOP, ...options });
  }

  const variants = [
    { name: 'landing-desktop-light', viewport: DESKTOP, colorScheme: 'light' },
    { name: 'landing-desktop-dark', viewport: DESKTOP, colorScheme: 'dark' },
    { name: 'landing-phone-light', viewport: PHONE, colorScheme: 'light' },
    { name: 'landing-phone-dark', viewport: PHONE, colorScheme: 'dark' },
  ] as const;

  test.each(variants)('$name renders the product, the labelled controls and fits', async (v) => {
    const { context, page, errors } = await openLanding({
      viewport: v.viewport,
      colorScheme: v.colorScheme,
      isMobile: v.viewport === PHONE,
      hasTouch: v.viewport === PHONE,
    });
    expect(await page.title()).toContain('Peerboard');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/browsers/);
    await page.getByRole('button', { name: 'Create a room' }).waitFor();
    await page.getByLabel('Your name').waitFor();
    await page.getByLabel('Room link or code').waitFor();
    // The theme follows the system unless chosen.
    expect(await page.locator('html').getAttribute('data-theme')).toBe(v.colorScheme);
    // Nothing may overflow sideways on a 375 px phone.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await screenshot(page, v.name);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the theme toggle switches and is remembered across reloads', async () => {
    const { context, page, errors } = await openLanding({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.reload();
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('creating a room asks for a name first, keeps it, and opens an unguessable room', async () => {
    const { context, page, errors } = await openLanding();
    await page.getByRole('button', { name: 'Create a room' }).click();
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toMatch(/Add your name/);
    // The name field got focus so the user can type straight away.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('landing-name');

    await page.getByLabel('Your name').fill('Ada');
    await page.reload();
    expect(await page.getByLabel('Your name').inputValue()).toBe('Ada');

    await page.getByRole('button', { name: 'Create a room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}#k=[A-Za-z0-9_-]{43}$/);
    const first = new URL(page.url()).pathname;
    await page.goto(app.origin + '/');
    await page.getByRole('button', { name: 'Create a room' }).click();
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}#k=[A-Za-z0-9_-]{43}$/);
    expect(new URL(page.url()).pathname).not.toBe(first);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('join accepts a pasted link and explains a bad one in plain words', async () => {
    const { context, page, errors } = await openLanding();
    await page.getByLabel('Your name').fill('Grace');
    const input = page.getByLabel('Room link or code');
    await input.fill('not a link at all');
    await page.getByRole('button', { name: 'Join' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /does not look like a Peerboard room link/,
    );
    expect(await input.getAttribute('aria-invalid')).toBe('true');

    // A link from another deployment still names the room: only the path matters.
    await input.fill('https://peerboard.example/r/AbCdEfGhIjKlMnOpQrStUv');
    await input.press('Enter');
    await page.waitForURL(app.origin + '/r/AbCdEfGhIjKlMnOpQrStUv');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a broken room link shows a plain message, not a blank page', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(app.origin + '/r/bad!id');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/looks broken/);
    await page.getByRole('button', { name: 'Go to the start page' }).click();
    await page.waitForURL(app.origin + '/');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('keyboard: the skip link, the name field and "Create a room" are reachable with Tab', async () => {
    const { context, page } = await openLanding();
    const focused = async () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.getAttribute('aria-label') || el?.id || el?.textContent?.trim() || '';
      });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused());
    }
    expect(seen[0]).toBe('Skip to create or join a room');
    expect(seen).toContain('landing-name');
    expect(seen).toContain('Create a room');
    // A visible focus ring on the focused control.
    await page.getByRole('button', { name: 'Create a room' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).toBe('solid');
    await context.close();
  });
});
