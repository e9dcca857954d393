/**
 * Solid bridge for the whiteboard: wires the room's Y.Doc to the canvas renderer and the input
 * controller (both framework-free), and mirrors what the toolbar and overlays show into signals.
 * The board renders whatever is in the doc at once (IndexedDB content arrives as ordinary
 * changes); `loading` is only a hint until local persistence answered.
 */
import * as Y from 'yjs';
import { batch, createSignal, onCleanup, type Accessor } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import {
  addElement,
  clearBoard,
  deleteElements,
  observeBoard,
  readBoard,
  updateElement,
} from '@peerboard/core/collab';
import { readElement, type BoardElement } from '@peerboard/core/collab';
import { RemoteOrigin } from '@peerboard/core/collab';
import { remotePresences } from '@peerboard/core/collab';
import type { RoomDoc } from '@peerboard/core/collab';
import { makeBoardUndo } from '@peerboard/core/collab';
import { makeBoardController, type BoardController } from '../board/input/controller';
import type { BoardTheme } from '../board/render/draw';
import { boardToPng, boardToSvg, downloadBlob } from '../board/exportBoard';
import { FAST, NAIVE, makeBoardRenderer, type BoardRenderer } from '../board/render/renderer';
import { measureText } from '../board/render/textMeasure';
import { fontSizeFor, type Tool } from '../board/input/tools';
import { visibleRect, type Viewport } from '../board/viewport';

export interface RemotePeer {
  clientId: number;
  name: string;
  colour: string;
  cursor: { x: number; y: number } | null;
  selection: string[];
}

/** The inline text editor's state: a new text (id null) or an existing element. */
export interface TextEditing {
  /** which editing session (a late blur from a closed editor must not commit into a new one) */
  key: number;
  id: string | null;
  x: number;
  y: number;
  text: string;
  fontSize: number;
  colour: string;
}

export type LoadState = 'loading' | 'ready' | 'local-only';

export interface BoardState {
  tool: Accessor<Tool>;
  setTool(t: Tool): void;
  colour: Accessor<string>;
  setColour(c: string): void;
  strokeWidth: Accessor<number>;
  setStrokeWidth(w: number): void;
  selectionCount: Accessor<number>;
  deleteSelection(): void;
  canUndo: Accessor<boolean>;
  canRedo: Accessor<boolean>;
  undo(): void;
  redo(): void;
  viewport: Accessor<Viewport>;
  zoomBy(factor: number): void;
  zoomToFit(): void;
  cursor: Accessor<string>;
  elementCount: Accessor<number>;
  load: Accessor<LoadState>;
  peers: Accessor<RemotePeer[]>;
  /** how many other people are drawing something right now (their live drafts) */
  remoteDrafts: Accessor<number>;
  textEditing: Accessor<TextEditing | null>;
  /** the editor's live text (kept so a click elsewhere commits what was typed) */
  setEditingText(text: string): void;
  commitText(text: string, key?: number): void;
  helpRequests: Accessor<number>;
  clear(): void;
  exportPng(): Promise<void>;
  exportSvg(): void;
  setTheme(t: BoardTheme): void;
  /** shortcuts from window keydown (the caller filters out typing in fields) */
  keyDown(e: KeyboardEvent): boolean;
  keyUp(e: KeyboardEvent): void;
  /** connect to the mounted canvas; returns the detach function */
  attach(canvas: HTMLCanvasElement): () => void;
}

const fileStamp = () => new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');

