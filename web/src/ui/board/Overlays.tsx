import { For, Show, createEffect, createSignal, onCleanup, onMount } from 'solid-js';
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

/**
 * "Draw anything…" on an empty board. Someone's cursor and name over it make both unreadable,
 * and the cursor is what matters (they are pointing at something): the hint steps aside while
 * any cursor covers it, and comes back once they move on.
 */
export function EmptyBoardHint(props: { board: BoardState }) {
  let hint: HTMLParagraphElement | undefined;
  const [covered, setCovered] = createSignal(false);
  let frame = 0;
  const measure = () => {
    frame = 0;
    const board = hint?.closest('.board');
    if (!hint || !board) return;
    const h = hint.getBoundingClientRect();
    const parts = board.querySelectorAll('.board-cursor svg, .board-cursor-name');
    setCovered(
      [...parts].some((el) => {
        const r = el.getBoundingClientRect();
        return r.left < h.right && h.left < r.right && r.top < h.bottom && h.top < r.bottom;
      }),
    );
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(measure);
  };
  createEffect(() => {
    props.board.peers();
    props.board.viewport();
    schedule();
  });
  // cursors glide to a new place (a short transform transition): measure where they stop too
  onMount(() => hint?.closest('.board')?.addEventListener('transitionend', schedule));
  onCleanup(() => {
    if (frame !== 0) cancelAnimationFrame(frame);
    hint?.closest('.board')?.removeEventListener('transitionend', schedule);
  });
  return (
    <p ref={hint} class="board-hint" data-covered={covered() ? 'true' : 'false'}>
      Draw anything. Everyone in this room sees it live.
    </p>
  );
}
