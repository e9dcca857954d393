/**
 * Every debug and benchmark hook of the app, on `window.__peerboard`, and only on a page opened
 * with `?debug`: without it each function here does nothing, so an ordinary page exposes no
 * room, document or renderer to scripts. app.tsx reads the address once at start-up, so
 * `/?debug` stays in force after the in-app navigation to a room.
 * - `room`, `session`: the live session and its Room (web/bench/core-*.ts, web/bench/call.ts,
 *   web/e2e/protected-store.test.ts, the devtools console);
 * - `board`: the board's document, camera, renderer and timings (web/bench/board.ts,
 *   web/e2e/board.test.ts), published by debugBoard.ts, which loads with the board's code: this
 *   module is in the first chunk every page loads, so it imports nothing of the board.
 */
import type { Room, Session } from '@peerboard/core';

export type Hooks = {
  room?: Room;
  session?: Session;
  board?: Record<string, unknown>;
  /** each first screen shown or dropped (core firstScreen.ts): its elements, what the doc held */
  firstScreens?: { elements: number; docElements: number; at: number }[];
  sent?: Record<string, { bytes: number; chunks: number; minIndex: number }>;
  /** the same, per transfer id (a folder's files) */
  sentFiles?: Record<string, { bytes: number; chunks: number; minIndex: number }>;
};
export const page = globalThis as { __peerboard?: Hooks };

let enabled = false;

/** The page was opened with ?debug (read by installDebug). */
export const debugEnabled = (): boolean => enabled;

/** Reads the flag from the page's address (app.tsx, before the app renders). */
export function installDebug(): void {
  enabled = new URLSearchParams(location.search).has('debug');
}

/** Publishes the session as `__peerboard.session` and its room as `__peerboard.room`. */
export function exposeSession(session: Session): void {
  if (!enabled || page.__peerboard?.session === session) return;
  // One assignment of the whole object: bench/core-browser.ts catches it to time the room.
  const firstScreens: NonNullable<Hooks['firstScreens']> = [];
  // from the session's start: a preview arrives before the board's chunk has loaded
  session.doc.firstScreen.onPreview((p) =>
    firstScreens.push({
      elements: p?.elements.length ?? 0,
      docElements: session.doc.doc.getMap('elements').size,
      at: performance.now(),
    }),
  );
  page.__peerboard = { ...page.__peerboard, room: session.room, session, firstScreens };
}

/**
 * Counts the file chunks this page sends, per receiving peer, as `__peerboard.sent` (E2E: a
 * resumed download is not sent its kept bytes again). Undefined (no counting) without ?debug.
 */
export function fileSendCounter():
  ((peerId: string, id: string, index: number, bytes: number) => void) | undefined {
  if (!enabled) return undefined;
  const sent: NonNullable<Hooks['sent']> = {};
  const sentFiles: NonNullable<Hooks['sentFiles']> = {};
  (page.__peerboard ??= {}).sent = sent;
  page.__peerboard.sentFiles = sentFiles;
  return (peerId, id, index, bytes) => {
    for (const s of [
      (sent[peerId] ??= { bytes: 0, chunks: 0, minIndex: index }),
      (sentFiles[id] ??= { bytes: 0, chunks: 0, minIndex: index }),
    ]) {
      s.bytes += bytes;
      s.chunks++;
      s.minIndex = Math.min(s.minIndex, index);
    }
  };
}
