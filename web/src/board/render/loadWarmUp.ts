/**
 * The renderer's side of the load warm-up (core collab/loadWarmUp.ts): once, in idle time, for a
 * board that starts empty (a joiner's, before a peer's board can arrive), the warm-up board is
 * made, then goes the way a peer's board comes in and into a scene of its own, so the scene's
 * bookkeeping is warmed with it. Two idle tasks, not one: each is a long task on a cold page
 * (~40-140 ms each here). A board with elements already has what it needs: nothing is run.
 */
import { warmUpBoardLoad, warmUpUpdate } from '@peerboard/core/collab';
import { makeScene } from './scene';

/** what one step costs a page that starts, in the browser's performance timeline */
function measured<T>(name: string, step: () => T): T {
  const start = performance.now();
  const out = step();
  performance.measure(`peerboard: ${name}`, { start, end: performance.now() });
  return out;
}

/** Schedules the warm-up when `empty`; returns its cancel (a no-op once it ran). */
export function scheduleLoadWarmUp(empty: boolean): () => void {
  if (!empty || typeof requestIdleCallback !== 'function') return () => {};
  let handle: number | null = null;
  const idle = (step: () => void) => {
    handle = requestIdleCallback(
      () => {
        handle = null;
        step();
      },
      { timeout: 2_000 },
    );
  };
  idle(() => {
    const update = measured('warm-up board made', warmUpUpdate);
    idle(() => {
      const scene = makeScene();
      measured('warm-up board loaded', () => warmUpBoardLoad(update, (c) => scene.apply(c)));
    });
  });
  return () => {
    if (handle !== null) cancelIdleCallback(handle);
    handle = null;
  };
}
