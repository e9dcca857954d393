/**
 * Labels inside rectangles, ellipses and diamonds: the text wraps to the shape's width (less a
 * padding), each line centred, the block centred vertically, so it moves and resizes with the
 * shape. One layout for the canvas, the SVG export and the inline editor. Pure but for the
 * default measure (a canvas when there is a document).
 */
import type { ShapeElement } from '@peerboard/core/collab';
import { TEXT_LINE_HEIGHT, textFont } from './shapes';

export const LABEL_PADDING = 8;

/** Label size follows the shape's stroke width: thin 20, medium 24, bold 32. */
export const labelFontSize = (strokeWidth: number): number =>
  Math.min(40, Math.max(16, 16 + strokeWidth * 2));

export type Measure = (text: string) => number;

/**
 * Greedy word wrap to `maxWidth`; a word wider than a line is broken between characters.
 * Explicit newlines are kept.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      const next = line === '' ? word : `${line} ${word}`;
      if (measure(next) <= maxWidth) {
        line = next;
        continue;
      }
      if (line !== '') out.push(line);
      // the word alone: broken between characters while it is wider than a line
      let rest = word;
      while (rest.length > 1 && measure(rest) > maxWidth) {
        let n = 1;
        while (n < rest.length - 1 && measure(rest.slice(0, n + 1)) <= maxWidth) n++;
        out.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

let measureCtx: CanvasRenderingContext2D | null | undefined;

/** A canvas measure in the label font; an estimate where there is no DOM (Node tests). */
export function labelMeasure(fontSize: number): Measure {
  if (measureCtx === undefined)
    measureCtx =
      typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const ctx = measureCtx;
  if (!ctx) return (t) => t.length * fontSize * 0.6;
  return (t) => {
    ctx.font = textFont(fontSize);
    return ctx.measureText(t).width;
  };
}

export interface LabelLayout {
  lines: string[];
  fontSize: number;
  lineHeight: number;
  /** horizontal centre of every line */
  cx: number;
  /** top of the first line's box */
  top: number;
}

export function labelLayout(
  el: Pick<ShapeElement, 'x' | 'y' | 'w' | 'h' | 'strokeWidth'> & { label?: string },
  measure?: Measure,
): LabelLayout | null {
  if (!el.label) return null;
  const fontSize = labelFontSize(el.strokeWidth);
  const width = Math.max(fontSize, el.w - LABEL_PADDING * 2);
  const lines = wrapText(el.label, width, measure ?? labelMeasure(fontSize));
  const lineHeight = fontSize * TEXT_LINE_HEIGHT;
  return {
    lines,
    fontSize,
    lineHeight,
    cx: el.x + el.w / 2,
    top: el.y + el.h / 2 - (lines.length * lineHeight) / 2,
  };
}
