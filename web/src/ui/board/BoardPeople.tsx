import { Index, Show } from 'solid-js';
import { initials } from '@peerboard/core/collab';
import type { BoardState } from '../../state/createBoardState';
import { tabsLabel, type PersonGroup } from '../../board/peopleGroups';

function describe(p: PersonGroup, following: boolean): string {
  const parts = [p.name || 'Someone'];
  if (p.tabs > 1) parts.push(tabsLabel(p.tabs));
  if (p.away) parts.push('away');
  const who = parts.join(', ');
  if (following) return `${who}. Following: click to stop`;
  if (p.followId === null) return `${who}. Their view is not shared yet`;
  return `${who}. Click to follow their view`;
}

/**
 * The others on the board, one avatar per person (tabs of one browser together): dimmed while
 * away, a click follows their viewport (again, or Esc, stops).
 */
export function BoardPeople(props: { board: BoardState }) {
  const b = props.board;
  return (
    <Show when={b.people().length > 0}>
      <div class="board-people" role="group" aria-label="People on the board">
        <Index each={b.people()}>
          {(person) => {
            // Index: groups are rebuilt on each presence change; the button stays
            const p = person;
            const followed = () => {
              const f = b.following();
              return f !== null && p().clientIds.includes(f.clientId);
            };
            return (
              <button
                type="button"
                class="board-person"
                classList={{ 'is-away': p().away, 'is-followed': followed() }}
                style={{ '--peer-color': p().colour }}
                data-person={p().name}
                data-tabs={p().tabs}
                data-away={p().away ? 'true' : 'false'}
                aria-pressed={followed()}
                aria-label={describe(p(), followed())}
                title={describe(p(), followed())}
                disabled={p().followId === null}
                onClick={() => {
                  const target = p().followId;
                  if (followed()) b.stopFollowing();
                  else if (target !== null) b.follow(target, p().name);
                }}
              >
                <span class="avatar avatar-sm" aria-hidden="true">
                  {initials(p().name)}
                </span>
                <Show when={p().tabs > 1}>
                  <span class="board-person-tabs" aria-hidden="true">
                    {tabsLabel(p().tabs)}
                  </span>
                </Show>
              </button>
            );
          }}
        </Index>
      </div>
    </Show>
  );
}

/** "Following Alice — Esc to stop", with a button that does the same. */
export function FollowBanner(props: { board: BoardState }) {
  const b = props.board;
  return (
    <Show when={b.following()}>
      {(f) => (
        <div class="board-follow" role="status">
          <span>
            Following <strong>{f().name || 'someone'}</strong> — Esc to stop
          </span>
          <button type="button" class="board-follow-stop" onClick={() => b.stopFollowing()}>
            Stop
          </button>
        </div>
      )}
    </Show>
  );
}
