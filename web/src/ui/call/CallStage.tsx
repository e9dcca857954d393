import { createSignal, For, onCleanup, Show } from 'solid-js';
import { selfViewDock, type ParticipantView, type StageTile } from '@peerboard/core/call';
import type { CallState } from '../../state/createCallState';
import type { PeerNames } from '../../state/createPeerNames';
import { createMediaQuery, PHONE_QUERY } from '../createMediaQuery';
import { CallControls } from './CallControls';
import { BoardIcon, CornerIcon, ExpandIcon, PinIcon } from './callIcons';
import { VideoTile } from './VideoTile';
import './stage.css';

/**
 * The call over the board area (stageLayout.ts): a spotlight (one tile large: pinned, a shared
 * screen, or the speaker; the other tiles in a strip below) or, with two or more others, an
 * equal grid with the active speaker highlighted; our own view small in a corner (drag it, or
 * its corner button; in the gallery it sits in space kept free for it, never over a tile). A shared
 * screen is a tile of its own beside its sharer's camera. Each tile is rendered once and only
 * its slot changes, so the video keeps playing when the stage moves to someone else.
 */
export function CallStage(props: { call: CallState; names: PeerNames; showControls: boolean }) {
  const s = () => props.call.state;
  const stage = props.call.stage;
  const slot = (id: string) => {
    const l = stage.layout();
    if (id === l.main) return 'main';
    if (id === l.selfView) return 'self';
    return l.mode === 'gallery' ? 'grid' : 'strip';
  };
  const owner = (t: StageTile | undefined) =>
    t ? s().participants.find((p) => p.id === t.owner) : undefined;
  /** columns of the gallery: as square as the cells allow (the phone's stays narrower) */
  const cols = () => Math.ceil(Math.sqrt(stage.layout().grid.length));
  const phone = createMediaQuery(PHONE_QUERY);
  const count = () => s().participants.length;
  const [corner, setCorner] = createSignal<Corner>('tr');
  const [area, setArea] = createSignal({ w: 0, h: 0 });
  let tiles: HTMLUListElement | undefined;
  const observer = new ResizeObserver(([e]) => {
    const box = e?.borderBoxSize[0];
    if (box) setArea({ w: box.inlineSize, h: box.blockSize });
  });
  onCleanup(() => observer.disconnect());
  /**
   * Our own view's width: stage.css's --self-w (smaller on a phone) is the one source, read
   * again when the stage's size or the phone layout changes.
   */
  const selfWidth = () => {
    phone();
    area();
    return tiles ? parseFloat(getComputedStyle(tiles).getPropertyValue('--self-w')) : NaN;
  };
  /** gallery: where the room for our own view is kept (its width, the padding) */
  const dock = () => {
    const l = stage.layout();
    const selfW = selfWidth();
    if (l.mode !== 'gallery' || l.selfView === null || !(selfW > 0)) return null;
    const pad = phone() ? 8 : 12;
    const n = l.grid.length;
    const columns = phone() ? (n > 2 ? 2 : 1) : cols();
    const free = { w: area().w - 2 * pad, h: area().h - pad };
    return selfViewDock(free, n, columns, { w: selfW, h: (selfW * 3) / 4 }, 8);
  };

  return (
    <section
      class="call-stage"
      aria-label="Call"
      data-strip={stage.layout().strip.length > 0 ? 'true' : 'false'}
      data-mode={stage.layout().mode}
      data-reason={stage.layout().reason}
    >
      <div class="stage-head">
        <p class="stage-count">
          {count() === 1 ? 'Only you are in the call' : `${count()} people in the call`}
        </p>
        <button type="button" class="btn btn-secondary" onClick={() => stage.setOpen(false)}>
          <BoardIcon size={18} /> Back to board
        </button>
      </div>
      <ul
        class="stage-tiles"
        ref={(el) => {
          tiles = el;
          observer.observe(el);
        }}
        data-self-corner={corner()}
        data-self-dock={dock() ?? undefined}
        style={{ '--cols': cols(), '--cols-narrow': stage.layout().grid.length > 2 ? 2 : 1 }}
      >
        <For each={stage.tileIds()}>
          {(id) => (
            <Show when={owner(stage.tile(id))}>
              {(p) => (
                <li
                  class="stage-slot"
                  data-slot={slot(id)}
                  data-active={
                    stage.layout().mode === 'gallery' && stage.layout().focus === id
                      ? 'true'
                      : 'false'
                  }
                  onPointerDown={(e) => {
                    if (slot(id) === 'self' && tiles) dragSelfView(e, tiles, setCorner);
                  }}
                >
                  <VideoTile
                    p={p()}
                    kind={stage.tile(id)?.kind ?? 'person'}
                    call={props.call.call}
                    mediaVersion={s().mediaVersion}
                    colour={props.names.personColour(p())}
                    actions={
                      <TileActions
                        p={p()}
                        id={id}
                        call={props.call}
                        onMove={
                          slot(id) === 'self' ? () => setCorner((c) => NEXT_CORNER[c]) : undefined
                        }
                      />
                    }
                  />
                </li>
              )}
            </Show>
          )}
        </For>
      </ul>
      <Show when={props.showControls}>
        <CallControls call={props.call.call} state={s()} />
      </Show>
    </section>
  );
}

