/**
 * The whiteboard engine's one entry: wires the room's Y.Doc to the canvas renderer and the input
 * controller, follows other people's presence, runs the inline text editor's sessions, and
 * exports. Framework-free: what a UI shows arrives through `on` callbacks, what it does goes
 * through the returned operations. The Solid bridge is state/createBoardState.ts.
 */
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import {
  addElement,
  centreDistance2,
  clearBoard,
  observeBoard,
  readBoard,
  remotePresences,
  RemoteOrigin,
  type BoardElement,
  type BoardUndo,
  type PresenceDevices,
  type PresenceNames,
} from '@peerboard/core/collab';
import type { Unsubscribe } from '@peerboard/core';
import type { ImageBlobs } from '@peerboard/core/transfer';
import { makeBoardImages } from './images/boardImages';
import { placeImage } from './images/placeImage';
import { prepareImage } from './images/prepareImage';
import { boardToPng, boardToSvg, downloadBlob } from './exportBoard';
import { makeBoardController } from './input/controller';
import { makeTextEditing, type TextEditing } from './textEditing';
import type { SelectionAction } from './input/shortcuts';
import { makeSelectionActions, type SelectionActions } from './selectionActions';
import { selectionGrouping, selectionStyle, type SelectionGrouping } from './styleSelection';
import type { DrawStyle, Tool } from './input/tools';
import type { BoardTheme } from './render/draw';
import { makeBoardRenderer, type RenderOptions, type RenderStats } from './render/renderer';
import { scheduleLoadWarmUp } from './render/loadWarmUp';
import { screenToWorld, visibleRect, type Viewport } from './viewport';
import { makeBoardPresence, type PresenceExtrasView } from './boardPresence';
import type { FollowState, StopReason } from './follow';
import type { Rect } from './geometry';

export interface RemotePeer extends PresenceExtrasView {
  clientId: number;
  name: string;
  colour: string;
  cursor: { x: number; y: number } | null;
  selection: string[];
}

export type { TextEditing } from './textEditing';

/** What a UI shows; each fires when its value changes (and once at the start where noted). */
export interface BoardCallbacks {
  tool(tool: Tool): void;
  selection(ids: readonly string[]): void;
  /** also at the start */
  viewport(v: Viewport): void;
  /** the canvas's CSS cursor */
  cursor(css: string): void;
  /** also at the start */
  history(h: { canUndo: boolean; canRedo: boolean }): void;
  /** also at the start */
  elementCount(n: number): void;
  /** the others in the room, and how many of them are drawing right now; also at the start */
  peers(peers: RemotePeer[], drafting: number): void;
  /** the inline text editor opens (a new session key), changes or closes (null) */
  textEditing(editing: TextEditing | null): void;
  /** the user asked for the shortcuts overlay ("?") */
  help(): void;
  /** the style all selected elements share (fields where they differ are absent); {} = none */
  selectionStyle(style: Partial<DrawStyle>, locked: boolean, grouping: SelectionGrouping): void;
  /** open the context menu at this point (client coordinates) */
  menu(at: { x: number; y: number }): void;
  /** someone else emptied the board in one step (their name, or null when unknown) */
  remoteClear(name: string | null): void;
  /** snapping to the grid went on or off */
  grid(on: boolean): void;
  /** we started or stopped following someone (`stopped`: why, when we stopped) */
  follow(state: FollowState, stopped: StopReason | null): void;
  /** laser trails on screen, ours included (when the number changes) */
  lasers(n: number): void;
}

export interface BoardOptions {
  canvas: HTMLCanvasElement;
  doc: Y.Doc;
  awareness: Awareness;
  /** this client's undo (the caller owns it: it may outlive the board) */
  undo: BoardUndo;
  theme?: BoardTheme;
  style?: Partial<DrawStyle>;
  on?: Partial<BoardCallbacks>;
  /** the room's image bytes (session.transfers.images); none: images show as placeholders */
  images?: ImageBlobs;
  /** settles once the stored board is in (persistence.whenSynced): the load warm-up waits */
  stored?: Promise<unknown>;
  /**
   * The session's presence tracker (session.presence): whose presence is whose and who proved
   * the same browser. The caller owns it; the People list reads the same one.
   */
  presence: { names: PresenceNames; devices: PresenceDevices };
}

