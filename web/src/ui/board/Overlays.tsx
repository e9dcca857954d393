import { For, Show, createEffect, createMemo, createSignal, onMount } from 'solid-js';
import { LABEL_PADDING } from '../../board/render/labels';
import type { BoardState } from '../../state/createBoardState';
import { displayColour } from '../../board/render/draw';
import { TEXT_FONT_FAMILY, TEXT_LINE_HEIGHT } from '../../board/render/shapes';
import { worldToScreen } from '../../board/viewport';

/** Other people's pointers with their names, positioned over the canvas. */
export function RemoteCursors(props: { board: BoardState; width: number; height: number }) {
  return (
    <div class="board-cursors" aria-hidden="true">
      <For each={props.board.peers()}>
        {(peer) => {
          const pos = () => {
            const c = peer.cursor;
            if (!c) return null;
            const p = worldToScreen(props.board.viewport(), c.x, c.y);
            return p.x < -20 || p.y < -20 || p.x > props.width || p.y > props.height ? null : p;
          };
          return (
            <Show when={pos()}>
              {(p) => (
                <div
                  class="board-cursor"
                  data-peer-name={peer.name}
                  style={{
                    transform: `translate(${p().x}px, ${p().y}px)`,
                    '--peer-color': peer.colour,
                  }}
                >
                  <svg width="18" height="18" viewBox="0 0 18 18">
                    <path d="M2 1.5 15.5 8l-6 1.6L7 16Z" />
                  </svg>
                  <span class="board-cursor-name">{peer.name || 'Someone'}</span>
                </div>
              )}
            </Show>
          );
        }}
      </For>
    </div>
  );
}

/**
 * The inline text editor: a textarea laid over the canvas at the text's position and zoom,
 * in the same font, so what you type sits where it will be drawn. Enter adds a line;
 * Escape, Ctrl/⌘+Enter or clicking elsewhere finishes.
 */
export function TextEditor(props: { board: BoardState; dark: boolean }) {
  return (
    <Show when={props.board.textEditing()}>
      {(editing) => {
        let area: HTMLTextAreaElement | undefined;
        // a label wraps at its shape's width and sits centred in it, as it will be drawn
        const box = editing().box;
        const [height, setHeight] = createSignal(0);
        const fit = () => {
          if (!area) return;
          const zoom = props.board.viewport().zoom;
          area.style.height = '0px';
          if (box) area.style.width = `${Math.max(box.w - LABEL_PADDING * 2, 24) * zoom}px`;
          else {
            area.style.width = '0px';
            area.style.width = `${area.scrollWidth + 4}px`;
          }
          area.style.height = `${area.scrollHeight}px`;
          setHeight(area.scrollHeight);
        };
        const pos = () => {
          const v = props.board.viewport();
          if (!box) return worldToScreen(v, editing().x, editing().y);
          const p = worldToScreen(v, box.x + LABEL_PADDING, box.y + box.h / 2);
          return { x: p.x, y: p.y - height() / 2 };
        };
        onMount(() => {
          if (!area) return;
          area.value = editing().text;
          fit();
          area.focus();
          area.select();
        });
        createEffect(() => {
          props.board.viewport();
          fit();
        });
        const key = editing().key;
        const finish = () => props.board.commitText(area?.value ?? '', key);
        return (
          <textarea
            ref={area}
            class="board-text-editor"
            aria-label={box ? 'Label' : 'Text'}
            spellcheck={false}
            wrap={box ? 'soft' : 'off'}
            classList={{ 'board-label-editor': box !== undefined }}
            style={{
              transform: `translate(${pos().x}px, ${pos().y}px)`,
              'font-family': TEXT_FONT_FAMILY,
              'font-size': `${editing().fontSize * props.board.viewport().zoom}px`,
              'line-height': String(TEXT_LINE_HEIGHT),
              color: displayColour(editing().colour, props.dark ? 'dark' : 'light'),
            }}
            onInput={(e) => {
              props.board.setEditingText(e.currentTarget.value);
              fit();
            }}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) {
                e.preventDefault();
                finish();
              }
            }}
            onBlur={finish}
          />
        );
      }}
    </Show>
  );
}

/** a screen box on the board, in CSS px from its top left */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** a remote cursor's parts from its point, as board.css lays them out (.board-cursor) */
const ARROW = 18;
const LABEL = { dx: 12, dy: 16, paddingX: 14, h: 22, font: '600 11.5px' };
let labelText: CanvasRenderingContext2D | null | undefined;
/** a name label's width from its text (no layout): the canvas shapes it in the page's font */
function labelWidth(name: string): number {
  if (labelText === undefined) {
    labelText = document.createElement('canvas').getContext('2d');
    const family = getComputedStyle(document.documentElement).getPropertyValue('--font-sans');
    if (labelText) labelText.font = `${LABEL.font} ${family || 'sans-serif'}`;
  }
  // a little over: the web font may not have loaded when this first measures
  return Math.ceil((labelText?.measureText(name).width ?? name.length * 8) * 1.05) + LABEL.paddingX;
}

/**
 * "Draw anything…" on an empty board. Someone's cursor and name over it make both unreadable,
 * and the cursor is what matters (they are pointing at something): the hint steps aside while
 * any cursor covers it, and comes back once they move on. Covered is derived from the cursors'
 * board positions, the viewport and the board's size; only the hint's own text box is measured
 * (once, and again when the web font arrives).
 */
export function EmptyBoardHint(props: { board: BoardState; width: number; height: number }) {
  let hint: HTMLParagraphElement | undefined;
  const [hintSize, setHintSize] = createSignal({ w: 0, h: 0 });
  const measure = () => {
    if (hint) setHintSize({ w: hint.offsetWidth, h: hint.offsetHeight });
  };
  onMount(() => {
    measure();
    void document.fonts.ready.then(measure);
  });
  const covered = createMemo(() => {
    const { w, h } = hintSize();
    // board.css .board-hint: centred across, its top at half the height
    const box: Box = { x: props.width / 2 - w / 2, y: props.height / 2, w, h };
    const v = props.board.viewport();
    return props.board.peers().some((peer) => {
      if (!peer.cursor) return false;
      const p = worldToScreen(v, peer.cursor.x, peer.cursor.y);
      const arrow: Box = { x: p.x, y: p.y, w: ARROW, h: ARROW };
      const label: Box = {
        x: p.x + LABEL.dx,
        y: p.y + LABEL.dy,
        w: labelWidth(peer.name || 'Someone'),
        h: LABEL.h,
      };
      return intersects(arrow, box) || intersects(label, box);
    });
  });
  return (
    <p ref={hint} class="board-hint" data-covered={covered() ? 'true' : 'false'}>
      Draw anything. Everyone in this room sees it live.
    </p>
  );
}
