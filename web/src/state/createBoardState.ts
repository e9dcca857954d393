/**
 * Solid bridge for the whiteboard: one makeBoard() (board/makeBoard.ts) on the mounted canvas,
 * its callbacks mirrored into signals for the toolbar and overlays. The board renders whatever
 * is in the doc at once (IndexedDB content arrives as ordinary changes); `load` is only a hint
 * until local persistence answered.
 */
import { createMemo, createSignal, onCleanup, type Accessor } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { makeBoardUndo, type RoomDoc } from '@peerboard/core/collab';
import type { SessionPresence } from '@peerboard/core';
import type { ImageBlobs } from '@peerboard/core/transfer';
import { makeBoard, type Board, type RemotePeer, type TextEditing } from '../board/makeBoard';
import type { BoardTheme } from '../board/render/draw';
import { DEFAULT_STYLE, type DrawStyle, type FillMode, type Tool } from '../board/input/tools';
import type { SelectionAction } from '../board/input/shortcuts';
import type { Viewport } from '../board/viewport';
import { exposeBoard } from '../debugBoard';
import { CLIPBOARD_MIME } from '../board/clipboard';
import type { SelectionGrouping } from '../board/styleSelection';
import { groupPeople, type PersonGroup } from '../board/peopleGroups';
import { createFirstScreen } from './createFirstScreen';

export type LoadState = 'loading' | 'ready' | 'local-only';

/** A short message over the board (someone cleared it, an export of nothing, a refused paste). */
export interface BoardNotice {
  key: number;
  text: string;
  /** polite (status) or assertive (alert) */
  tone: 'info' | 'error';
}

export interface BoardState {
  tool: Accessor<Tool>;
  setTool(t: Tool): void;
  /** the style the toolbar shows: the selection's (undefined where it is mixed), else the pen's */
  colour: Accessor<string | undefined>;
  setColour(c: string): void;
  strokeWidth: Accessor<number | undefined>;
  setStrokeWidth(w: number): void;
  fill: Accessor<FillMode | undefined>;
  setFill(f: FillMode): void;
  opacity: Accessor<number | undefined>;
  setOpacity(o: number): void;
  /** the whole selection is locked */
  selectionLocked: Accessor<boolean>;
  selectionCount: Accessor<number>;
  /** the selection and groups: what Group and Ungroup would do */
  selectionGrouping: Accessor<SelectionGrouping>;
  act(action: SelectionAction): void;
  /** moves, resizes and new shapes snap to a 20 px grid (drawn while on) */
  grid: Accessor<boolean>;
  setGrid(on: boolean): void;
  /** the context menu's position (client coordinates), null when closed */
  menu: Accessor<{ x: number; y: number } | null>;
  openMenu(at: { x: number; y: number }): void;
  closeMenu(): void;
  notice: Accessor<BoardNotice | null>;
  showNotice(text: string, tone?: BoardNotice['tone']): void;
  dismissNotice(): void;
  /** window copy / cut / paste events (the caller filters out text fields) */
  copy(e: ClipboardEvent, cut: boolean): void;
  paste(e: ClipboardEvent): void;
  /** put image files on the board (paste, drop, "Insert image…"); `at` = client point */
  insertImages(files: readonly File[], at?: { clientX: number; clientY: number }): void;
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
  /** elements of a joiner's preview on screen until the board syncs (0: none) */
  previewCount: Accessor<number>;
  load: Accessor<LoadState>;
  peers: Accessor<RemotePeer[]>;
  /** the others grouped by person (two tabs of one browser are one person) */
  people: Accessor<PersonGroup[]>;
  /** whose viewport we follow, null when nobody's */
  following: Accessor<{ clientId: number; name: string } | null>;
  /** follow this person (their awareness client id); again to stop */
  follow(clientId: number, name: string): void;
  stopFollowing(): void;
  /** follow the person of that room peer (People list, header avatars); again to stop */
  followPeer(peerId: string): void;
  /** whether that room peer's person is on the board sharing a view we could follow */
  canFollowPeer(peerId: string): boolean;
  /** the room peers of the person we follow (all their tabs), empty when nobody */
  followedPeers: Accessor<readonly string[]>;
  /** laser trails on screen, ours included */
  lasers: Accessor<number>;
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
  /**
   * start the board on the mounted canvas (a joiner's preview, if any, on `previewCanvas`
   * under it); it is destroyed with the calling owner
   */
  mount(canvas: HTMLCanvasElement, previewCanvas?: HTMLCanvasElement): void;
}

