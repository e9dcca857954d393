/**
 * The room page's heavy parts (board engine and canvas, call, files, chat, the share dialog's QR
 * code) live in chunks of their own, so that the first chunk is small and the room's signaling
 * socket opens while they load (issue 18: most of the join was the main thread busy with one big
 * bundle before the WebSocket could open).
 *
 * They are requested only once the join is under way: the first link to another person is open,
 * or the relay's join answer listed nobody (we are alone: nothing to wait for), or signaling
 * failed or the browser is offline (the board still works offline), or GATE_CAP_MS passed. Loading, compiling and mounting the board in the middle of the offer /
 * answer exchange would delay the connection by as long as it holds the main thread.
 * The board's code is *fetched* earlier, on the relay's join answer (prefetchBoardCode): a
 * download holds no main thread, and a first-time visitor on a slow link would otherwise get
 * the whole board before its code, and never see the first-screen preview.
 * web/e2e/join-order.test.ts checks the order in a real page.
 */
import { createEffect, lazy, onCleanup, type Component } from 'solid-js';
import type { Store } from 'solid-js/store';
import type { RoomSnapshot } from '@peerboard/core';

/**
 * A relay that neither answers nor refuses (a refused or dropped socket releases at once, as
 * 'reconnecting'): the board comes after this anyway. Long enough that a busy machine's slow
 * join does not reach it (2 cores at load average 30-50: WebSocket open 3 s and more after
 * makeRoom; a 1.5 s and a 4 s cap both fired before the socket opened there).
 */
const GATE_CAP_MS = 10_000;

let releaseGate!: () => void;
const gate = new Promise<void>((resolve) => (releaseGate = resolve));

/**
 * Opens the gate of the room's chunks for this room page's join (see the module comment). Once
 * open it stays open: a later room in the same tab has the chunks already.
 */
export function createRoomChunkGate(state: Store<RoomSnapshot>): void {
  // offline (an installed app without a network): the board is all there is
  if (!navigator.onLine) releaseGate();
  const cap = setTimeout(releaseGate, GATE_CAP_MS);
  createEffect(() => {
    if (state.listedAtJoin !== null) prefetchBoardCode();
  });
  createEffect(() => {
    const signaling = state.signaling;
    if (signaling === 'reconnecting' || signaling === 'version_mismatch') return releaseGate();
    // the join answer listed nobody: no link is coming to be waited for
    if (signaling === 'open' && state.listedAtJoin === 0) return releaseGate();
    // 'failed' counts: one link that cannot open must not hold the board back
    if (state.peers.some((p) => p.state !== 'connecting')) return releaseGate();
  });
  onCleanup(() => clearTimeout(cap));
}

/** Resolves once the room chunks' gate is open: the join has settled (or the cap passed). */
export const roomChunksReleased = (): Promise<void> => gate;

let boardCodeFetched = false;

/**
 * Starts downloading the board's chunk and stylesheet without running them: index.html carries
 * their links in an inert template (vite.config.ts boardCodeTemplate), copied into the head here
 * once. The import behind the gate then finds the module fetched. The dev server has no template.
 */
function prefetchBoardCode(): void {
  if (boardCodeFetched) return;
  boardCodeFetched = true;
  const code = document.getElementById('board-code');
  if (code instanceof HTMLTemplateElement)
    document.head.append(document.importNode(code.content, true));
}

/** A component from a room chunk, loaded once the gate is open. */
function roomPart<P extends object>(load: () => Promise<Component<P>>): Component<P> {
  return lazy(async () => {
    await gate;
    return { default: await load() };
  });
}

export const Board = roomPart(() => import('./board/Board').then((m) => m.Board));
export const ChatPanel = roomPart(() => import('./chat/ChatPanel').then((m) => m.ChatPanel));
export const FilesPanel = roomPart(() => import('./files/FilesPanel').then((m) => m.FilesPanel));
export const FileOfferToast = roomPart(() =>
  import('./files/FileOfferToast').then((m) => m.FileOfferToast),
);
export const SharedFilesToast = roomPart(() =>
  import('./files/SharedFilesToast').then((m) => m.SharedFilesToast),
);
export const CallPanel = roomPart(() => import('./call/CallPanel').then((m) => m.CallPanel));
export const CallStage = roomPart(() => import('./call/CallStage').then((m) => m.CallStage));
export const CallDock = roomPart(() => import('./call/CallDock').then((m) => m.CallDock));
export const IncomingCallToast = roomPart(() =>
  import('./call/IncomingCallToast').then((m) => m.IncomingCallToast),
);
export const ShareDialog = roomPart(() => import('./ShareDialog').then((m) => m.ShareDialog));

/** Where the board will be: the board area's dotted paper and a quiet line saying it is coming. */
export function BoardSkeleton() {
  return (
    <div class="chunk-skeleton board-skeleton" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      Opening the board…
    </div>
  );
}

/** A side panel's place while its code loads. */
export function PanelSkeleton(props: { what: string }) {
  return (
    <div class="chunk-skeleton panel-skeleton" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      Loading {props.what}…
    </div>
  );
}
