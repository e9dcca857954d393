/**
 * What each client shows the others through awareness: name, colour, pointer position (board
 * coordinates), selected element ids, whether it is typing in the chat, and the shape it is
 * drawing right now (`draft`, so others see the pen move before the element is committed).
 * Remote states are whatever a peer sent, so they go through readPresence before the UI uses
 * them.
 */
import type { Awareness } from 'y-protocols/awareness';
import { DISPLAY_NAME_MAX_LENGTH, err, ok, sanitizeText, type Result } from '@peerboard/protocol';
import type { DistributiveOmit, Unsubscribe } from '../types';
import { RemoteOrigin } from './docUpdates';
import {
  BOARD_LIMITS,
  isColour,
  isElementId,
  readElement,
  type LineElement,
  type ShapeElement,
  type StrokeElement,
} from './elements';
import {
  readExtras,
  type PresenceAway,
  type PresenceDevice,
  type PresenceLaser,
  type PresenceView,
} from './presenceExtras';

/**
 * An element being drawn, not yet in the document: a freehand stroke (its points so far,
 * bounded: see PRESENCE_LIMITS.draftMaxPoints) or a shape being dragged out.
 */
export type PresenceDraft = DistributiveOmit<
  StrokeElement | LineElement | ShapeElement,
  'id' | 'author' | 'z' | 'locked'
>;

export interface LocalPresence {
  name: string;
  colour: string;
  /** pointer on the board, null when outside it */
  cursor: { x: number; y: number } | null;
  selection: string[];
  typing: boolean;
  /** what we are drawing right now; absent or null when not drawing */
  draft?: PresenceDraft | null;
  /** when this client joined (ms since the epoch, its clock): who came first keeps a colour */
  since?: number;
  /** laser pointer points since our last broadcast (presenceExtras.ts) */
  laser?: PresenceLaser | null;
  /** what we look at, for people who follow us */
  view?: PresenceView | null;
  /** absent or null while active */
  away?: PresenceAway | null;
  /** this browser's signature over our room client id (presenceDevice.ts) */
  device?: PresenceDevice | null;
}

export const PRESENCE_LIMITS = {
  selectionMax: 500,
  /**
   * Points of a draft stroke. A sender simplifies longer strokes to this many; a receiver keeps
   * the last this-many of a longer list. 200 points are ~4 KB of JSON, well inside the 16 KiB
   * an awareness state may have.
   */
  draftMaxPoints: 200,
} as const;

const DRAFT_TYPES: readonly string[] = ['stroke', 'line', 'arrow', 'rect', 'ellipse', 'diamond'];

/**
 * A remote draft, validated like a stored element (readElement: finite numbers, clamped
 * coordinates and widths, #rrggbb colours). A draft is cosmetic and transient, so a bad one is
 * dropped (null) rather than rejecting the whole presence; an over-long point list is cut to its
 * last draftMaxPoints points before anything else looks at it.
 */
export function readDraft(raw: unknown): PresenceDraft | null {
  if (!isRecord(raw) || typeof raw.type !== 'string' || !DRAFT_TYPES.includes(raw.type))
    return null;
  let points: unknown = raw.points;
  if (raw.type === 'stroke') {
    if (!Array.isArray(points) || points.length % 3 !== 0) return null;
    const max = PRESENCE_LIMITS.draftMaxPoints * 3;
    if (points.length > max) points = points.slice(points.length - max);
  }
  const { type, x, y, colour, strokeWidth, w, h, fill, fillStyle, opacity } = raw;
  const r = readElement({
    type,
    fillStyle,
    opacity,
    x,
    y,
    colour,
    strokeWidth,
    w,
    h,
    fill,
    points,
    id: 'draft',
    author: 0,
    z: 'a0',
  });
  if (!r.ok || r.value.type === 'text' || r.value.type === 'image') return null;
  const { id: _id, author: _author, z: _z, locked: _locked, ...draft } = r.value;
  return draft;
}

export type PresenceErrorCode = 'ERR_NOT_OBJECT' | 'ERR_FIELD';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const clampCoord = (v: number): number =>
  Math.max(-BOARD_LIMITS.maxCoord, Math.min(BOARD_LIMITS.maxCoord, v));

