/**
 * Solid bridge for the whiteboard: one makeBoard() (board/makeBoard.ts) on the mounted canvas,
 * its callbacks mirrored into signals for the toolbar and overlays. The board renders whatever
 * is in the doc at once (IndexedDB content arrives as ordinary changes); `load` is only a hint
 * until local persistence answered.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { makeBoardUndo, type RoomDoc } from '@peerboard/core/collab';
import { makeBoard, type Board, type RemotePeer, type TextEditing } from '../board/makeBoard';
import type { BoardTheme } from '../board/render/draw';
import type { Tool } from '../board/input/tools';
import type { Viewport } from '../board/viewport';
import { exposeBoard } from '../debug';

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
  /** start the board on the mounted canvas; it is destroyed with the calling owner */
  mount(canvas: HTMLCanvasElement): void;
}

export function createBoardState(roomDoc: RoomDoc): BoardState {
  const { doc, awareness } = roomDoc;
  // first, so the debug hook's observers run before the board's (see debug.ts)
  const debug = exposeBoard(roomDoc);
  // the undo history belongs to the room page, not to one canvas
  const history = makeBoardUndo(doc);
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
  const [remoteDrafts, setRemoteDrafts] = createSignal(0);
  const [textEditing, setTextEditing] = createSignal<TextEditing | null>(null);
  const [helpRequests, setHelpRequests] = createSignal(0);
  let theme: BoardTheme = 'light';
  let board: Board | null = null;

  roomDoc.persistence.whenSynced.then((status) => {
    setLoad(status.kind === 'loaded' ? 'ready' : 'local-only');
  });

  onCleanup(() => {
    debug.destroy();
    history.destroy();
  });

  return {
    tool,
    setTool: (t) => board?.setTool(t),
    colour,
    setColour(c) {
      setColourSignal(c);
      board?.setStyle({ colour: c });
    },
    strokeWidth,
    setStrokeWidth(w) {
      setWidthSignal(w);
      board?.setStyle({ strokeWidth: w });
    },
    selectionCount,
    deleteSelection: () => board?.deleteSelection(),
    canUndo,
    canRedo,
    undo: () => board?.undo(),
    redo: () => board?.redo(),
    viewport,
    zoomBy: (f) => board?.zoomBy(f),
    zoomToFit: () => board?.zoomToFit(),
    cursor,
    elementCount,
    load,
    peers: () => peerStore.list,
    remoteDrafts,
    textEditing,
    setEditingText: (text) => board?.setEditingText(text),
    commitText: (text, key) => board?.commitText(text, key),
    helpRequests,
    clear: () => board?.clear(),
    exportPng: async () => board?.exportPng(),
    exportSvg: () => board?.exportSvg(),
    setTheme(t) {
      theme = t;
      board?.setTheme(t);
    },
    keyDown: (e) => board?.keyDown(e) ?? false,
    keyUp: (e) => board?.keyUp(e),
    mount(canvas) {
      const b = makeBoard({
        canvas,
        doc,
        awareness,
        undo: history,
        theme,
        style: { colour: colour(), strokeWidth: strokeWidth() },
        on: {
          tool: setToolSignal,
          selection: (ids) => setSelectionCount(ids.length),
          viewport: setViewport,
          cursor: setCursor,
          history(h) {
            setCanUndo(h.canUndo);
            setCanRedo(h.canRedo);
          },
          elementCount: setElementCount,
          peers(list, drafting) {
            setPeerStore('list', reconcile(list, { key: 'clientId' }));
            setRemoteDrafts(drafting);
          },
          textEditing: setTextEditing,
          help: () => setHelpRequests((n) => n + 1),
        },
      });
      board = b;
      debug.connect(b);
      onCleanup(() => {
        debug.connect(null);
        b.destroy();
        if (board === b) board = null;
      });
    },
  };
}