export function createBoardState(roomDoc: RoomDoc): BoardState {
  const { doc, awareness } = roomDoc;
  const undoManager = makeBoardUndo(doc);
  const [tool, setToolSignal] = createSignal<Tool>('pen');
  const [colour, setColourSignal] = createSignal('#1e1e1e');
  const [strokeWidth, setWidthSignal] = createSignal(4);
  const [selectionCount, setSelectionCount] = createSignal(0);
  const [canUndo, setCanUndo] = createSignal(false);
  const [canRedo, setCanRedo] = createSignal(false);
  const [viewport, setViewport] = createSignal<Viewport>({ x: 0, y: 0, zoom: 1 });
  const [cursor, setCursor] = createSignal('crosshair');
  const [elementCount, setElementCount] = createSignal(0);
  const [load, setLoad] = createSignal<LoadState>('loading');
  // A keyed store: a moving cursor updates its element's position instead of replacing it.
  const [peerStore, setPeerStore] = createStore<{ list: RemotePeer[] }>({ list: [] });
  const peers = () => peerStore.list;
  const [remoteDrafts, setRemoteDrafts] = createSignal(0);
  const [textEditing, setTextEditing] = createSignal<TextEditing | null>(null);
  const [helpRequests, setHelpRequests] = createSignal(0);
  let theme: BoardTheme = 'light';

  let renderer: BoardRenderer | null = null;
  let controller: BoardController | null = null;

  const offUndo = undoManager.onChange(() => {
    setCanUndo(undoManager.canUndo());
    setCanRedo(undoManager.canRedo());
  });

  const loadTimings = { persisted: NaN, firstContentFrame: NaN };
  roomDoc.persistence.whenSynced.then((status) => {
    loadTimings.persisted = performance.now();
    setLoad(status.kind === 'loaded' ? 'ready' : 'local-only');
  });

  const refreshPeers = (): void => {
    const list: RemotePeer[] = [];
    // drafts go straight to the canvas: they change every frame, the store would only diff them
    const drafts: BoardElement[] = [];
    remotePresences(awareness).forEach(({ draft, ...p }, clientId) => {
      list.push({ clientId, ...p });
      if (draft) drafts.push({ ...draft, id: `draft-${clientId}`, author: clientId, z: 'a0' });
    });
    setPeerStore('list', reconcile(list, { key: 'clientId' }));
    setRemoteDrafts(drafts.length);
    renderer?.setOverlay({
      remote: list
        .filter((p) => p.selection.length > 0)
        .map((p) => ({ colour: p.colour, name: p.name, ids: p.selection })),
      drafts,
    });
  };
  awareness.on('change', refreshPeers);

  // Our own awareness broadcasts, counted for the E2E check of the once-per-frame throttle.
  let localPresenceUpdates = 0;
  const countLocal = (changes: { updated: number[]; added: number[] }, origin: unknown): void => {
    if (origin === 'local' && [...changes.updated, ...changes.added].includes(awareness.clientID))
      localPresenceUpdates++;
  };
  awareness.on('update', countLocal);

  // Arrival times of remote elements, for the benchmark's propagation figure.
  const arrivals = new Map<string, number>();
  let trackArrivals = false;

  /** Show the content if it is all off-screen and the user has not moved the camera yet. */
  const autoFit = (): void => {
    if (!renderer || !controller || controller.userMovedView() || renderer.scene.size === 0) return;
    const { width, height } = renderer.size();
    if (renderer.scene.visible(visibleRect(renderer.viewport(), width, height)).length === 0)
      controller.zoomToFit();
  };

  const offBoard = observeBoard(doc, (change) => {
    if (trackArrivals && !change.local) {
      const now = performance.timeOrigin + performance.now();
      for (const el of change.added) arrivals.set(el.id, now);
    }
    if (!renderer) return;
    renderer.apply(change);
    setElementCount(renderer.scene.size);
    if (controller && change.removed.length > 0) {
      const sel = controller.selection();
      const kept = sel.filter((id) => renderer!.scene.get(id) !== undefined);
      if (kept.length !== sel.length) controller.setSelection(kept);
    }
    if (change.added.length > 0) autoFit();
  });

  let editKey = 0;
  const commitText = (text: string, key?: number): void => {
    const editing = textEditing();
    if (!editing || (key !== undefined && key !== editing.key)) return;
    setTextEditing(null);
    renderer?.setOverlay({ hidden: new Set() });
    const trimmed = text.replace(/\s+$/, '');
    const size = measureText(trimmed, editing.fontSize);
    if (editing.id) {
      if (trimmed === '') deleteElements(doc, [editing.id]);
      else updateElement(doc, editing.id, { text: trimmed, w: size.w, h: size.h });
    } else if (trimmed !== '') {
      addElement(doc, {
        type: 'text',
        x: editing.x,
        y: editing.y,
        w: size.w,
        h: size.h,
        text: trimmed,
        fontSize: editing.fontSize,
        colour: editing.colour,
        strokeWidth: strokeWidth(),
      });
    }
    undoManager.stopCapturing();
  };

  const debug = {
    count: () => renderer?.scene.size ?? 0,
    elements: (): BoardElement[] => readBoard(doc),
    viewport: () => renderer?.viewport(),
    setViewport: (v: Viewport) => controller?.setViewport(v),
    renderNow: () => renderer?.renderNow() ?? 0,
    stats: () => renderer?.stats(),
    setRenderMode: (mode: 'fast' | 'naive') => renderer?.setOptions(mode === 'fast' ? FAST : NAIVE),
    /** the update as a peer's SyncStep2 would bring it (stored in IndexedDB as received) */
    applyUpdate: (update: Uint8Array) =>
      roomDoc.updates.applyRemote(update, new RemoteOrigin('debug')),
    /** ms since navigation: local persistence answered, first frame with elements in it */
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
    zoomToFit: () => controller?.zoomToFit(),
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
  const hook = ((globalThis as { __peerboard?: Record<string, unknown> }).__peerboard ??= {});
  hook.board = debug;

  onCleanup(() => {
    offUndo();
    offBoard();
    awareness.off('change', refreshPeers);
    awareness.off('update', countLocal);
    undoManager.destroy();
    if (hook.board === debug) delete hook.board;
  });

  return {
    tool,
    setTool: (t) => controller?.setTool(t),
    colour,
    setColour(c) {
      setColourSignal(c);
      controller?.setStyle({ colour: c });
    },
    strokeWidth,
    setStrokeWidth(w) {
      setWidthSignal(w);
      controller?.setStyle({ strokeWidth: w });
    },
    selectionCount,
    deleteSelection: () => controller?.deleteSelection(),
    canUndo,
    canRedo,
    undo: () => void undoManager.undo(),
    redo: () => void undoManager.redo(),
    viewport,
    zoomBy: (f) => controller?.zoomBy(f),
    zoomToFit: () => controller?.zoomToFit(),
    cursor,
    elementCount,
    load,
    peers,
    remoteDrafts,
    textEditing,
    setEditingText(text) {
      const editing = textEditing();
      if (editing) setTextEditing({ ...editing, text });
    },
    commitText,
    helpRequests,
    clear() {
      clearBoard(doc);
      undoManager.stopCapturing();
    },
    async exportPng() {
      downloadBlob(await boardToPng(readBoard(doc)), `peerboard-${fileStamp()}.png`);
    },
    exportSvg() {
      const svg = boardToSvg(readBoard(doc));
      downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `peerboard-${fileStamp()}.svg`);
    },
    setTheme(t) {
      theme = t;
      renderer?.setTheme(t);
    },
    keyDown: (e) => controller?.keyDown(e) ?? false,
    keyUp: (e) => controller?.keyUp(e),
    attach(canvas) {
      const r = makeBoardRenderer(canvas);
      renderer = r;
      r.setTheme(theme);
      r.reset(readBoard(doc));
      const c = makeBoardController({
        doc,
        awareness,
        undo: undoManager,
        renderer: r,
        surface: canvas,
      });
      controller = c;
      c.setStyle({ colour: colour(), strokeWidth: strokeWidth() });
      const offs = [
        c.on('viewport', setViewport),
        c.on('selection', (ids) => setSelectionCount(ids.length)),
        c.on('tool', setToolSignal),
        c.on('cursor', setCursor),
        c.on('help', () => setHelpRequests((n) => n + 1)),
        c.on('textEdit', (req) => {
          commitText(textEditing()?.text ?? '');
          const existing = req.id ? r.scene.get(req.id)?.el : undefined;
          const fontSize =
            existing?.type === 'text' ? existing.fontSize : fontSizeFor(strokeWidth());
          batch(() =>
            setTextEditing({
              key: ++editKey,
              id: req.id,
              x: req.x,
              y: req.y,
              text: existing?.type === 'text' ? existing.text : '',
              fontSize,
              colour: existing ? existing.colour : colour(),
            }),
          );
          r.setOverlay({ hidden: new Set(req.id ? [req.id] : []) });
        }),
      ];
      const resize = new ResizeObserver(() => {
        const box = canvas.getBoundingClientRect();
        r.setSize(box.width, box.height, window.devicePixelRatio || 1);
        r.invalidate();
        autoFit();
      });
      resize.observe(canvas);
      const offFrame = r.onFrame(() => {
        if (r.scene.size === 0) return;
        loadTimings.firstContentFrame = performance.now();
        offFrame();
      });
      setElementCount(r.scene.size);
      setViewport(r.viewport());
      refreshPeers();
      return () => {
        resize.disconnect();
        offFrame();
        for (const off of offs) off();
        c.destroy();
        r.destroy();
        controller = null;
        renderer = null;
      };
    },
  };
}
