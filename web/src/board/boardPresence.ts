/**
 * The board's presence features beyond cursors and drafts: laser trails (ours and the others'),
 * following someone's viewport, publishing our own viewport for whoever follows us, and each
 * person's away state and verified browser (for "2 tabs"). makeBoard creates one and feeds it
 * the validated remote presences on every awareness change.
 */
import type { Awareness } from 'y-protocols/awareness';
import {
  type LocalPresence,
  type PresenceAway,
  type PresenceDevices,
  type PresenceNames,
} from '@peerboard/core/collab';
import type { BoardController } from './input/controller';
import {
  followStep,
  IDLE,
  sameViewport,
  viewOf,
  viewportFor,
  type FollowState,
  type StopReason,
} from './follow';
import { makeLaserLayer } from './laserLayer';
import type { BoardRenderer } from './render/renderer';

/** What the board adds to each remote presence for the UI. */
export interface PresenceExtrasView {
  /** verified browser of that tab (same value for two tabs of one browser) */
  device?: string;
  /** the room peer (PeerInfo.id) whose link brought this presence: the People list's row */
  peerId?: string;
  away: PresenceAway | null;
  /** publishes its viewport: can be followed */
  followable: boolean;
}

export interface BoardPresence {
  /** the validated remote presences changed (awareness change) */
  update(remote: ReadonlyMap<number, LocalPresence>): void;
  extrasOf(clientId: number, p: LocalPresence): PresenceExtrasView;
  /** follow that person (again: stop following) */
  follow(clientId: number, name: string): void;
  stopFollowing(reason: StopReason): void;
  following(): FollowState;
  /** the canvas changed size: our published centre moved */
  resized(): void;
  /** Escape stops following; true when it did */
  keyDown(e: KeyboardEvent): boolean;
  destroy(): void;
}

export function makeBoardPresence(o: {
  awareness: Awareness;
  renderer: BoardRenderer;
  controller: BoardController;
  names: PresenceNames;
  /** the session's verified devices (the caller owns them) */
  devices: PresenceDevices;
  /** any verified device changed: the peers list should be rebuilt */
  devicesChanged(): void;
  followChanged(state: FollowState, stopped: StopReason | null): void;
  /** laser trails on screen (ours included), when the number changes */
  lasers(n: number): void;
}): BoardPresence {
  const { awareness, renderer, controller } = o;
  const { devices } = o;
  const offDevices = devices.onChange(o.devicesChanged);
  const lasers = makeLaserLayer(renderer, o.lasers);
  let follow: FollowState = IDLE;
  let remote: ReadonlyMap<number, LocalPresence> = new Map();
  let applying = false;
  const seenLasers = new Set<number>();

  const step = (event: Parameters<typeof followStep>[1]): void => {
    const next = followStep(follow, event);
    const changed = next.state !== follow;
    follow = next.state;
    if (changed || next.stopped) o.followChanged(follow, next.stopped);
    applyFollow();
  };

  /** show what the person we follow sees (not counted as our own camera move) */
  const applyFollow = (): void => {
    if (follow.kind !== 'following') return;
    const view = remote.get(follow.clientId)?.view;
    if (!view) return;
    const { width, height } = renderer.size();
    const next = viewportFor(view, width, height);
    if (sameViewport(next, renderer.viewport())) return;
    applying = true;
    try {
      controller.setViewport(next);
    } finally {
      applying = false;
    }
  };

  const publishView = (): void => {
    const { width, height } = renderer.size();
    if (width > 0 && height > 0)
      controller.publish({ view: viewOf(renderer.viewport(), width, height) });
  };

  const offs = [
    controller.on('laser', (p) => {
      const me = awareness.getLocalState() as { colour?: unknown } | null;
      lasers.own(typeof me?.colour === 'string' ? me.colour : '#e03131', p.x, p.y);
    }),
    controller.on('viewport', () => {
      publishView();
      if (!applying) step({ type: 'stop', reason: 'moved' });
    }),
  ];
  publishView();

  return {
    update(next) {
      remote = next;
      for (const [id, p] of next)
        if (p.laser) {
          lasers.remote(id, p.colour, p.laser);
          seenLasers.add(id);
        }
      for (const id of seenLasers)
        if (!next.has(id)) {
          lasers.drop(id);
          seenLasers.delete(id);
        }
      step({ type: 'peers', present: (id) => next.has(id) });
    },
    extrasOf(clientId, p) {
      const owner = o.names.ownerOf(clientId);
      const device = owner ? devices.deviceOf(owner) : undefined;
      return {
        ...(device ? { device } : {}),
        ...(owner ? { peerId: owner } : {}),
        away: p.away ?? null,
        followable: p.view !== undefined,
      };
    },
    follow: (clientId, name) => step({ type: 'start', clientId, name }),
    stopFollowing: (reason) => step({ type: 'stop', reason }),
    following: () => follow,
    resized() {
      publishView();
      applyFollow();
    },
    keyDown(e) {
      if (e.key !== 'Escape' || follow.kind !== 'following') return false;
      step({ type: 'stop', reason: 'escape' });
      return true;
    },
    destroy() {
      for (const off of offs) off();
      offDevices();
      lasers.destroy();
    },
  };
}
