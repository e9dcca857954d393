/**
 * Drives the laser trails (laserTrail.ts) on the renderer's overlay: repaints every frame while
 * some trail is still fading and stops when none is left.
 */
import type { PresenceLaser } from '@peerboard/core/collab';
import { makeLaserTrails } from './laserTrail';
import type { BoardRenderer } from './render/renderer';

export interface LaserLayer {
  own(colour: string, x: number, y: number): void;
  remote(clientId: number, colour: string, laser: PresenceLaser): void;
  drop(clientId: number): void;
  /** trails painted at the last frame (for tests through the debug hook) */
  painted(): number;
  destroy(): void;
}

export function makeLaserLayer(
  renderer: Pick<BoardRenderer, 'setOverlay'>,
  /** how many trails are on screen, when that number changes */
  onCount: (n: number) => void = () => undefined,
): LaserLayer {
  const trails = makeLaserTrails();
  let frame = 0;
  let painted = 0;
  let destroyed = false;
  const tick = (): void => {
    frame = 0;
    if (destroyed) return;
    const lasers = trails.paint(performance.now());
    if (lasers.length !== painted) onCount(lasers.length);
    painted = lasers.length;
    renderer.setOverlay({ lasers });
    if (lasers.length > 0) frame = requestAnimationFrame(tick);
  };
  const wake = (): void => {
    if (frame === 0 && !destroyed) frame = requestAnimationFrame(tick);
  };
  return {
    own(colour, x, y) {
      trails.addOwn('self', colour, x, y, performance.now());
      wake();
    },
    remote(clientId, colour, laser) {
      trails.receive(String(clientId), colour, laser, performance.now());
      wake();
    },
    drop(clientId) {
      trails.drop(String(clientId));
      wake();
    },
    painted: () => painted,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (frame !== 0) cancelAnimationFrame(frame);
    },
  };
}
