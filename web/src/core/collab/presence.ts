/**
 * What each client shows the others through awareness: name, colour, pointer position (board
 * coordinates), selected element ids and whether it is typing in the chat. Remote states are
 * whatever a peer sent, so they go through readPresence before the UI uses them.
 */
import type { Awareness } from 'y-protocols/awareness';
import { DISPLAY_NAME_MAX_LENGTH, err, ok, type Result } from '@peerboard/shared';
import { BOARD_LIMITS, isColour, isElementId } from './elements';

export interface LocalPresence {
  name: string;
  colour: string;
  /** pointer on the board, null when outside it */
  cursor: { x: number; y: number } | null;
  selection: string[];
  typing: boolean;
}

export const PRESENCE_LIMITS = { selectionMax: 500 } as const;

export type PresenceErrorCode = 'ERR_NOT_OBJECT' | 'ERR_FIELD';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const clampCoord = (v: number): number =>
  Math.max(-BOARD_LIMITS.maxCoord, Math.min(BOARD_LIMITS.maxCoord, v));

/** Validate a remote awareness state. Cosmetic oddities are clamped; nonsense is rejected. */
export function readPresence(raw: unknown): Result<LocalPresence, PresenceErrorCode> {
  if (!isRecord(raw)) return err('ERR_NOT_OBJECT', 'presence is not an object');
  const { name, colour, cursor, selection, typing } = raw;
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
  return ok({
    // control characters would let a name fake line breaks in labels
    name: name
      .slice(0, DISPLAY_NAME_MAX_LENGTH * 2)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .trim()
      .slice(0, DISPLAY_NAME_MAX_LENGTH),
    colour: colour.toLowerCase(),
    cursor: readCursor,
    selection: readSelection,
    typing: typing === true,
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