/** Validate a remote awareness state. Cosmetic oddities are clamped; nonsense is rejected. */
export function readPresence(raw: unknown): Result<LocalPresence, PresenceErrorCode> {
  if (!isRecord(raw)) return err('ERR_NOT_OBJECT', 'presence is not an object');
  const { name, colour, cursor, selection, typing, draft, since } = raw;
  if (typeof name !== 'string') return err('ERR_FIELD', 'name: not a string');
  if (!isColour(colour)) return err('ERR_FIELD', 'colour: not a #rrggbb colour');
  let readCursor: LocalPresence['cursor'] = null;
  if (cursor !== null && cursor !== undefined) {
    if (!isRecord(cursor)) return err('ERR_FIELD', 'cursor: not an object');
    const { x, y } = cursor;
    if (
      typeof x !== 'number' ||
      !Number.isFinite(x) ||
      typeof y !== 'number' ||
      !Number.isFinite(y)
    )
      return err('ERR_FIELD', 'cursor: coordinates are not finite numbers');
    readCursor = { x: clampCoord(x), y: clampCoord(y) };
  }
  let readSelection: string[] = [];
  if (selection !== undefined) {
    if (!Array.isArray(selection)) return err('ERR_FIELD', 'selection: not an array');
    readSelection = selection.slice(0, PRESENCE_LIMITS.selectionMax).filter(isElementId);
  }
  const readDrafted = draft === undefined || draft === null ? null : readDraft(draft);
  return ok({
    // control characters would let a name fake line breaks in labels
    // and bidi controls would make it read in another order than it is stored
    name: sanitizeText(name.slice(0, DISPLAY_NAME_MAX_LENGTH * 2), { controlsAs: ' ' })
      .trim()
      .slice(0, DISPLAY_NAME_MAX_LENGTH),
    colour: colour.toLowerCase(),
    cursor: readCursor,
    selection: readSelection,
    typing: typing === true,
    // absent rather than null when not drawing, so idle presences keep their old shape
    ...(readDrafted ? { draft: readDrafted } : {}),
    ...(typeof since === 'number' && Number.isFinite(since) ? { since } : {}),
    ...readExtras(raw),
  });
}

/** Publish the full local presence (call once on join). */
export function initPresence(awareness: Awareness, presence: LocalPresence): void {
  awareness.setLocalState({ ...presence });
}

/**
 * Change some fields of the local presence. Each call is one awareness broadcast to every peer:
 * throttle pointer moves (e.g. once per animation frame) before calling this.
 */
export function setPresence(awareness: Awareness, patch: Partial<LocalPresence>): void {
  const current = awareness.getLocalState();
  if (current === null) return; // not joined (or left): nothing to update
  awareness.setLocalState({ ...current, ...patch });
}

/** Valid presences of everybody but us, by awareness client id. */
export function remotePresences(awareness: Awareness): Map<number, LocalPresence> {
  const out = new Map<number, LocalPresence>();
  awareness.getStates().forEach((state, clientId) => {
    if (clientId === awareness.clientID) return;
    const r = readPresence(state);
    if (r.ok) out.set(clientId, r.value);
  });
  return out;
}

/** The presence names of the room's peers, by room client id (PeerInfo.id). */
export interface PresenceNames {
  /** the current presence name of that peer, or undefined while it has published none */
  nameOf(peerId: string): string | undefined;
  /** the latest valid presence that peer published (its newest client id's), if any */
  presenceOf(peerId: string): LocalPresence | undefined;
  /** the room peer (PeerInfo.id) whose link delivered this awareness client's state */
  ownerOf(clientId: number): string | undefined;
  /** any remote presence name may have changed */
  onChange(fn: () => void): Unsubscribe;
  destroy(): void;
}

/**
 * Whose presence is whose, so a name changed in the room shows next to the right person at once.
 * The tie between an awareness client id and a peer is the one the provider made: it applies a
 * peer's entries with RemoteOrigin(peer) and refuses entries another peer already owns. A name
 * claimed inside a state is never trusted for this, so nobody can rename someone else.
 */
export function makePresenceNames(
  awareness: Awareness,
  /** the provider's tie (CollabProvider.ownerOf), for states that arrived before this was made */
  knownOwner?: (clientId: number) => string | undefined,
): PresenceNames {
  const owners = new Map<number, string>();
  // a board mounted after people arrived (its code loads after the join) must know them too
  if (knownOwner)
    for (const id of awareness.getStates().keys()) {
      const peer = id === awareness.clientID ? undefined : knownOwner(id);
      if (peer !== undefined) owners.set(id, peer);
    }
  const listeners = new Set<() => void>();
  let destroyed = false;
  type Changes = { added: number[]; updated: number[]; removed: number[] };
  const onChange = ({ added, updated, removed }: Changes, origin: unknown) => {
    for (const id of removed) owners.delete(id);
    if (origin instanceof RemoteOrigin)
      for (const id of [...added, ...updated])
        if (id !== awareness.clientID) owners.set(id, origin.peer);
    for (const fn of listeners) fn();
  };
  awareness.on('change', onChange);
  return {
    nameOf(peerId) {
      // A peer that reloaded may own several client ids: the latest state speaks for it.
      let best: { name: string; at: number } | undefined;
      const states = awareness.getStates();
      for (const [id, owner] of owners) {
        if (owner !== peerId) continue;
        const r = readPresence(states.get(id));
        const at = awareness.meta.get(id)?.lastUpdated ?? 0;
        if (r.ok && r.value.name !== '' && (!best || at >= best.at))
          best = { name: r.value.name, at };
      }
      return best?.name;
    },
    presenceOf(peerId) {
      let best: { p: LocalPresence; at: number } | undefined;
      const states = awareness.getStates();
      for (const [id, owner] of owners) {
        if (owner !== peerId) continue;
        const r = readPresence(states.get(id));
        const at = awareness.meta.get(id)?.lastUpdated ?? 0;
        if (r.ok && (!best || at >= best.at)) best = { p: r.value, at };
      }
      return best?.p;
    },
    ownerOf: (clientId) => owners.get(clientId),
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      awareness.off('change', onChange);
      listeners.clear();
      owners.clear();
    },
  };
}