export interface Board {
  setTool(tool: Tool): void;
  setStyle(style: Partial<DrawStyle>): void;
  setTheme(theme: BoardTheme): void;
  deleteSelection(): void;
  undo(): void;
  redo(): void;
  viewport(): Viewport;
  /** move the camera as the user would (auto-fit stops) */
  setViewport(v: Viewport): void;
  zoomBy(factor: number): void;
  zoomToFit(): void;
  /** the editor's live text (kept so a click elsewhere commits what was typed) */
  setEditingText(text: string): void;
  /** end the editing session `key` (default: the current one), writing `text` */
  commitText(text: string, key?: number): void;
  clear(): void;
  /** the selection, else the whole board; false (nothing downloaded) when that is empty */
  exportPng(): Promise<boolean>;
  exportSvg(): boolean;
  /** an action on the selection (toolbar, context menu, shortcut) */
  act(action: SelectionAction): void;
  /** snap moves, resizes and new shapes to the grid (drawn while on) */
  setGrid(on: boolean): void;
  grid(): boolean;
  /** the copy / cut / paste events and the menu's async clipboard */
  readonly clipboard: Pick<SelectionActions, 'copyTo' | 'pasteFrom' | 'copyAsync' | 'pasteAsync'>;
  /** shortcuts from window keydown (the caller filters out typing in fields) */
  keyDown(e: KeyboardEvent): boolean;
  keyUp(e: KeyboardEvent): void;
  elementCount(): number;
  /** ids of the elements meeting `r` (world), nearest its centre first: a joiner's first screen */
  elementsNear(r: Rect): string[];
  /**
   * Puts an image on the board (resized and compressed first), centred at the client point `at`
   * or in the middle of the view. Resolves with a plain-language error, or null when inserted.
   */
  insertImage(file: Blob, at?: { clientX: number; clientY: number }): Promise<string | null>;
  /** follow someone's viewport (their awareness client id); again to stop */
  follow(clientId: number, name: string): void;
  stopFollowing(): void;
  // for benchmarks and diagnostics (debug.ts)
  /** paint now (synchronously); returns the milliseconds it took */
  renderNow(): number;
  renderStats(): RenderStats;
  setRenderOptions(options: RenderOptions): void;
  /** called after every painted frame with its duration */
  onFrame(fn: (ms: number) => void): Unsubscribe;
  destroy(): void;
}

const fileStamp = () => new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');