/** image files among `files` (what paste and drop put on the board instead of offering) */
export const imageFiles = (files: Iterable<File> | null | undefined): File[] =>
  [...(files ?? [])].filter((f) => f.type.startsWith('image/'));

export function createBoardState(
  roomDoc: RoomDoc,
  /** the session's presence tracker (session.presence): the People list reads the same one */
  presence: SessionPresence,
  images?: ImageBlobs,
): BoardState {
  const { doc, awareness } = roomDoc;
  // first, so the debug hook's observers run before the board's (see debug.ts)
  const debug = exposeBoard(roomDoc);
  // the undo history belongs to the room page, not to one canvas
  const history = makeBoardUndo(doc);
  const first = createFirstScreen(roomDoc.firstScreen, () => debug.previewFrame());
  const [tool, setToolSignal] = createSignal<Tool>('pen');
  const [pen, setPen] = createSignal<DrawStyle>({ ...DEFAULT_STYLE });
  // the selection's shared style; null when nothing is selected
  const [selStyle, setSelStyle] = createSignal<Partial<DrawStyle> | null>(null);
  const [selectionLocked, setSelectionLocked] = createSignal(false);
  const [selectionGrouping, setSelectionGrouping] = createSignal<SelectionGrouping>('none');
  const [menu, setMenu] = createSignal<{ x: number; y: number } | null>(null);
  const [grid, setGridShown] = createSignal(false);
  const [notice, setNotice] = createSignal<BoardNotice | null>(null);
  let noticeKey = 0;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const showNotice = (text: string, tone: BoardNotice['tone'] = 'info'): void => {
    clearTimeout(noticeTimer);
    setNotice({ key: ++noticeKey, text, tone });
    noticeTimer = setTimeout(() => setNotice(null), 8000);
  };
  const shown = <K extends keyof DrawStyle>(key: K): DrawStyle[K] | undefined => {
    const sel = selStyle();
    return sel ? sel[key] : pen()[key];
  };
  /** a style button: the pen takes it, and so does the selection (one undo step) */
  const pick = (patch: Partial<DrawStyle>): void => {
    setPen((p) => ({ ...p, ...patch }));
    board?.setStyle(patch);
  };
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
  const [following, setFollowing] = createSignal<{ clientId: number; name: string } | null>(null);
  const [lasers, setLasers] = createSignal(0);
  const people = createMemo(() => groupPeople(peerStore.list));
  const personOf = (peerId: string) => people().find((p) => p.peerIds.includes(peerId));
  const followedPeers = createMemo((): readonly string[] => {
    const f = following();
    return (f && people().find((p) => p.clientIds.includes(f.clientId))?.peerIds) || [];
  });
  let theme: BoardTheme = 'light';
  let board: Board | null = null;

  const insertImages = (files: readonly File[], at?: { clientX: number; clientY: number }) => {
    const b = board;
    if (!b || files.length === 0) return;
    showNotice(files.length > 1 ? `Adding ${files.length} images…` : 'Adding the image…');
    void (async () => {
      let failure: string | null = null;
      for (const f of files) failure = (await b.insertImage(f, at)) ?? failure;
      if (failure) showNotice(failure, 'error');
      else dismiss();
    })();
  };
  const dismiss = (): void => {
    clearTimeout(noticeTimer);
    setNotice(null);
  };

  roomDoc.persistence.whenSynced.then((status) => {
    setLoad(status.kind === 'loaded' ? 'ready' : 'local-only');
  });

  onCleanup(() => {
    clearTimeout(noticeTimer);
    debug.destroy();
    history.destroy();
  });

  return {
    tool,
    setTool: (t) => board?.setTool(t),
    colour: () => shown('colour'),
    setColour: (colour) => pick({ colour }),
    strokeWidth: () => shown('strokeWidth'),
    setStrokeWidth: (strokeWidth) => pick({ strokeWidth }),
    fill: () => shown('fill'),
    setFill: (fill) => pick({ fill }),
    opacity: () => shown('opacity'),
    setOpacity: (opacity) => pick({ opacity }),
    selectionLocked,
    selectionCount,
    selectionGrouping,
    act(a) {
      if (!board) return;
      if (a === 'paste')
        void board.clipboard.pasteAsync().then((done) => {
          if (!done)
            showNotice(
              'The browser did not let the board read the clipboard. Press Ctrl+V (⌘V on a Mac) to paste.',
              'error',
            );
        });
      else if (a === 'copy' || a === 'cut')
        void board.clipboard.copyAsync(a === 'cut').then((done) => {
          if (!done)
            showNotice(
              'The browser did not let the board use the clipboard. Press Ctrl+C (⌘C on a Mac) instead.',
              'error',
            );
        });
      else board.act(a);
    },
    grid,
    setGrid: (on) => board?.setGrid(on),
    menu,
    openMenu: setMenu,
    closeMenu: () => setMenu(null),
    notice,
    showNotice,
    dismissNotice: () => setNotice(null),
    copy(e, cut) {
      if (board && e.clipboardData && board.clipboard.copyTo(e.clipboardData, cut))
        e.preventDefault();
    },
    paste(e) {
      if (!board || !e.clipboardData) return;
      // board elements first (our own copy carries them); else an image; else text
      const hasElements = e.clipboardData.types.includes(CLIPBOARD_MIME);
      const files = hasElements ? [] : imageFiles(e.clipboardData.files);
      if (files.length > 0) {
        e.preventDefault();
        insertImages(files);
      } else if (board.clipboard.pasteFrom(e.clipboardData)) e.preventDefault();
    },
    insertImages: (files, at) => insertImages(files, at),
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
    previewCount: first.count,
    load,
    peers: () => peerStore.list,
    remoteDrafts,
    people,
    following,
    follow: (clientId, name) => board?.follow(clientId, name),
    followPeer(peerId) {
      const person = personOf(peerId);
      if (person?.followId == null) return;
      const f = following();
      if (f && person.clientIds.includes(f.clientId)) board?.stopFollowing();
      else board?.follow(person.followId, person.name);
    },
    canFollowPeer: (peerId) => (personOf(peerId)?.followId ?? null) !== null,
    followedPeers,
    stopFollowing: () => board?.stopFollowing(),
    lasers,
    textEditing,
    setEditingText: (text) => board?.setEditingText(text),
    commitText: (text, key) => board?.commitText(text, key),
    helpRequests,
    clear: () => board?.clear(),
    async exportPng() {
      if (board && !(await board.exportPng())) showNotice('The board is empty: nothing to export.');
    },
    exportSvg() {
      if (board && !board.exportSvg()) showNotice('The board is empty: nothing to export.');
    },
    setTheme(t) {
      theme = t;
      board?.setTheme(t);
      first.setTheme(t);
    },
    keyDown: (e) => board?.keyDown(e) ?? false,
    keyUp: (e) => board?.keyUp(e),
    mount(canvas, previewCanvas) {
      let hasSelection = false;
      const b = makeBoard({
        canvas,
        doc,
        awareness,
        presence,
        undo: history,
        images,
        stored: roomDoc.persistence.whenSynced,
        theme,
        style: pen(),
        on: {
          tool: setToolSignal,
          selection: (ids) => {
            hasSelection = ids.length > 0;
            setSelectionCount(ids.length);
          },
          viewport(v) {
            setViewport(v);
            first.viewChanged(v, canvas.clientWidth, canvas.clientHeight);
          },
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
          selectionStyle(style, locked, grouping) {
            setSelStyle(hasSelection ? style : null);
            setSelectionLocked(locked);
            setSelectionGrouping(grouping);
          },
          menu: setMenu,
          grid: setGridShown,
          lasers: setLasers,
          follow(state, stopped) {
            const was = following();
            setFollowing(
              state.kind === 'following' ? { clientId: state.clientId, name: state.name } : null,
            );
            if (stopped === 'left' && was)
              showNotice(
                `${was.name || 'The person you followed'} left: you are no longer following.`,
              );
          },
          remoteClear(name) {
            showNotice(
              `${name ?? 'Someone'} cleared the board. Only they can bring it back with Undo.`,
            );
          },
        },
      });
      board = b;
      debug.connect(b);
      const detach = previewCanvas ? first.attach(b, previewCanvas, theme) : null;
      onCleanup(() => {
        detach?.();
        debug.connect(null);
        b.destroy();
        if (board === b) board = null;
      });
    },
  };
}
