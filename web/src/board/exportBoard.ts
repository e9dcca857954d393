/**
 * Export the whole board as SVG (vector, same paths as the screen) or PNG (painted with the
 * renderer's paint code), always in the light palette on white so it prints and pastes well.
 */
import type { BoardElement } from '@peerboard/core/collab';
import { buildPath, fillOf, paintElement } from './render/draw';
import type { ImageLookup } from './render/imagePaint';
import { elementBounds, expandRect, unionRects, type Rect } from './geometry';
import { labelLayout, type LabelLayout } from './render/labels';
import {
  makeSvgPathBuilder,
  TEXT_FONT_FAMILY,
  TEXT_LINE_HEIGHT,
  textLines,
  traceElement,
} from './render/shapes';

export const EXPORT_PADDING = 32;
/** PNG side limit: browsers refuse canvases much larger than this */
const PNG_MAX_SIDE = 8192;

export const exportBounds = (elements: readonly BoardElement[]): Rect =>
  expandRect(
    unionRects(elements.map(elementBounds)) ?? { minX: 0, minY: 0, maxX: 400, maxY: 300 },
    EXPORT_PADDING,
  );

/**
 * Characters XML 1.0 does not allow at all, even escaped: C0 controls but tab, newline and
 * carriage return; lone surrogate halves; U+FFFE and U+FFFF. Board text comes from peers and
 * may hold any of them: one would make the whole exported file unreadable.
 */
const XML_INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text made safe for XML character data and attribute values (so `]]>` is `]]&gt;`). */
export const escapeXml = (s: string): string =>
  s
    .replace(XML_INVALID, '')
    .replace(/[<>&"']/g, (c) =>
      c === '<'
        ? '&lt;'
        : c === '>'
          ? '&gt;'
          : c === '&'
            ? '&amp;'
            : c === '"'
              ? '&quot;'
              : '&#39;',
    );

const n = (v: number): string => String(Math.round(v * 100) / 100);

/** A shape's label: the same wrapped, centred lines as on the canvas. */
function labelSvg(l: LabelLayout, colour: string, alpha: string): string {
  const lead = (l.lineHeight - l.fontSize) / 2;
  const spans = l.lines
    .map(
      (line, i) =>
        `<tspan x="${n(l.cx)}" y="${n(l.top + lead + i * l.lineHeight)}">${escapeXml(line)}</tspan>`,
    )
    .join('');
  return (
    `<text font-family="${escapeXml(TEXT_FONT_FAMILY)}" font-weight="500" font-size="${n(l.fontSize)}" ` +
    `fill="${escapeXml(colour)}"${alpha} text-anchor="middle" dominant-baseline="text-before-edge" xml:space="preserve">${spans}</text>`
  );
}

/** base64 of bytes, in slices (String.fromCharCode of a whole image overflows the stack) */
function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * A standalone SVG document of `elements` (in paint order). Images are embedded as data URIs of
 * their verified raster bytes (`imageBytes`); one whose bytes are not here is a grey box.
 */
export function boardToSvg(
  elements: readonly BoardElement[],
  imageBytes?: (sha256: string) => Uint8Array | null,
): string {
  const b = exportBounds(elements);
  const w = b.maxX - b.minX;
  const h = b.maxY - b.minY;
  const body: string[] = [];
  for (const el of elements) {
    const alpha = el.opacity !== undefined && el.opacity !== 1 ? ` opacity="${n(el.opacity)}"` : '';
    if (el.type === 'image') {
      const bytes = imageBytes?.(el.sha256);
      const box = `x="${n(el.x)}" y="${n(el.y)}" width="${n(el.w)}" height="${n(el.h)}"`;
      body.push(
        bytes
          ? `<image ${box}${alpha} preserveAspectRatio="none" href="data:${el.mime};base64,${toBase64(bytes)}"/>`
          : `<rect ${box}${alpha} fill="#e6e8ee"/>`,
      );
      continue;
    }
    if (el.type === 'text') {
      const lh = el.fontSize * TEXT_LINE_HEIGHT;
      const top = el.y + (lh - el.fontSize) / 2;
      const spans = textLines(el.text)
        .map((line, i) => `<tspan x="${n(el.x)}" y="${n(top + i * lh)}">${escapeXml(line)}</tspan>`)
        .join('');
      body.push(
        `<text font-family="${escapeXml(TEXT_FONT_FAMILY)}" font-weight="500" font-size="${n(el.fontSize)}" ` +
          `fill="${escapeXml(el.colour)}"${alpha} dominant-baseline="text-before-edge" xml:space="preserve">${spans}</text>`,
      );
      continue;
    }
    const d = makeSvgPathBuilder();
    const paint = traceElement(d, el);
    if (paint === 'fill')
      body.push(`<path d="${d.toString()}" fill="${escapeXml(el.colour)}"${alpha}/>`);
    else if (paint === 'stroke') {
      const fill = fillOf(el);
      const fillAttrs = fill
        ? `fill="${escapeXml(fill.colour)}"` +
          (fill.alpha !== 1 ? ` fill-opacity="${n(fill.alpha)}"` : '')
        : 'fill="none"';
      body.push(
        `<path d="${d.toString()}" ${fillAttrs}${alpha} stroke="${escapeXml(el.colour)}" stroke-width="${n(el.strokeWidth)}" ` +
          'stroke-linecap="round" stroke-linejoin="round"/>',
      );
    }
    if (el.type === 'rect' || el.type === 'ellipse' || el.type === 'diamond') {
      const label = labelLayout(el);
      if (label) body.push(labelSvg(label, el.colour, alpha));
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" ` +
    `viewBox="${n(b.minX)} ${n(b.minY)} ${n(w)} ${n(h)}">` +
    `<rect x="${n(b.minX)}" y="${n(b.minY)}" width="${n(w)}" height="${n(h)}" fill="#ffffff"/>` +
    body.join('') +
    '</svg>'
  );
}

/** The board painted at `scale` device pixels per world unit (reduced if it would be huge). */
export function boardToPng(
  elements: readonly BoardElement[],
  scale = 2,
  images?: ImageLookup,
): Promise<Blob> {
  const b = exportBounds(elements);
  const w = b.maxX - b.minX;
  const h = b.maxY - b.minY;
  const s = Math.min(scale, PNG_MAX_SIDE / w, PNG_MAX_SIDE / h);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * s));
  canvas.height = Math.max(1, Math.round(h * s));
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no 2D canvas context'));
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(s, 0, 0, s, -b.minX * s, -b.minY * s);
  for (const el of elements) paintElement(ctx, el, buildPath(el), 'light', images);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))),
      'image/png',
    ),
  );
}

/** Save `blob` through the browser's download. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // the click has started the download by the next task
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
