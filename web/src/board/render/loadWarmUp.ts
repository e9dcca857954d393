/**
 * The renderer's side of the load warm-up (core collab/loadWarmUp.ts): once, in idle time, for a
 * board that is empty once its stored board is in (a joiner's, before a peer's board can
 * arrive), the warm-up board is made, then goes the way a peer's board comes in and into a scene
 * of its own, so the scene's bookkeeping is warmed with it. Two idle tasks, not one: each is a
 * long task on a cold page (~25-150 ms each here). A board with elements (stored, or arrived
 * meanwhile) needs none: nothing more is run.
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

/**
 * Schedules the warm-up after `stored` settles, each step only while `isEmpty()`; returns its
 * cancel.
 */
export function scheduleLoadWarmUp(
  isEmpty: () => boolean,
  stored: Promise<unknown> = Promise.resolve(),
): () => void {
  if (typeof requestIdleCallback !== 'function') return () => {};
  let handle: number | null = null;
  let cancelled = false;
  const idle = (step: () => void) => {
    if (cancelled || !isEmpty()) return;
    handle = requestIdleCallback(
      () => {
        handle = null;
        if (!cancelled && isEmpty()) step();
      },
      { timeout: 2_000 },
    );
  };
  const start = () =>
    idle(() => {
      const update = measured('warm-up board made', warmUpUpdate);
      idle(() => {
        const scene = makeScene();
        measured('warm-up board loaded', () => warmUpBoardLoad(update, (c) => scene.apply(c)));
      });
    });
  void stored.then(start, start);
  return () => {
    cancelled = true;
    if (handle !== null) cancelIdleCallback(handle);
    handle = null;
  };
}
