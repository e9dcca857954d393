import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import type { BoardState } from '../../state/createBoardState';
import { displayColour } from '../../board/render/draw';
import { FILLS, OPACITIES, PALETTE, WIDTHS } from '../../board/input/tools';
import { StyleIcon } from './boardIcons';

/** Colour swatches (they recolour the selection, or the pen when nothing is selected). */
export function ColourButtons(props: { board: BoardState; dark: boolean }) {
  const b = props.board;
  return (
    <div class="board-group" role="group" aria-label="Colour">
      <For each={PALETTE}>
        {(p) => (
          <button
            type="button"
            class="board-swatch"
            aria-label={`Colour: ${p.label}`}
            aria-pressed={b.colour() === p.colour}
            title={p.label}
            style={{ '--swatch': displayColour(p.colour, props.dark ? 'dark' : 'light') }}
            onClick={() => b.setColour(p.colour)}
          />
        )}
      </For>
    </div>
  );
}

export function WidthButtons(props: { board: BoardState }) {
  const b = props.board;
  return (
    <div class="board-group" role="group" aria-label="Stroke width and text size">
      <For each={WIDTHS}>
        {(w) => (
          <button
            type="button"
            class="board-btn"
            aria-label={`Stroke width: ${w.label}`}
            aria-pressed={b.strokeWidth() === w.width}
            title={`${w.label} stroke and text`}
            onClick={() => b.setStrokeWidth(w.width)}
          >
            <span class="board-width" style={{ height: `${Math.min(w.width, 6) + 1}px` }} />
          </button>
        )}
      </For>
    </div>
  );
}

/**
 * Fill choices drawn in the current colour, so each looks like what it does in either theme:
 * none an empty outline with a slash, see-through half the colour over a checker, solid the colour.
 */
export function FillButtons(props: { board: BoardState; dark: boolean }) {
  const b = props.board;
  return (
    <div
      class="board-group"
      role="group"
      aria-label="Fill of shapes"
      style={{ '--fill-colour': swatchColour(b, props.dark) }}
    >
      <For each={FILLS}>
        {(f) => (
          <button
            type="button"
            class="board-btn"
            aria-label={`Fill: ${f.label}`}
            aria-pressed={b.fill() === f.fill}
            title={f.label}
            onClick={() => b.setFill(f.fill)}
          >
            <span class={`board-fill board-fill-${f.fill}`} />
          </button>
        )}
      </For>
    </div>
  );
}

/** The current colour as the swatches draw it; a selection of mixed colours has none. */
function swatchColour(b: BoardState, dark: boolean): string | undefined {
  const c = b.colour();
  // undefined: the swatches fall back to the text colour
  return c === undefined ? undefined : displayColour(c, dark ? 'dark' : 'light');
}

/**
 * Opacity choices drawn in the current colour, round beside the fills' squares: opaque a disc of
 * it, half transparent a checker disc half under the colour at half (board.css). The see-through
 * fill is a plain light tint inside an outline, so the two never read alike.
 */
export function OpacityButtons(props: { board: BoardState; dark: boolean }) {
  const b = props.board;
  return (
    <div
      class="board-group"
      role="group"
      aria-label="Opacity"
      style={{ '--fill-colour': swatchColour(b, props.dark) }}
    >
      <For each={OPACITIES}>
        {(o) => (
          <button
            type="button"
            class="board-btn"
            aria-label={`Opacity: ${o.label}`}
            aria-pressed={b.opacity() === o.opacity}
            title={o.label}
            onClick={() => b.setOpacity(o.opacity)}
          >
            <span class={`board-opacity ${o.opacity < 1 ? 'board-opacity-half' : ''}`} />
          </button>
        )}
      </For>
    </div>
  );
}

/**
 * A button that opens a row of style controls at the end of the toolbar. On a phone it holds every
 * style control (the toolbar has no room); on a desktop the fill and opacity. Escape, a click
 * elsewhere or the button again closes it.
 */
export function StylePopover(props: { label: string; children: JSX.Element; id: string }) {
  const [open, setOpen] = createSignal(false);
  let root: HTMLDivElement | undefined;
  let button: HTMLButtonElement | undefined;
  const onDown = (e: PointerEvent) => {
    if (open() && root && !root.contains(e.target as Node)) setOpen(false);
  };
  const onKey = (e: KeyboardEvent) => {
    if (open() && e.key === 'Escape') {
      setOpen(false);
      button?.focus();
    }
  };
  document.addEventListener('pointerdown', onDown, true);
  document.addEventListener('keydown', onKey);
  onCleanup(() => {
    document.removeEventListener('pointerdown', onDown, true);
    document.removeEventListener('keydown', onKey);
  });
  return (
    <div class="board-popover-anchor" ref={root}>
      <button
        ref={button}
        type="button"
        class="board-btn board-style-btn"
        aria-label={props.label}
        aria-expanded={open()}
        aria-controls={props.id}
        title={props.label}
        onClick={() => setOpen((v) => !v)}
      >
        <StyleIcon />
      </button>
      <Show when={open()}>
        <div id={props.id} class="board-popover" role="group" aria-label={props.label}>
          {props.children}
        </div>
      </Show>
    </div>
  );
}
