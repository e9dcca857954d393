/**
 * Following someone's viewport, as a pure state machine: start on a click on their avatar, stop
 * on our own pan or zoom, on Escape, or when they leave (the UI then says so). While following,
 * our camera shows what they see: their centre at our centre, at their zoom.
 */
import type { PresenceView } from '@peerboard/core/collab';
import type { Viewport } from './viewport';

export type FollowState = { kind: 'idle' } | { kind: 'following'; clientId: number; name: string };

/** why following stopped: our own camera move, Escape, their leaving, or a click on them again */
export type StopReason = 'moved' | 'escape' | 'left' | 'toggle';

export type FollowEvent =
  | { type: 'start'; clientId: number; name: string }
  | { type: 'stop'; reason: StopReason }
  /** the people present changed: `present` tells whether whoever we follow is still here */
  | { type: 'peers'; present: (clientId: number) => boolean };

export const IDLE: FollowState = { kind: 'idle' };

export function followStep(
  state: FollowState,
  event: FollowEvent,
): { state: FollowState; stopped: StopReason | null } {
  switch (event.type) {
    case 'start':
      if (state.kind === 'following' && state.clientId === event.clientId)
        return { state: IDLE, stopped: 'toggle' };
      return {
        state: { kind: 'following', clientId: event.clientId, name: event.name },
        stopped: null,
      };
    case 'stop':
      return state.kind === 'idle'
        ? { state, stopped: null }
        : { state: IDLE, stopped: event.reason };
    case 'peers':
      return state.kind === 'following' && !event.present(state.clientId)
        ? { state: IDLE, stopped: 'left' }
        : { state, stopped: null };
  }
}

/** Our camera for their view, on a canvas of width x height CSS pixels. */
export function viewportFor(view: PresenceView, width: number, height: number): Viewport {
  return { x: view.x - width / 2 / view.zoom, y: view.y - height / 2 / view.zoom, zoom: view.zoom };
}

/** What we publish for our followers: the world point at the middle of our canvas, and zoom. */
export function viewOf(v: Viewport, width: number, height: number): PresenceView {
  return { x: v.x + width / 2 / v.zoom, y: v.y + height / 2 / v.zoom, zoom: v.zoom };
}

/** Same camera within rounding (applying a follow update must not count as our own move). */
export const sameViewport = (a: Viewport, b: Viewport): boolean =>
  Math.abs(a.x - b.x) < 1e-6 && Math.abs(a.y - b.y) < 1e-6 && Math.abs(a.zoom - b.zoom) < 1e-9;
