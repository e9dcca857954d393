/**
 * Size of a text element's box: measured with the same font the canvas paints with, so the
 * selection frame, hit testing and culling fit the glyphs.
 */
import { TEXT_LINE_HEIGHT, textFont, textLines } from './shapes';

let measureCtx: CanvasRenderingContext2D | null = null;

export function measureText(text: string, fontSize: number): { w: number; h: number } {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  const lines = textLines(text);
  let w = 0;
  if (measureCtx) {
    measureCtx.font = textFont(fontSize);
    for (const line of lines) w = Math.max(w, measureCtx.measureText(line).width);
  } else {
    w = Math.max(...lines.map((l) => l.length)) * fontSize * 0.6;
  }
  return { w: Math.ceil(w) + 2, h: Math.ceil(lines.length * fontSize * TEXT_LINE_HEIGHT) };
}
