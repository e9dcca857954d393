/**
 * Draws the app icons (web/public/icons/*.png) from the same shapes as favicon.svg / LogoMark:
 * two dots joined by a line on the accent colour. Run by hand when the mark changes:
 *   node --import tsx web/scripts/makeIcons.ts
 * The PNGs are committed (a few KB each), so a build needs no image tooling.
 *
 * Shapes are signed distance functions sampled 4x4 per pixel, which anti-aliases edges without
 * a rasteriser dependency; pngjs only encodes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];
const ACCENT: Rgb = [0x4f, 0x46, 0xe5];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const SOFT: Rgb = [0xc7, 0xd2, 0xfe];

/** Distance (in the 32-unit design grid) to each shape; negative inside. */
const roundedSquare = (x: number, y: number, r: number) => {
  const qx = Math.abs(x - 16) - (16 - r);
  const qy = Math.abs(y - 16) - (16 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x: number, y: number, cx: number, cy: number, r: number) =>
  Math.hypot(x - cx, y - cy) - r;
const segment = (
  x: number,
  y: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  w: number,
) => {
  const [px, py, dx, dy] = [x - ax, y - ay, bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - w / 2;
};

/** Colour at a design-grid point, or null outside the icon (transparent). */
function shade(x: number, y: number, fullBleed: boolean): Rgb | null {
  if (!fullBleed && roundedSquare(x, y, 8) > 0) return null;
  if (circle(x, y, 11, 12, 4) <= 0 || segment(x, y, 13.5, 14.5, 18.5, 17.5, 2.2) <= 0) return WHITE;
  if (circle(x, y, 21, 20, 4) <= 0) return SOFT;
  return ACCENT;
}

/**
 * `maskable`: full-bleed background, the mark scaled into the central 80 % safe zone, so any
 * platform mask (circle, squircle) keeps all of it.
 */
function draw(size: number, maskable: boolean): Buffer {
  const png = new PNG({ width: size, height: size });
  const scale = maskable ? 0.7 : 1;
  const SUB = 4;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < SUB; sy++)
        for (let sx = 0; sx < SUB; sx++) {
          const u = ((px + (sx + 0.5) / SUB) / size) * 32;
          const v = ((py + (sy + 0.5) / SUB) / size) * 32;
          // maskable: the background fills the square; only the mark is scaled down
          const inner = shade(16 + (u - 16) / scale, 16 + (v - 16) / scale, maskable);
          const c = inner ?? (maskable ? ACCENT : null);
          if (c === null) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      const i = (py * size + px) * 4;
      png.data[i] = a === 0 ? 0 : Math.round(r / a);
      png.data[i + 1] = a === 0 ? 0 : Math.round(g / a);
      png.data[i + 2] = a === 0 ? 0 : Math.round(b / a);
      png.data[i + 3] = Math.round((a / (SUB * SUB)) * 255);
    }
  return PNG.sync.write(png);
}

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public/icons');
mkdirSync(out, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true],
] as const) {
  writeFileSync(path.join(out, name), draw(size, maskable));
  console.log(`${name} ${size}x${size}`);
}
