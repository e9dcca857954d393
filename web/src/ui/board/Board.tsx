import { createEffect, createSignal, onCleanup, onMount, Show } from 'solid-js';
import type { RoomDoc } from '@peerboard/core/collab';
import type { SessionPresence } from '@peerboard/core';
import type { ImageBlobs } from '@peerboard/core/transfer';
import { createBoardState, imageFiles } from '../../state/createBoardState';
import type { FollowLink } from '../../state/followLink';
import { theme } from '../../state/prefs';
import type { DialogApi } from '../Dialog';
import { ClearDialog, HelpDialog } from './BoardDialogs';
import { BoardNoticeView, ContextMenu } from './ContextMenu';
import { EmptyBoardHint, RemoteCursors, TextEditor } from './Overlays';
import { BoardPeople, FollowBanner } from './BoardPeople';
import { BoardActions, HistoryControls, Toolbar, ZoomControls } from './Toolbar';
import './board.css';

/** Keys typed into a field belong to the field, never to the board. */
function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return (
    t.isContentEditable ||
    t instanceof HTMLInputElement ||
    t instanceof HTMLTextAreaElement ||
    t instanceof HTMLSelectElement
  );
}

/** Space, Enter and arrows on a focused button or tab operate that control. */
function isControlKey(e: KeyboardEvent): boolean {
  const t = e.target;
  if (!(t instanceof HTMLElement) || t === document.body || t.tagName === 'CANVAS') return false;
  return e.key === ' ' || e.key === 'Enter' || e.key.startsWith('Arrow');
}

const DOT_SPACING = 22;

/** The shared whiteboard: canvas, tools, zoom, live cursors. */
export function Board(props: {
  roomDoc: RoomDoc;
  presence: SessionPresence;
  images?: ImageBlobs;
  followLink?: FollowLink;
}) {
  const board = createBoardState(props.roomDoc, props.presence, props.images);
  // the People list and header avatars follow people through the board while it is here
  const unplug = props.followLink?.attach(board);
  onCleanup(() => unplug?.());
  const [size, setSize] = createSignal({ width: 0, height: 0 });
  let canvas: HTMLCanvasElement | undefined;
  let previewCanvas: HTMLCanvasElement | undefined;
  let root: HTMLDivElement | undefined;
  let help: DialogApi | undefined;
  let clear: DialogApi | undefined;
  const dark = () => theme() === 'dark';

  createEffect(() => board.setTheme(theme()));
  createEffect((seen: number) => {
    const n = board.helpRequests();
    if (n !== seen) help?.open();
    return n;
  }, board.helpRequests());

  onMount(() => {
    board.mount(canvas!, previewCanvas);
    const observer = new ResizeObserver(() => {
      if (root) setSize({ width: root.clientWidth, height: root.clientHeight });
    });
    observer.observe(root!);
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target) || isControlKey(e)) return;
      if (document.querySelector('dialog[open]') || board.menu()) return;
      if (board.keyDown(e)) e.preventDefault();
    };
    const onKeyUp = (e: KeyboardEvent) => board.keyUp(e);
    // the clipboard belongs to the board unless a field, a dialog or a text selection has it
    const forBoard = (e: Event) =>
      !e.defaultPrevented &&
      !isTypingTarget(e.target) &&
      !document.querySelector('dialog[open]') &&
      (document.getSelection()?.isCollapsed ?? true);
    const onCopy = (e: ClipboardEvent) => forBoard(e) && board.copy(e, false);
    const onCut = (e: ClipboardEvent) => forBoard(e) && board.copy(e, true);
    const onPaste = (e: ClipboardEvent) => forBoard(e) && board.paste(e);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('copy', onCopy);
    window.addEventListener('cut', onCut);
    window.addEventListener('paste', onPaste);
    onCleanup(() => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('copy', onCopy);
      window.removeEventListener('cut', onCut);
      window.removeEventListener('paste', onPaste);
      observer.disconnect();
    });
  });

  /** the dot grid moves and scales with the camera (doubling its spacing when dense) */
  const dots = () => {
    const v = board.viewport();
    let step = DOT_SPACING * v.zoom;
    while (step < 11) step *= 2;
    return {
      'background-size': `${step}px ${step}px`,
      'background-position': `${-v.x * v.zoom}px ${-v.y * v.zoom}px`,
    };
  };

  return (
    <div
      ref={root}
      // images dropped on the board go on it; other files reach the room's drop zone (offered)
      onDragOver={(e) => {
        if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        const files = imageFiles(e.dataTransfer?.files);
        if (files.length === 0) return;
        e.preventDefault();
        board.insertImages(files, { clientX: e.clientX, clientY: e.clientY });
      }}
      class="board"
      data-element-count={board.elementCount()}
      data-preview-count={board.previewCount()}
      data-remote-drafts={board.remoteDrafts()}
      data-load={board.load()}
      data-tool={board.tool()}
      data-lasers={board.lasers()}
      data-following={board.following()?.name}
      style={dots()}
    >
      <canvas
        ref={canvas}
        class="board-canvas"
        data-board-layer="elements"
        style={{ cursor: board.cursor() }}
        aria-label="Whiteboard. Choose a tool in the toolbar, press ? for keyboard shortcuts."
        role="img"
      />
      {/* a joiner's first screen, greyed over the empty board until it syncs (createFirstScreen);
          tests and benchmarks find each canvas by its data-board-layer, never by its place */}
      <canvas
        ref={previewCanvas}
        class="board-preview"
        data-board-layer="preview"
        // a board loaded from this browser's store, or drawn on meanwhile, is the better view
        classList={{ shown: board.previewCount() > 0 && board.elementCount() === 0 }}
        aria-hidden="true"
      />
      <RemoteCursors board={board} width={size().width} height={size().height} />
      <TextEditor board={board} dark={dark()} />
      <div class="board-top">
        <Toolbar board={board} dark={dark()} />
        <BoardActions board={board} onClear={() => clear?.open()} onHelp={() => help?.open()} />
      </div>
      <div class="board-bottom">
        <ZoomControls board={board} />
        <HistoryControls board={board} />
      </div>
      <Show when={board.load() === 'loading'}>
        <p class="board-status" role="status">
          Loading the saved board…
        </p>
      </Show>
      <Show when={board.previewCount() > 0 && board.elementCount() === 0}>
        <p class="board-status board-preview-status" role="status">
          <span class="spinner" aria-hidden="true" />
          Loading the board… showing what is near you first
        </p>
      </Show>
      <Show
        when={
          board.elementCount() === 0 &&
          board.previewCount() === 0 &&
          board.load() !== 'loading' &&
          !board.textEditing()
        }
      >
        <EmptyBoardHint board={board} width={size().width} height={size().height} />
      </Show>
      <BoardPeople board={board} />
      <FollowBanner board={board} />
      <BoardNoticeView board={board} />
      <ContextMenu board={board} />
      <HelpDialog ref={(api) => (help = api)} />
      <ClearDialog ref={(api) => (clear = api)} onConfirm={() => board.clear()} />
    </div>
  );
}
