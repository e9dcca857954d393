/**
 * How the board toolbar reads, through the UI of the built client in one Chromium context:
 *
 * - The three fill choices (none, see-through, solid) look different from each other in both
 *   themes and show the current colour: solid is a swatch of it, see-through is half of it over
 *   a checker, none is an empty outline crossed by a slash. Before, each was a square of the
 *   button's grey text colour (in the dark theme three grey squares that read alike). Checked on
 *   the rendered pixels of each swatch. The opacity choices are drawn in the colour too: opaque
 *   a disc of it, half transparent a checker disc half under the colour at half (before, two
 *   grey squares, one at half opacity, that read alike in the dark theme).
 * - "See-through fill" and "Half transparent" do not look alike: the see-through fill's inside
 *   is one plain light tint (the board's 30 %), while the half-transparent disc shows a checker
 *   (before, both were the colour at half over a checker in a square).
 * - On a phone (390x844) the board actions row lines up with the tools row above it: its left
 *   edge is the toolbar's and its first button starts at its padding edge. Before, the row hugged
 *   the right edge and left a gap on the left.
 */
import type { Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import {
  BOARD_CANVAS,
  createRoom,
  DESKTOP,
  openInNewContext,
  screenshot,
  useBrowserSession,
  visibleInPage,
} from './harness';

const PHONE_390 = { width: 390, height: 844 };
const FILLS = ['Fill: No fill', 'Fill: See-through fill', 'Fill: Solid fill'] as const;

type Rgb = [number, number, number];
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const parseRgb = (css: string): Rgb => {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

/**
 * Pixels of a rendered element (its screenshot) at points given as fractions of its box: what a
 * user sees, whatever CSS made it.
 */
async function pixelsAt(el: Locator, points: [number, number][]): Promise<Rgb[]> {
  const png = PNG.sync.read(await el.screenshot({ animations: 'disabled' }));
  return points.map(([fx, fy]) => {
    const i = (Math.floor(fy * png.height) * png.width + Math.floor(fx * png.width)) * 4;
    return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
  });
}

/** centre, and two points off the "/" diagonal (inside the 2 px outline of an 18 px swatch) */
const CENTRE: [number, number] = [0.5, 0.5];
const UPPER_LEFT: [number, number] = [0.3, 0.3];
const LOWER_RIGHT: [number, number] = [0.7, 0.7];
/** beside UPPER_LEFT, one cell of a 7 or 8 px checker further: same colour only on a plain fill */
const UPPER_NEXT: [number, number] = [0.45, 0.3];

/** The current colour (Red) as drawn, with the pointer away so no hover tints what is sampled. */
async function currentRed(page: Page) {
  await page.mouse.move(1, PHONE_390.height - 1);
  return parseRgb(
    await page
      .getByRole('button', { name: 'Colour: Red' })
      .evaluate((el) => getComputedStyle(el).backgroundColor),
  );
}

async function fillLooks(page: Page) {
  const red = await currentRed(page);
  const looks = [];
  for (const name of FILLS) {
    const button = page.getByRole('button', { name, exact: true });
    const [centre, upperLeft, lowerRight, upperNext] = await pixelsAt(
      button.locator('.board-fill'),
      [CENTRE, UPPER_LEFT, LOWER_RIGHT, UPPER_NEXT],
    );
    looks.push({
      name,
      centre: centre!,
      upperLeft: upperLeft!,
      lowerRight: lowerRight!,
      upperNext: upperNext!,
    });
  }
  const [none, semi, solid] = looks as [(typeof looks)[0], (typeof looks)[0], (typeof looks)[0]];
  return {
    red,
    // solid: the current colour itself, edge to edge
    solidIsColour: distance(solid.centre, red) < 30 && distance(solid.upperLeft, red) < 30,
    // none: an empty inside (far from the colour) crossed by the colour's slash at the centre
    noneEmpty: distance(none.upperLeft, red) > 80 && distance(none.lowerRight, red) > 80,
    noneSlashed: distance(none.centre, red) < 60,
    // see-through: neither the solid swatch nor the empty one
    semiBetween:
      distance(semi.upperLeft, solid.upperLeft) > 40 &&
      distance(semi.upperLeft, none.upperLeft) > 40,
    // ...and one plain tint: no checker (that is the half-transparent opacity's sign)
    semiPlain: distance(semi.upperLeft, semi.upperNext) < 10,
  };
}

/**
 * The opacity choices in the current colour: opaque a disc of it; half transparent, where the
 * colour lies, neither that disc nor the button's background (the colour at half over a
 * checker), and where it does not, a bare checker.
 */
async function opacityLooks(page: Page) {
  const red = await currentRed(page);
  const opaqueButton = page.getByRole('button', { name: 'Opacity: Opaque', exact: true });
  const halfButton = page.getByRole('button', { name: 'Opacity: Half transparent', exact: true });
  const [opaque] = await pixelsAt(opaqueButton.locator('.board-opacity'), [CENTRE]);
  const [half, bare, bareNext] = await pixelsAt(halfButton.locator('.board-opacity'), [
    LOWER_RIGHT,
    UPPER_LEFT,
    UPPER_NEXT,
  ]);
  const [halfButtonBackground] = await pixelsAt(halfButton, [[0.08, 0.5]]);
  return {
    opaqueIsColour: distance(opaque!, red) < 30,
    halfDiffersFromOpaque: distance(half!, opaque!) > 40,
    halfNotEmpty: distance(half!, halfButtonBackground!) > 40,
    halfShowsChecker: distance(bare!, bareNext!) > 25,
  };
}

const opacitiesDiffer = {
  opaqueIsColour: true,
  halfDiffersFromOpaque: true,
  halfNotEmpty: true,
  halfShowsChecker: true,
};

const clearlyDifferent = {
  solidIsColour: true,
  noneEmpty: true,
  noneSlashed: true,
  semiBetween: true,
  semiPlain: true,
};

describe('board toolbar: fill choices and the phone actions row (Chromium)', () => {
  const session = useBrowserSession();

  test('the fill and opacity choices differ in the current colour, dark and light, with names and pressed state', async () => {
    const { page, errors } = await openInNewContext(session.browser, session.app.origin + '/', {
      contexts: session.contexts,
      viewport: DESKTOP,
      colorScheme: 'dark',
    });
    await createRoom(page, 'Alice');
    await visibleInPage(page, BOARD_CANVAS);
    await page.getByRole('button', { name: 'Colour: Red' }).click();
    await page.getByRole('button', { name: 'Fill and opacity' }).click();
    for (const name of FILLS) {
      const button = page.getByRole('button', { name, exact: true });
      await button.click();
      await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    }
    // the last one clicked is pressed, the other two are not
    expect(
      await Promise.all(
        FILLS.map((name) =>
          page.getByRole('button', { name, exact: true }).getAttribute('aria-pressed'),
        ),
      ),
    ).toEqual(['false', 'false', 'true']);

    await expect.poll(() => fillLooks(page)).toMatchObject(clearlyDifferent);
    // the opacity choices beside them, named and pressed like the fills, drawn the same way
    const half = page.getByRole('button', { name: 'Opacity: Half transparent', exact: true });
    await half.click();
    await expect.poll(() => half.getAttribute('aria-pressed')).toBe('true');
    expect(
      await page
        .getByRole('button', { name: 'Opacity: Opaque', exact: true })
        .getAttribute('aria-pressed'),
    ).toBe('false');
    await expect.poll(() => opacityLooks(page)).toMatchObject(opacitiesDiffer);
    await screenshot(page, 'board-toolbar-fills-desktop-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await expect.poll(() => fillLooks(page)).toMatchObject(clearlyDifferent);
    await expect.poll(() => opacityLooks(page)).toMatchObject(opacitiesDiffer);
    await screenshot(page, 'board-toolbar-fills-desktop-light');
    expect(errors).toEqual([]);
  }, 120_000);

  test('phone: the actions row lines up with the tools row, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, errors } = await openInNewContext(session.browser, session.app.origin + '/', {
        contexts: session.contexts,
        viewport: PHONE_390,
        isMobile: true,
        hasTouch: true,
        colorScheme,
      });
      await createRoom(page, `Alice ${colorScheme}`);
      await page.getByRole('button', { name: 'Insert image…' }).waitFor();
      const rows = () =>
        page.evaluate(() => {
          const tools = document.querySelector('.board-toolbar')!.getBoundingClientRect();
          const actions = document.querySelector<HTMLElement>('.board-actions')!;
          const box = actions.getBoundingClientRect();
          const style = getComputedStyle(actions);
          const first = actions.querySelector('button')!.getBoundingClientRect();
          const paddingEdge =
            box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
          return {
            leftEdges: Math.round(Math.abs(box.left - tools.left)),
            firstButtonFromPaddingEdge: Math.round(Math.abs(first.left - paddingEdge)),
          };
        });
      await expect.poll(rows).toEqual({ leftEdges: 0, firstButtonFromPaddingEdge: 0 });
      await screenshot(page, `board-toolbar-phone-${colorScheme}`);
      await page.getByRole('button', { name: 'Colour and style' }).click();
      await page.getByRole('button', { name: 'Colour: Red' }).click();
      await expect.poll(() => fillLooks(page)).toMatchObject(clearlyDifferent);
      await screenshot(page, `board-toolbar-phone-style-${colorScheme}`);
      expect(errors).toEqual([]);
    }
  }, 120_000);
});
