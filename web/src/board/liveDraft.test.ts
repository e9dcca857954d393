import { describe, expect, it } from 'vitest';
import { PRESENCE_LIMITS, readDraft } from '@peerboard/core/collab';
import { presenceDraft, simplifyPoints } from './liveDraft';

/** A wavy freehand line of n points, 2 world units apart. */
const wave = (n: number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i * 2, Math.sin(i / 15) * 60, 0.5);
  return out;
};

describe('live draft of a stroke being drawn', () => {
  it('keeps a short stroke as it is (quantised)', () => {
    const pts = [0, 0, 0.5, 1.13, 2.9, 0.52];
    expect(simplifyPoints(pts, 200, 0.5)).toEqual([0, 0, 0.5, 1.25, 3, 0.5]);
  });

  it('simplifies a long stroke to the bound, keeping both ends and the shape', () => {
    const pts = wave(5000);
    const out = simplifyPoints(pts, 200, 0.5);
    expect(out.length / 3).toBeLessThanOrEqual(200);
    expect(out.length / 3).toBeGreaterThan(20);
    expect(out.slice(0, 2)).toEqual([0, 0]);
    expect(out[out.length - 3]).toBe(pts[pts.length - 3]);
    // every kept point lies on the original wave (within quantisation)
    for (let i = 0; i < out.length; i += 3)
      expect(Math.abs(out[i + 1]! - Math.sin(out[i]! / 2 / 15) * 60)).toBeLessThan(0.2);
  });

  it('a straight scribble of identical points still fits', () => {
    const pts = new Array(3000).fill(0).flatMap(() => [5, 5, 0.5]);
    expect(simplifyPoints(pts, 200, 0.5).length / 3).toBeLessThanOrEqual(200);
  });

  it('what we publish is what readDraft accepts, and stays under the awareness size cap', () => {
    const draft = presenceDraft(
      {
        type: 'stroke',
        x: 1e6 + 0.3,
        y: -2e6,
        colour: '#e03131',
        strokeWidth: 8,
        points: wave(9000),
      },
      1,
    );
    expect(draft).not.toBeNull();
    expect(readDraft(JSON.parse(JSON.stringify(draft)))).toEqual(draft);
    expect(JSON.stringify(draft).length).toBeLessThan(6 * 1024);
    expect(draft?.type).toBe('stroke');
    const points = draft?.type === 'stroke' ? draft.points : [];
    expect(points.length).toBeGreaterThan(0);
    expect(points.length).toBeLessThanOrEqual(PRESENCE_LIMITS.draftMaxPoints * 3);
    const rect = {
      type: 'rect',
      x: 0,
      y: 0,
      w: 5,
      h: 5,
      colour: '#000000',
      strokeWidth: 2,
      fill: null,
    } as const;
    expect(presenceDraft(rect, 1)).toEqual(rect);
  });
});
