/**
 * Our awareness state, published at most once per animation frame: every setLocalState is a
 * broadcast of the whole state to every peer, and pointer events come faster than frames (and
 * a marquee changes the selection on each of them). Patches merge until the frame; the draft is
 * a function evaluated only then, so simplifying a long stroke happens once per frame, not per
 * pointer event.
 */
import type { Awareness } from 'y-protocols/awareness';
import {
  PRESENCE_EXTRA_LIMITS,
  setPresence,
  type LocalPresence,
  type PresenceDraft,
} from '@peerboard/core/collab';

export interface PresencePublisher {
  /** merge into the next broadcast */
  set(patch: Partial<Omit<LocalPresence, 'draft'>>): void;
  /** what we are drawing (computed at broadcast time), null when we stop */
  setDraft(make: (() => PresenceDraft | null) | null): void;
  /** a laser pointer point (world); points go out in one batch per frame */
  addLaser(x: number, y: number): void;
  /** broadcast what is pending now (end of a gesture: the others should not wait a frame) */
  flush(): void;
  destroy(): void;
}

export function makePresencePublisher(awareness: Awareness): PresencePublisher {
  let patch: Partial<LocalPresence> = {};
  let dirty = false;
  let draft: (() => PresenceDraft | null) | null | undefined;
  let drafting = false;
  let laser: number[] = [];
  let laserSeq = 0;
  let frame = 0;
  let destroyed = false;

  const flush = (): void => {
    if (frame !== 0) cancelAnimationFrame(frame);
    frame = 0;
    if (!dirty || destroyed) return;
    const next: Partial<LocalPresence> = patch;
    if (draft !== undefined) next.draft = draft === null ? null : draft();
    if (laser.length > 0) {
      // a sender that falls behind sends its newest points only (receivers keep as many)
      next.laser = {
        seq: ++laserSeq,
        points: laser.slice(-PRESENCE_EXTRA_LIMITS.laserMaxPoints * 2),
      };
      laser = [];
    }
    patch = {};
    draft = undefined;
    dirty = false;
    setPresence(awareness, next);
  };

  const schedule = (): void => {
    dirty = true;
    if (frame === 0 && !destroyed) frame = requestAnimationFrame(flush);
  };

  return {
    set(p) {
      patch = { ...patch, ...p };
      schedule();
    },
    setDraft(make) {
      // nothing to clear when we were not drawing: no broadcast
      if (make === null && !drafting && draft === undefined) return;
      drafting = make !== null;
      draft = make;
      schedule();
    },
    addLaser(x, y) {
      laser.push(x, y);
      schedule();
    },
    flush,
    destroy() {
      if (destroyed) return;
      if (drafting) {
        // do not leave a half-drawn shape on the others' screens
        draft = null;
        dirty = true;
      }
      flush();
      destroyed = true;
    },
  };
}