export function makeBoard(o: BoardOptions): Board {
  const { canvas, doc, awareness, undo } = o;
  const on = o.on ?? {};
  const renderer = makeBoardRenderer(canvas);
  renderer.setTheme(o.theme ?? 'light');
  const images = o.images
    ? makeBoardImages({ blobs: o.images, changed: () => renderer.setImages(images!.lookup) })
    : null;
  if (images) renderer.setImages(images.lookup);
  const trackImages = (els: readonly BoardElement[]): void => {
    if (images) for (const el of els) if (el.type === 'image') images.track(el);
  };
  const initial = readBoard(doc);
  renderer.reset(initial);
  trackImages(initial);
  const controller = makeBoardController({ doc, awareness, undo, renderer, surface: canvas });
  if (o.style) controller.setStyle(o.style);
  const blobs = o.images;
  const actions = makeSelectionActions({
    doc,
    undo,
    renderer,
    controller,
    images: blobs && { bytes: (sha) => blobs.get(sha), add: (bytes) => blobs.add(bytes) },
  });
  const { names, devices } = o.presence;
  const emitSelectionStyle = (): void => {
    const els = actions.selected();
    on.selectionStyle?.(
      selectionStyle(els),
      els.length > 0 && els.every((e) => e.locked),
      selectionGrouping(els),
    );
  };
  const act = actions.run;
  /** exports take the selection when there is one, else the whole board */
  const exported = (): BoardElement[] => {
    const sel = actions.selected();
    return sel.length > 0 ? [...sel] : readBoard(doc);
  };
  let destroyed = false;
  const text = makeTextEditing({
    doc,
    undo,
    renderer,
    controller,
    onChange: (e) => on.textEditing?.(e),
  });
  const presence = makeBoardPresence({
    awareness,
    renderer,
    controller,
    names,
    devices,
    devicesChanged: () => refreshPeers(),
    followChanged: (state, stopped) => on.follow?.(state, stopped),
    lasers: (n) => on.lasers?.(n),
  });

  const refreshPeers = (): void => {
    const list: RemotePeer[] = [];
    // drafts go straight to the canvas: they change every frame
    const drafts: BoardElement[] = [];
    const remote = remotePresences(awareness);
    remote.forEach((full, clientId) => {
      const { draft, name, colour, cursor, selection } = full;
      list.push({
        clientId,
        name,
        colour,
        cursor,
        selection,
        ...presence.extrasOf(clientId, full),
      });
      if (draft) drafts.push({ ...draft, id: `draft-${clientId}`, author: clientId, z: 'a0' });
    });
    presence.update(remote);
    on.peers?.(list, drafts.length);
    renderer.setOverlay({
      remote: list
        .filter((p) => p.selection.length > 0)
        .map((p) => ({ colour: p.colour, name: p.name, ids: p.selection })),
      drafts,
    });
  };

  /**
   * Elements on the board, those of a board that arrived and are not read yet included. The
   * board's own bookkeeping of a change reads `sceneSoFar`: asking `scene` would read them all.
   */
  const elementCount = (): number => renderer.sceneSoFar.size + offBoard.waiting();

  /** Show the content if it is all off-screen and the user has not moved the camera yet. */
  const autoFit = (): void => {
    if (controller.userMovedView() || elementCount() === 0) return;
    const { width, height } = renderer.size();
    const view = visibleRect(renderer.viewport(), width, height);
    // a fit reads the whole board (scene.bounds): only when nothing read so far is in view
    if (renderer.sceneSoFar.visible(view).length === 0) controller.zoomToFit();
  };

  /**
   * What a board that arrives is read first for: the view, what its first frame paints. The
   * rest is read in idle slices after it, before the renderer's layer paints its margin.
   */
  const nearView = (): Rect => {
    const { width, height } = renderer.size();
    return visibleRect(renderer.viewport(), width, height);
  };

  const cancelWarmUp = scheduleLoadWarmUp(() => elementCount() === 0, o.stored);
  const offBoard = observeBoard(
    doc,
    (change) => {
      const before = renderer.sceneSoFar.size;
      renderer.apply(change);
      trackImages(change.added);
      const cleared = before > 0 && elementCount() === 0;
      if (cleared && change.origin instanceof RemoteOrigin)
        on.remoteClear?.(names.nameOf(change.origin.peer) ?? null);
      const sel = controller.selection();
      if (change.updated.some((e) => sel.includes(e.id))) emitSelectionStyle();
      on.elementCount?.(elementCount());
      if (change.removed.length > 0) {
        const kept = sel.filter((id) => renderer.sceneSoFar.get(id) !== undefined);
        if (kept.length !== sel.length) controller.setSelection(kept);
      }
      if (change.added.length > 0) autoFit();
    },
    { readFirst: nearView },
  );
  renderer.setWaiting(offBoard);
  const history = (): void => on.history?.({ canUndo: undo.canUndo(), canRedo: undo.canRedo() });
  const offUndo = undo.onChange(history);
  awareness.on('change', refreshPeers);
  const offs = [
    controller.on('viewport', (v) => on.viewport?.(v)),
    controller.on('selection', (ids) => {
      on.selection?.(ids);
      emitSelectionStyle();
    }),
    controller.on('menu', (at) => on.menu?.(at)),
    controller.on('action', act),
    controller.on('tool', (t) => on.tool?.(t)),
    controller.on('cursor', (c) => on.cursor?.(c)),
    controller.on('help', () => on.help?.()),
    controller.on('textEdit', text.open),
    controller.on('grid', (g) => on.grid?.(g)),
  ];
  const resize = new ResizeObserver(() => {
    const box = canvas.getBoundingClientRect();
    renderer.setSize(box.width, box.height, window.devicePixelRatio || 1);
    renderer.invalidate();
    autoFit();
    presence.resized();
  });
  resize.observe(canvas);
  on.elementCount?.(elementCount());
  on.viewport?.(renderer.viewport());
  history();
  refreshPeers();

  return {
    setTool: (t) => controller.setTool(t),
    setStyle(s) {
      controller.setStyle(s);
      actions.applyStyle(s);
    },
    setTheme: (t) => renderer.setTheme(t),
    deleteSelection: () => controller.deleteSelection(),
    undo: () => void undo.undo(),
    redo: () => void undo.redo(),
    viewport: () => renderer.viewport(),
    setViewport: (v) => controller.setViewport(v),
    zoomBy: (f) => controller.zoomBy(f),
    zoomToFit: () => controller.zoomToFit(),
    setEditingText: text.setText,
    commitText: text.commit,
    clear() {
      clearBoard(doc);
      undo.stopCapturing();
    },
    async exportPng() {
      const els = exported();
      if (els.length === 0) return false;
      downloadBlob(await boardToPng(els, 2, images?.lookup), `peerboard-${fileStamp()}.png`);
      return true;
    },
    exportSvg() {
      const els = exported();
      if (els.length === 0) return false;
      const svg = boardToSvg(els, images ? (sha) => images.bytes(sha) : undefined);
      downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `peerboard-${fileStamp()}.svg`);
      return true;
    },
    act,
    setGrid: (g) => controller.setGrid(g),
    grid: () => controller.grid(),
    clipboard: actions,
    keyDown: (e) => presence.keyDown(e) || controller.keyDown(e),
    keyUp: (e) => controller.keyUp(e),
    elementCount,
    elementsNear: (r) =>
      renderer.scene
        .visible(r)
        .map((e) => ({ id: e.el.id, d: centreDistance2(e.bounds, r) }))
        .sort((a, b) => a.d - b.d)
        .map((e) => e.id),
    async insertImage(file, at) {
      if (!o.images) return 'Images cannot be added here.';
      const prepared = await prepareImage(file);
      if (!prepared.ok) return prepared.message;
      const { bytes, width, height } = prepared.value;
      const added = await o.images.add(bytes);
      if (!added.ok) return 'This image could not be added: it is not a PNG, JPEG, WebP or GIF.';
      if (destroyed) return null;
      const { width: cw, height: ch } = renderer.size();
      const view = renderer.viewport();
      const box = canvas.getBoundingClientRect();
      const point = at
        ? screenToWorld(view, at.clientX - box.left, at.clientY - box.top)
        : screenToWorld(view, cw / 2, ch / 2);
      const placed = placeImage({ w: width, h: height }, point, visibleRect(view, cw, ch));
      const r = addElement(doc, {
        type: 'image',
        ...placed,
        sha256: added.value.sha256,
        mime: added.value.mime,
        naturalW: width,
        naturalH: height,
        colour: controller.style().colour,
        strokeWidth: controller.style().strokeWidth,
      });
      undo.stopCapturing();
      if (!r.ok) return 'This image could not be added to the board.';
      controller.setTool('select');
      controller.setSelection([r.value.id]);
      return null;
    },
    follow: (clientId, name) => presence.follow(clientId, name),
    stopFollowing: () => presence.stopFollowing('toggle'),
    renderNow: () => renderer.renderNow(),
    renderStats: () => renderer.stats(),
    setRenderOptions: (options) => renderer.setOptions(options),
    onFrame: (fn) => renderer.onFrame(fn),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      cancelWarmUp();
      awareness.off('change', refreshPeers);
      presence.destroy(); // not o.presence: the session's, it outlives this canvas
      offBoard();
      offUndo();
      images?.destroy();
      resize.disconnect();
      for (const off of offs) off();
      controller.destroy();
      renderer.destroy();
    },
  };
}
