/**
 * The toolbar's style and the selection: what a style button writes to each selected element,
 * and the style the toolbar shows for a selection (a value only where all selected agree).
 * Pure; text measuring is passed in.
 */
import type { BoardElement, ElementPatch } from '@peerboard/core/collab';
import { fontSizeFor, WIDTHS, type DrawStyle, type FillMode } from './input/tools';

const isShape = (el: BoardElement): el is Extract<BoardElement, { fill: string | null }> =>
  el.type === 'rect' || el.type === 'ellipse' || el.type === 'diamond';

export function fillModeOf(el: BoardElement): FillMode | undefined {
  if (!isShape(el)) return undefined;
  if (el.fill === null) return 'none';
  return el.fillStyle === 'semi' ? 'semi' : 'solid';
}

/** Fill fields for a shape of colour `colour` in `mode`: the fill takes the shape's colour. */
export function fillPatch(mode: FillMode, colour: string): ElementPatch {
  if (mode === 'none') return { fill: null, fillStyle: 'solid' };
  return { fill: colour, fillStyle: mode };
}

/**
 * What applying `style` (the fields the user just picked) to `el` changes. A width on text
 * becomes its font size (Thin / Medium / Bold); a colour on a filled shape recolours its fill.
 */
export function stylePatch(
  el: BoardElement,
  style: Partial<DrawStyle>,
  measure: (text: string, fontSize: number) => { w: number; h: number },
): ElementPatch {
  const patch: ElementPatch = {};
  if (style.colour !== undefined) patch.colour = style.colour;
  if (style.opacity !== undefined) patch.opacity = style.opacity;
  if (style.strokeWidth !== undefined) {
    if (el.type === 'text') {
      patch.fontSize = fontSizeFor(style.strokeWidth);
      Object.assign(patch, measure(el.text, patch.fontSize));
    } else patch.strokeWidth = style.strokeWidth;
  }
  if (isShape(el)) {
    const mode = style.fill ?? fillModeOf(el)!;
    if (style.fill !== undefined || (style.colour !== undefined && mode !== 'none'))
      Object.assign(patch, fillPatch(mode, style.colour ?? el.colour));
  }
  return patch;
}

/** The width button a text's font size stands for (the closest). */
const widthOfText = (fontSize: number): number =>
  WIDTHS.reduce((best, w) =>
    Math.abs(w.fontSize - fontSize) < Math.abs(best.fontSize - fontSize) ? w : best,
  ).width;

/** The style shared by every selected element; a field is absent where they differ. */
export function selectionStyle(elements: readonly BoardElement[]): Partial<DrawStyle> {
  if (elements.length === 0) return {};
  const out: Partial<DrawStyle> = {};
  const agree = <K extends keyof DrawStyle>(key: K, values: (DrawStyle[K] | undefined)[]) => {
    const defined = values.filter((v) => v !== undefined);
    if (defined.length > 0 && defined.every((v) => v === defined[0])) out[key] = defined[0];
  };
  agree(
    'colour',
    elements.map((e) => e.colour),
  );
  agree(
    'strokeWidth',
    elements.map((e) => (e.type === 'text' ? widthOfText(e.fontSize) : e.strokeWidth)),
  );
  agree('fill', elements.map(fillModeOf));
  agree(
    'opacity',
    elements.map((e) => e.opacity ?? 1),
  );
  return out;
}

/**
 * How the selection stands towards groups, so the menu offers only what applies: 'none' (no
 * element is in a group: nothing to ungroup), 'whole' (exactly one group and nothing else:
 * grouping again would change nothing) or 'some'.
 */
export type SelectionGrouping = 'none' | 'whole' | 'some';

export function selectionGrouping(elements: readonly BoardElement[]): SelectionGrouping {
  const groups = new Set(elements.map((e) => e.group ?? null));
  if (!elements.some((e) => e.group)) return 'none';
  return groups.size === 1 ? 'whole' : 'some';
}
