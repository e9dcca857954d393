/**
 * The renderer's side of the load warm-up (core collab/loadWarmUp.ts): once, in idle time, for a
 * board that starts empty (a joiner's, before a peer's board can arrive), the warm-up board goes
 * the way a peer's board comes in and into a scene of its own, so the scene's bookkeeping is
 * warmed with it. A board with elements already has what it needs: nothing is run.
 */
import { warmUpBoardLoad } from '@peerboard/core/collab';
import { makeScene } from './scene';

/** Schedules the warm-up when `empty`; returns its cancel (a no-op once it ran). */
export function scheduleLoadWarmUp(empty: boolean): () => void {
  if (!empty || typeof requestIdleCallback !== 'function') return () => {};
  let handle: number | null = requestIdleCallback(
    () => {
      handle = null;
      const scene = makeScene();
      warmUpBoardLoad((change) => scene.apply(change));
    },
    { timeout: 2_000 },
  );
  return () => {
    if (handle !== null) cancelIdleCallback(handle);
    handle = null;
  };
}
