import { SaxesParser } from 'saxes';
import { describe, expect, test } from 'vitest';
import type { BoardElement } from '@peerboard/core/collab';
import { boardToSvg, exportBounds, EXPORT_PADDING } from './exportBoard';
import { hasRealPressure, makeSvgPathBuilder, strokeOutline, traceElement } from './render/shapes';

const common = { author: 1, colour: '#e03131', strokeWidth: 4 };
const elements: BoardElement[] = [
  {
    ...common,
    id: 's',
    z: 'a1',
    type: 'stroke',
    x: 10,
    y: 10,
    points: [0, 0, 0.5, 40, 10, 0.5, 80, 0, 0.5],
  },
  { ...common, id: 'r', z: 'a2', type: 'rect', x: 100, y: 0, w: 50, h: 40, fill: '#ffec99' },
  { ...common, id: 'e', z: 'a3', type: 'ellipse', x: 0, y: 100, w: 60, h: 30, fill: null },
  { ...common, id: 'a', z: 'a4', type: 'arrow', x: 0, y: 200, w: 100, h: 0 },
  {
    ...common,
    id: 't',
    z: 'a5',
    type: 'text',
    x: 0,
    y: 300,
    w: 200,
    h: 60,
    text: '<script>alert("x")</script> & co\nsecond line',
    fontSize: 24,
  },
];

describe('export', () => {
  test('SVG: one shape per element, white background, viewBox around everything', () => {
    const svg = boardToSvg(elements);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)?.length).toBe(4);
    expect(svg).toContain('fill="#ffec99"');
    expect(svg).toContain('<text ');
    expect(svg).toContain('fill="#ffffff"');
    const b = exportBounds(elements);
    expect(svg).toContain(`viewBox="${b.minX} ${b.minY} ${b.maxX - b.minX} ${b.maxY - b.minY}"`);
    expect(b.minX).toBeLessThan(-EXPORT_PADDING + 1);
  });

  test('SVG: text is escaped, never markup', () => {
    const svg = boardToSvg(elements);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(svg.match(/<tspan /g)?.length).toBe(2);
  });

  test('SVG is well-formed XML whatever the text: every control character, ]]>, markup', () => {
    let hostile = '<script>alert(1)</script> ]]> <![CDATA[x]]> &amp; &bogus; "\' ';
    for (let c = 0; c <= 0x9f; c++) hostile += String.fromCharCode(c);
    hostile += '\ud800 lone \udfff \ufffe\uffff \u202e bidi 😀';
    const text: BoardElement = {
      ...common,
      id: 'x',
      z: 'a9',
      type: 'text',
      x: 0,
      y: 0,
      w: 10,
      h: 10,
      text: hostile,
      fontSize: 12,
    };
    const svg = boardToSvg([...elements, text]);
    // a strict XML parser: refuses disallowed characters, "]]>" in text, undefined entities
    const parser = new SaxesParser();
    const errors: string[] = [];
    const tags: string[] = [];
    let chars = '';
    parser.on('error', (e) => errors.push(e.message));
    parser.on('opentag', (t) => tags.push(t.name));
    parser.on('text', (t) => (chars += t));
    parser.write(svg).close();
    expect(errors).toEqual([]);
    expect(tags).not.toContain('script');
    expect(new Set(tags)).toEqual(new Set(['svg', 'rect', 'path', 'text', 'tspan']));
    // the text survives as text, less what XML cannot carry
    expect(chars).toContain('<script>alert(1)</script> ]]> <![CDATA[x]]> &amp; &bogus;');
    expect(chars).toContain('😀');
    // eslint-disable-next-line no-control-regex
    expect(chars).not.toMatch(/[\u0000-\u0008\ufffe\uffff]/);
  });

  test('SVG of an empty board is still a valid document', () => {
    const svg = boardToSvg([]);
    expect(svg).toMatch(/^<svg [^>]*><rect [^>]*\/><\/svg>$/);
  });
});

describe('shapes', () => {
  test('stroke outline is a polygon around the input points', () => {
    const el = elements[0] as Extract<BoardElement, { type: 'stroke' }>;
    const outline = strokeOutline(el);
    expect(outline.length).toBeGreaterThan(6);
    for (const p of outline) {
      expect(p).toHaveLength(2);
      expect(p[0]).toBeGreaterThan(10 - 10);
      expect(p[0]).toBeLessThan(90 + 10);
    }
  });

  test('mouse strokes (constant 0.5 pressure) simulate pressure; pen strokes do not', () => {
    expect(hasRealPressure([0, 0, 0.5, 1, 1, 0.5])).toBe(false);
    expect(hasRealPressure([0, 0, 0.5, 1, 1, 0.8])).toBe(true);
  });

  test('path commands: rectangles close, ellipses become two arcs, text has no path', () => {
    const rect = makeSvgPathBuilder();
    expect(traceElement(rect, elements[1]!)).toBe('stroke');
    expect(rect.toString()).toBe('M100 0L150 0L150 40L100 40Z');
    const ell = makeSvgPathBuilder();
    traceElement(ell, elements[2]!);
    expect(ell.toString()).toBe('M0 115A30 15 0 1 0 60 115A30 15 0 1 0 0 115Z');
    expect(traceElement(makeSvgPathBuilder(), elements[4]!)).toBeNull();
    const arrow = makeSvgPathBuilder();
    traceElement(arrow, elements[3]!);
    expect(arrow.toString().match(/M/g)?.length).toBe(2); // shaft + head
  });
});

describe('labels in the SVG export', () => {
  test('writes a shape label as centred, escaped lines inside the shape', () => {
    const svg = boardToSvg([
      {
        id: 'r',
        author: 1,
        z: 'a0',
        type: 'rect',
        x: 0,
        y: 0,
        w: 400,
        h: 100,
        colour: '#1e1e1e',
        strokeWidth: 2,
        fill: null,
        label: 'Hello <world>',
      },
    ]);
    expect(svg).toContain('text-anchor="middle"');
    expect(svg).toContain('<tspan x="200"');
    expect(svg).toContain('Hello &lt;world&gt;</tspan>');
  });
});
