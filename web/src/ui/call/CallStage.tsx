import { createSignal, For, Show } from 'solid-js';
import type { ParticipantView } from '@peerboard/core/call';
import type { CallState } from '../../state/createCallState';
import { CallControls } from './CallControls';
import { BoardIcon, ExpandIcon, PinIcon } from './callIcons';
import { VideoTile } from './VideoTile';
import './stage.css';

/**
 * The call over the board area: one participant large (pinned, a shared screen, or the active
 * speaker: stageLayout.ts), the other remote participants in a strip below, our own view small
 * in the corner. Each tile is rendered once and only its slot changes, so the video keeps
 * playing when the stage moves to someone else.
 */
export function CallStage(props: { call: CallState; showControls: boolean }) {
  const s = () => props.call.state;
  const stage = props.call.stage;
  const slot = (id: string) => {
    const l = stage.layout();
    return id === l.main ? 'main' : id === l.selfView ? 'self' : 'strip';
  };
  const count = () => s().participants.length;
  const [corner, setCorner] = createSignal<Corner>('tr');
  let tiles: HTMLUListElement | undefined;

  return (
    <section
      class="call-stage"
      aria-label="Call"
      data-strip={stage.layout().strip.length > 0 ? 'true' : 'false'}
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
      <ul class="stage-tiles" ref={tiles} data-self-corner={corner()}>
        <For each={s().participants}>
          {(p) => (
            <li
              class="stage-slot"
              data-slot={slot(p.id)}
              onPointerDown={(e) => {
                if (slot(p.id) === 'self' && tiles) dragSelfView(e, tiles, setCorner);
              }}
            >
              <VideoTile
                p={p}
                call={props.call.call}
                mediaVersion={s().mediaVersion}
                actions={<TileActions p={p} call={props.call} />}
              />
            </li>
          )}
        </For>
      </ul>
      <Show when={props.showControls}>
        <CallControls call={props.call.call} state={s()} />
      </Show>
    </section>
  );
}

function TileActions(props: { p: ParticipantView; call: CallState }) {
  const pinned = () => props.call.stage.pinned() === props.p.id;
  const who = () => (props.p.self ? 'yourself' : props.p.name);
  let button: HTMLButtonElement | undefined;
  return (
    <>
      <button
        type="button"
        class="tile-btn"
        aria-pressed={pinned() ? 'true' : 'false'}
        aria-label={pinned() ? `Unpin ${who()}` : `Pin ${who()}`}
        title={pinned() ? 'Unpin: the stage follows who speaks' : 'Pin: keep large on the stage'}
        onClick={() => props.call.stage.pin(props.p.id)}
      >
        <PinIcon size={16} />
      </button>
      <Show when={!props.p.self}>
        <button
          ref={button}
          type="button"
          class="tile-btn"
          aria-label={`Show ${who()} full screen`}
          title="Full screen (Esc to exit)"
          onClick={() => {
            // where a tile cannot go full screen (iPhone Safari), it at least takes the stage
            const pin = () =>
              props.call.stage.pinned() !== props.p.id && props.call.stage.pin(props.p.id);
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