function TileActions(props: {
  p: ParticipantView;
  id: string;
  call: CallState;
  /** our own small view: to the next corner (the keyboard's way to drag it) */
  onMove?: () => void;
}) {
  const pinned = () => props.call.stage.pinned() === props.id;
  const screen = () => props.call.stage.tile(props.id)?.kind === 'screen';
  const who = () =>
    screen()
      ? props.p.self
        ? 'your screen'
        : `${props.p.name}’s screen`
      : props.p.self
        ? 'yourself'
        : props.p.name;
  let button: HTMLButtonElement | undefined;
  return (
    <>
      <Show when={props.onMove}>
        {(move) => (
          <button
            type="button"
            class="tile-btn"
            aria-label="Move your view to the next corner"
            title="Move to the next corner (or drag it)"
            onClick={() => move()()}
          >
            <CornerIcon size={16} />
          </button>
        )}
      </Show>
      <button
        type="button"
        class="tile-btn"
        aria-pressed={pinned() ? 'true' : 'false'}
        aria-label={pinned() ? `Unpin ${who()}` : `Pin ${who()}`}
        title={pinned() ? 'Unpin: the stage follows who speaks' : 'Pin: keep large on the stage'}
        onClick={() => props.call.stage.pin(props.id)}
      >
        <PinIcon size={16} />
      </button>
      <Show when={!props.p.self || screen()}>
        <button
          ref={button}
          type="button"
          class="tile-btn"
          aria-label={`Show ${who()} full screen`}
          title="Full screen (Esc to exit)"
          onClick={() => {
            // where a tile cannot go full screen (iPhone Safari), it at least takes the stage
            const pin = () =>
              props.call.stage.pinned() !== props.id && props.call.stage.pin(props.id);
            const fig = button?.closest('figure');
            if (!fig?.requestFullscreen) return void pin();
            fig.requestFullscreen().catch(pin);
          }}
        >
          <ExpandIcon size={16} />
        </button>
      </Show>
    </>
  );
}

type Corner = 'tl' | 'tr' | 'bl' | 'br';
/** clockwise */
const NEXT_CORNER: Record<Corner, Corner> = { tr: 'br', br: 'bl', bl: 'tl', tl: 'tr' };

/** Our own view follows the pointer and, let go, snaps to the nearest corner of the stage. */
function dragSelfView(e: PointerEvent, area: HTMLElement, done: (c: Corner) => void) {
  if (e.button !== 0 || (e.target as Element).closest('button')) return;
  const el = e.currentTarget as HTMLElement;
  el.setPointerCapture(e.pointerId);
  const [x0, y0] = [e.clientX, e.clientY];
  const move = (m: PointerEvent) =>
    (el.style.translate = `${m.clientX - x0}px ${m.clientY - y0}px`);
  const up = (u: PointerEvent) => {
    el.removeEventListener('pointermove', move);
    el.removeEventListener('pointerup', up);
    el.removeEventListener('pointercancel', up);
    el.style.translate = '';
    const r = area.getBoundingClientRect();
    const v = u.clientY < r.top + r.height / 2 ? 't' : 'b';
    const h = u.clientX < r.left + r.width / 2 ? 'l' : 'r';
    done(`${v}${h}`);
  };
  el.addEventListener('pointermove', move);
  el.addEventListener('pointerup', up);
  el.addEventListener('pointercancel', up);
}
