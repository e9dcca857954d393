/**
 * Firefox for the E2E kit: Debian's firefox-esr, driven headless by puppeteer-core over WebDriver
 * BiDi (playwright-core drives only its own patched Firefox builds, never a stock one). One
 * browser per test file (useFirefox), a fresh browser context (its own storage, like another
 * person's browser) per page; screenshots go where harness.ts puts Chromium's, named `firefox-*`.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import puppeteer, {
  type Browser,
  type BrowserContext,
  type ElementHandle,
  type Page,
} from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { DESKTOP, SCREENSHOT_DIR } from './harness';

const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Prefs for calls without a person at the keyboard: synthetic camera and microphone, no
 * permission prompt (Chromium's --use-fake-device/--use-fake-ui-for-media-stream).
 */
const MEDIA_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
};

export async function launchFirefox(): Promise<Browser> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(
      `Firefox not found at ${FIREFOX_PATH}. Install it with "apt-get install -y firefox-esr" ` +
        'or set FIREFOX_PATH.',
    );
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: MEDIA_PREFS,
  });
}

/** The file's Firefox: launched before its tests (~5-15 s here), closed after them. */
export function useFirefox(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchFirefox();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (browser === undefined) throw new Error('Firefox is not started: use it inside a test');
      return browser;
    },
  };
}

export interface FirefoxPage {
  context: BrowserContext;
  page: Page;
  /** uncaught page errors and console errors, from the start (harness.ts collectPageErrors) */
  errors: string[];
}

/**
 * A new browser context with one page at the desktop size on `url`, resolved once the app has
 * rendered its heading (harness.ts openApp). Downloads of the context land in `downloadDir`.
 */
export async function openInFirefox(
  browser: Browser,
  url: string,
  options: { downloadDir?: string } = {},
): Promise<FirefoxPage> {
  const context = await browser.createBrowserContext(
    options.downloadDir
      ? { downloadBehavior: { policy: 'allow', downloadPath: options.downloadDir } }
      : {},
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  await page.setViewport(DESKTOP);
  await page.goto(url);
  try {
    await page.waitForSelector('h1', { visible: true, timeout: 15_000 });
  } catch {
    throw new Error(
      `the app did not render at ${url} in Firefox; errors: ${JSON.stringify(errors)}`,
    );
  }
  return { context, page, errors };
}

/** CSS for the elements of each role the tests look for (implicit roles included). */
const ROLE_SELECTORS = {
  button: 'button, [role="button"]',
  textbox:
    'input:not([type="checkbox"], [type="radio"], [type="file"]), textarea, [role="textbox"]',
  tab: '[role="tab"]',
} as const;
type Role = keyof typeof ROLE_SELECTORS;

/**
 * The visible element of `role` whose name is `name`, as getByRole/getByLabel find them in the
 * Chromium tests: aria-label, else aria-labelledby, else its <label>, else its text. Looked up
 * in the page, not through puppeteer's ARIA query (`::-p-aria`, Firefox's accessibility tree
 * over BiDi): that took ~9 s a lookup here once a call was running.
 */
export async function byName(
  page: Page,
  name: string,
  role: Role = 'button',
  timeoutMs = 30_000,
): Promise<ElementHandle<Element>> {
  const found = await page.waitForFunction(
    (n: string, css: string) => {
      const text = (el: Element | null | undefined) =>
        el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      const nameOf = (el: Element) => {
        const label = el.getAttribute('aria-label');
        if (label !== null) return label.trim();
        const ids = el.getAttribute('aria-labelledby');
        if (ids)
          return ids
            .split(' ')
            .map((id) => text(document.getElementById(id)))
            .join(' ');
        return text((el as HTMLInputElement).labels?.[0]) || text(el);
      };
      return (
        [...document.querySelectorAll(css)].find(
          (el) => el.checkVisibility() && nameOf(el) === n,
        ) ?? null
      );
    },
    { timeout: timeoutMs, polling: 50 },
    name,
    ROLE_SELECTORS[role],
  );
  const element = found.asElement();
  if (element === null) throw new Error(`no element named ${name}`);
  return element as ElementHandle<Element>;
}

/** Types `value` into the text field named `label` (replacing what it held). */
export async function fill(page: Page, label: string, value: string): Promise<void> {
  const field = await byName(page, label, 'textbox');
  await field.evaluate((el) => {
    (el as HTMLInputElement).value = '';
  });
  await field.type(value);
}

/** Clicks the element named `name` (a button unless `role` says otherwise). */
export async function click(page: Page, name: string, role: Role = 'button'): Promise<void> {
  await (await byName(page, name, role)).click();
}

/** Saves web/test-results/screenshots/firefox-<name>.png and returns its path. */
export async function screenshotFirefox(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `firefox-${name}.png`);
  // fonts load asynchronously; a screenshot before they settle shows fallback text
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: file as `${string}.png` });
  return file;
}
