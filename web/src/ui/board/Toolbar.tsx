import { For, Show } from 'solid-js';
import type { BoardState } from '../../state/createBoardState';
import {
  ClearIcon,
  FitIcon,
  DownloadIcon,
  HelpIcon,
  ImageIcon,
  RedoIcon,
  TOOL_ICONS,
  TrashIcon,
  UndoIcon,
  ZoomInIcon,
  ZoomOutIcon,
} from './boardIcons';
import { TOOLS } from '../../board/input/tools';
import { createMediaQuery, PHONE_QUERY } from '../createMediaQuery';
import {
  ColourButtons,
  FillButtons,
  OpacityButtons,
  StylePopover,
  WidthButtons,
} from './StyleControls';
import { zoomLabel, ZOOM_STEP } from '../../board/viewport';

/**
 * Tools and style: every button says what it is and shows its shortcut. Style buttons restyle
 * the selection (and set the pen); on a phone they sit in a popover behind one Style button.
 */
export function Toolbar(props: { board: BoardState; dark: boolean }) {
  const b = props.board;
  const phone = createMediaQuery(PHONE_QUERY);
  return (
    <div class="board-toolbar" role="toolbar" aria-label="Drawing tools">
      <div class="board-group">
        <For each={TOOLS}>
          {(t) => {
            const Icon = TOOL_ICONS[t.id];
            return (
              <button
                type="button"
                class="board-btn"
                aria-label={t.label}
                aria-keyshortcuts={t.key.toUpperCase()}
                aria-pressed={b.tool() === t.id}
                title={`${t.label} (${t.key.toUpperCase()})`}
                data-tool={t.id}
                onClick={() => b.setTool(t.id)}
              >
                <Icon />
                <span class="board-key" aria-hidden="true">
                  {t.key.toUpperCase()}
                </span>
              </button>
            );
          }}
        </For>
      </div>
      <span class="board-sep" aria-hidden="true" />
      <Show
        when={!phone()}
        fallback={
          <StylePopover label="Colour and style" id="board-style-all">
            <ColourButtons board={b} dark={props.dark} />
            <WidthButtons board={b} />
            <FillButtons board={b} dark={props.dark} />
            <OpacityButtons board={b} dark={props.dark} />
          </StylePopover>
        }
      >
        <ColourButtons board={b} dark={props.dark} />
        <span class="board-sep" aria-hidden="true" />
        <WidthButtons board={b} />
        <StylePopover label="Fill and opacity" id="board-style-more">
          <FillButtons board={b} dark={props.dark} />
          <OpacityButtons board={b} dark={props.dark} />
        </StylePopover>
      </Show>
    </div>
  );
}

/** Undo/redo and delete, next to the zoom controls (where Excalidraw users look for them). */
export function HistoryControls(props: { board: BoardState }) {
  const b = props.board;
  return (
    <div class="board-history" role="group" aria-label="History">
      <button
        type="button"
        class="board-btn"
        aria-label="Undo"
        aria-keyshortcuts="Control+Z Meta+Z"
        title="Undo (Ctrl/⌘+Z)"
        disabled={!b.canUndo()}
        onClick={() => b.undo()}
      >
        <UndoIcon />
      </button>
      <button
        type="button"
        class="board-btn"
        aria-label="Redo"
        aria-keyshortcuts="Shift+Control+Z Shift+Meta+Z"
        title="Redo (Shift+Ctrl/⌘+Z)"
        disabled={!b.canRedo()}
        onClick={() => b.redo()}
      >
        <RedoIcon />
      </button>
      <Show when={b.selectionCount() > 0}>
        <button
          type="button"
          class="board-btn"
          aria-label="Delete selection"
          aria-keyshortcuts="Delete"
          title="Delete selection (Del)"
          onClick={() => b.deleteSelection()}
        >
          <TrashIcon />
        </button>
      </Show>
    </div>
  );
}

/** Export, clear and help. */
export function BoardActions(props: {
  board: BoardState;
  onClear: () => void;
  onHelp: () => void;
}) {
  const b = props.board;
  let picker: HTMLInputElement | undefined;
  // exports take the selection when there is one; an empty board has nothing to export
  const what = () => (b.selectionCount() > 0 ? 'selection' : 'board');
  const empty = () => b.elementCount() === 0;
  const exportTitle = (kind: string) =>
    empty()
      ? 'The board is empty: draw something to export it'
      : `Export ${what()} as ${kind === 'PNG' ? 'an image' : 'a vector drawing'} (${kind})`;
  return (
    <div class="board-actions" role="toolbar" aria-label="Board actions">
      <input
        ref={picker}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif"
        multiple
        hidden
        aria-hidden="true"
        tabIndex={-1}
        data-testid="insert-image-input"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          b.insertImages(files);
        }}
      />
      <button
        type="button"
        class="board-btn"
        aria-label="Insert image…"
        title="Insert image… (or paste one, or drop it on the board)"
        onClick={() => picker?.click()}
      >
        <ImageIcon />
      </button>
      <button
        type="button"
        class="board-btn board-btn-labelled"
        aria-label={what() === 'selection' ? 'Export selection PNG' : 'Export PNG'}
        title={exportTitle('PNG')}
        disabled={empty()}
        onClick={() => void b.exportPng()}
      >
        <DownloadIcon />
        <span>{what() === 'selection' ? 'Selection PNG' : 'PNG'}</span>
      </button>
      <button
        type="button"
        class="board-btn board-btn-labelled"
        aria-label={what() === 'selection' ? 'Export selection SVG' : 'Export SVG'}
        title={exportTitle('SVG')}
        disabled={empty()}
        onClick={() => b.exportSvg()}
      >
        <DownloadIcon />
        <span>{what() === 'selection' ? 'Selection SVG' : 'SVG'}</span>
      </button>
      <button
        type="button"
        class="board-btn"
        aria-label="Clear board"
        title="Clear the board for everyone"
        disabled={b.elementCount() === 0}
        onClick={() => props.onClear()}
      >
        <ClearIcon />
      </button>
      <button
        type="button"
        class="board-btn"
        aria-label="Keyboard shortcuts"
        aria-keyshortcuts="?"
        title="Keyboard shortcuts (?)"
        onClick={() => props.onHelp()}
      >
        <HelpIcon />
      </button>
    </div>
  );
}

export function ZoomControls(props: { board: BoardState }) {
  const b = props.board;
  return (
    <div class="board-zoom" role="group" aria-label="Zoom">
      <button
        type="button"
        class="board-btn"
        aria-label="Zoom out"
        title="Zoom out (Ctrl/⌘ −)"
        onClick={() => b.zoomBy(1 / ZOOM_STEP)}
      >
        <ZoomOutIcon />
      </button>
      <button
        type="button"
        class="board-btn board-zoom-label"
        aria-label={`Zoom ${zoomLabel(b.viewport().zoom)}, reset to 100%`}
        title="Reset to 100% (Ctrl/⌘ 0)"
        onClick={() => b.zoomBy(1 / b.viewport().zoom)}
      >
        {zoomLabel(b.viewport().zoom)}
      </button>
      <button
        type="button"
        class="board-btn"
        aria-label="Zoom in"
        title="Zoom in (Ctrl/⌘ =)"
        onClick={() => b.zoomBy(ZOOM_STEP)}
      >
        <ZoomInIcon />
      </button>
      <button
        type="button"
        class="board-btn"
        aria-label="Zoom to fit"
        aria-keyshortcuts="Shift+1"
        title="Zoom to fit (Shift+1)"
        onClick={() => b.zoomToFit()}
      >
        <FitIcon />
      </button>
    </div>
  );
}
