/**
 * A synthetic board for benchmarks and E2E: `count` mouse-like strokes over AREA in the app's
 * document layout, from a seed, so the board bench (web/bench/board.ts) and the join E2E
 * (web/e2e/board-join-preview.test.ts) load the same kind of board.
 */
import * as Y from 'yjs';
import { BASE_KEY, keyBetween, LOCAL_ORIGIN, readElement, storedBase } from '../../src/collab';
import { seededRandom } from './seededRandom';

const COLOURS = ['#1e1e1e', '#e03131', '#2f9e44', '#1971c2', '#7048e8'];
/** world size of the synthetic board: ~39 screens of 1280 x 800 */
export const AREA = { w: 8000, h: 5000 };

/** A mouse-like scribble: a smooth random walk, 4-px steps. */
function scribble(r: () => number, n: number): number[] {
  const pts: number[] = [];
  let x = 0;
  let y = 0;
  let angle = r() * Math.PI * 2;
  for (let i = 0; i < n; i++) {
    pts.push(Math.round(x * 4) / 4, Math.round(y * 4) / 4, 0.5);
    angle += (r() - 0.5) * 0.6;
    x += Math.cos(angle) * 4;
    y += Math.sin(angle) * 4;
  }
  return pts;
}

/** One stroke's fields somewhere in AREA: 20-120 points unless `points` is given. */
export function strokeFields(r: () => number, points = 20 + Math.floor(r() * 100)) {
  return {
    type: 'stroke' as const,
    x: Math.round(r() * AREA.w),
    y: Math.round(r() * AREA.h),
    colour: COLOURS[Math.floor(r() * COLOURS.length)]!,
    strokeWidth: [2, 4, 8][Math.floor(r() * 3)]!,
    points: scribble(r, points),
  };
}

/** A Y update holding `count` valid strokes in the app's document layout. */
export function boardUpdate(count: number, seed = 20261124): Uint8Array {
  const r = seededRandom(seed);
  const doc = new Y.Doc();
  const map = doc.getMap<unknown>('elements');
  let z: string | null = null;
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      z = keyBetween(z, null);
      const id = `s${i.toString(36).padStart(6, '0')}`;
      const checked = readElement({ ...strokeFields(r), id, author: doc.clientID, z }, id);
      if (!checked.ok) throw new Error(checked.message);
      const yel = new Y.Map<unknown>();
      yel.set(BASE_KEY, storedBase(checked.value));
      map.set(id, yel);
    }
  }, LOCAL_ORIGIN);
  return Y.encodeStateAsUpdate(doc);
}
