/**
 * The board's debug hook, `__peerboard.board` (see debug.ts), in the board's chunk: it needs the
 * renderer and the board model, which the first chunk leaves out.
 */
import * as Y from 'yjs';
import {
  addElement,
  elementsMap,
  readBoard,
  readElement,
  RemoteOrigin,
  applyRecorded,
  checkDocUpdate,
  type BoardElement,
  type RoomDoc,
} from '@peerboard/core/collab';
import type { Board } from './board/makeBoard';
import { FAST, NAIVE } from './board/render/renderer';
import type { Viewport } from './board/viewport';
import { debugEnabled, page } from './debug';

export interface BoardDebug {
  /** the board on the mounted canvas (null once it is gone) */
  connect(board: Board | null): void;
  /** a frame with a joiner's preview in it was painted */
  previewFrame(): void;
  destroy(): void;
}

const inert: BoardDebug = { connect() {}, previewFrame() {}, destroy() {} };

/**
 * Publishes `__peerboard.board` for the room document. Call it before the board's own wiring:
 * its observers then run first, so arrival and load times do not include the board's work.
 */
export function exposeBoard(roomDoc: RoomDoc): BoardDebug {
  if (!debugEnabled()) return inert;
  const { doc, awareness } = roomDoc;
  let board: Board | null = null;
  let offFrame: (() => void) | null = null;

  /** ms since navigation: local persistence answered, first frame with elements in it */
  const loadTimings = { persisted: NaN, firstContentFrame: NaN, firstPreviewFrame: NaN };

  void roomDoc.persistence.whenSynced.then(() => (loadTimings.persisted = performance.now()));

  // Arrival times of remote elements, for the benchmark's propagation figure. A plain observer
  // of the element map that returns at once unless asked: observeBoard would validate every
  // element of every change, which doubled that work in the load figure of any ?debug page.
  // Attached here, before the board's wiring, so arrival times do not include the board's work.
  const arrivals = new Map<string, number>();
  let trackArrivals = false;
  const elements = elementsMap(doc);
  const onElements = (event: Y.YMapEvent<unknown>, txn: Y.Transaction): void => {
    if (!trackArrivals || txn.local) return;
    const now = performance.timeOrigin + performance.now();
    event.changes.keys.forEach((change, id) => {
      if (change.action === 'add') arrivals.set(id, now);
    });
  };
  elements.observe(onElements);
  const offBoard = () => elements.unobserve(onElements);

  // Our own awareness broadcasts, counted for the E2E check of the once-per-frame throttle.
  let localPresenceUpdates = 0;
  const countLocal = (changes: { updated: number[]; added: number[] }, origin: unknown): void => {
    if (origin === 'local' && [...changes.updated, ...changes.added].includes(awareness.clientID))
      localPresenceUpdates++;
  };
  awareness.on('update', countLocal);

  const hook = {
    count: () => board?.elementCount() ?? 0,
    elements: (): BoardElement[] => readBoard(doc),
    viewport: () => board?.viewport(),
    setViewport: (v: Viewport) => board?.setViewport(v),
    renderNow: () => board?.renderNow() ?? 0,
    stats: () => board?.renderStats(),
    /** 'exact': FAST without level of detail (the benchmark's same-run "before") */
    setRenderMode: (mode: 'fast' | 'naive' | 'exact') =>
      board?.setRenderOptions(
        mode === 'fast' ? FAST : mode === 'exact' ? { ...FAST, lod: false } : NAIVE,
      ),
    /**
     * the update as a peer's SyncStep2 would bring it: the schema check from the apply's own
     * decode (as the update gate does; byte budgets aside), stored in IndexedDB as received
     */
    applyUpdate: (update: Uint8Array) => {
      const structs = checkDocUpdate.structs!;
      roomDoc.updates.applyRemote(update, new RemoteOrigin('debug'), (d, u, origin) =>
        applyRecorded(d, u, origin, {
          root: structs.root,
          onRead: (records) => {
            const r = structs.check(d, records, u.length);
            if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
          },
        }),
      );
    },
    loadTimings: () => ({ ...loadTimings }),
    /** the benchmark's reference: decoding the same update into a doc nobody observes */
    decodeOnly: (update: Uint8Array) => {
      const scratch = new Y.Doc();
      const t0 = performance.now();
      Y.applyUpdate(scratch, update);
      const ms = performance.now() - t0;
      scratch.destroy();
      return ms;
    },
    zoomToFit: () => board?.zoomToFit(),
    encodeState: () => Y.encodeStateAsUpdate(doc),
    trackArrivals: (on: boolean) => {
      trackArrivals = on;
      arrivals.clear();
    },
    arrival: (id: string) => arrivals.get(id) ?? null,
    addElement: (draft: unknown) => {
      const r = readElement({ ...(draft as object), id: 'x', author: 0, z: 'a0' });
      if (!r.ok) return null;
      const { id: _i, author: _a, z: _z, ...fields } = r.value;
      const added = addElement(doc, fields);
      return added.ok ? added.value.id : null;
    },
    persistence: () => roomDoc.persistence.whenSynced,
    localPresenceUpdates: () => localPresenceUpdates,
  };
  const hooks = (page.__peerboard ??= {});
  hooks.board = hook;

  let destroyed = false;
  return {
    connect(next) {
      offFrame?.();
      offFrame = null;
      board = next;
      if (!next || !Number.isNaN(loadTimings.firstContentFrame)) return;
      offFrame = next.onFrame(() => {
        if (next.elementCount() === 0) return;
        loadTimings.firstContentFrame = performance.now();
        offFrame?.();
        offFrame = null;
      });
    },
    previewFrame() {
      if (Number.isNaN(loadTimings.firstPreviewFrame))
        loadTimings.firstPreviewFrame = performance.now();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      offFrame?.();
      offBoard();
      awareness.off('update', countLocal);
      if (page.__peerboard?.board === hook) delete page.__peerboard.board;
    },
  };
}
