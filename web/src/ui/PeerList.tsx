import { Index, Show } from 'solid-js';
import type { PeerInfo, PeerLinkState, RoomSnapshot, SignalingStatus } from '@peerboard/core';
import { assertNever } from '@peerboard/protocol';
import { Avatar } from './Avatar';
import type { PeerNames } from '../state/createPeerNames';
import type { FollowLink } from '../state/followLink';
import { LinkIcon } from './icons';
import { groupRoomPeers } from '../state/roomPeople';
import { baseName, tabsLabel } from '../board/peopleGroups';

export function linkStateLabel(state: PeerLinkState): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'direct':
      return 'Direct';
    case 'relayed':
      return 'Relayed (TURN)';
    case 'failed':
      return 'Failed';
    default:
      return assertNever(state);
  }
}

function linkStateHelp(state: PeerLinkState): string {
  switch (state) {
    case 'connecting':
      return 'Setting up a connection to this person.';
    case 'direct':
      return 'Connected directly, browser to browser.';
    case 'relayed':
      return 'Connected through the server’s TURN relay because your networks block a direct path.';
    case 'failed':
      return 'Could not connect to this person. Retrying while you are both here.';
    default:
      return assertNever(state);
  }
}

export function signalingLabel(status: SignalingStatus): string {
  switch (status) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return 'Online';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'version_mismatch':
      return 'Needs reload';
    case 'closed':
      return 'Disconnected';
    default:
      return assertNever(status);
  }
}

/** getStats() reports whole milliseconds at best, and 0 on loopback. */
function formatRtt(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return null;
  if (ms < 1) return '<1 ms';
  return `${ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms)} ms`;
}

const CODE_HELP =
  'Compare this code with them over another channel (a call, in person). ' +
  'The same code on both screens means nobody sits between you.';

/** "Follow Alice's view" / "Following Alice: click to stop" */
export function followHint(name: string, followed: boolean): string {
  return followed ? `Following ${name}: click to stop` : `Follow ${name}’s view on the board`;
}

function PeerRow(props: {
  peer: PeerInfo;
  names?: PeerNames;
  tabs: number;
  away: boolean;
  follow?: FollowLink;
}) {
  const rtt = () => formatRtt(props.peer.rttMs);
  // the live presence name: a rename, or "· tab 2" for a second tab we cannot group
  const name = () => {
    const n = props.names?.of(props.peer) ?? props.peer.name;
    return props.tabs > 1 ? baseName(n) : n;
  };
  const canFollow = () => props.follow?.canFollow(props.peer.id) ?? false;
  const followed = () => props.follow?.isFollowed(props.peer.id) ?? false;
  const avatar = () => (
    <Avatar id={props.peer.id} name={name()} colour={props.names?.colour(props.peer)} />
  );
  return (
    <li
      class="peer"
      classList={{ 'is-away': props.away, 'is-followed': followed(), 'can-follow': canFollow() }}
      data-followed={followed() ? 'true' : 'false'}
      data-peer-id={props.peer.id}
      data-state={props.peer.state}
      data-tabs={props.tabs}
      data-away={props.away ? 'true' : 'false'}
      title={linkStateHelp(props.peer.state)}
    >
      {/* the avatar is the keyboard stop; its ::after stretches over the row for the mouse */}
      <Show when={canFollow()} fallback={avatar()}>
        <button
          type="button"
          class="peer-follow"
          aria-pressed={followed()}
          aria-label={followHint(name(), followed())}
          title={followHint(name(), followed())}
          onClick={() => props.follow?.toggle(props.peer.id)}
        >
          {avatar()}
        </button>
      </Show>
      <div class="peer-main">
        <span class="peer-name">
          <bdi>{name()}</bdi>
          <Show when={props.tabs > 1}>
            <span class="peer-tabs"> · {tabsLabel(props.tabs)}</span>
          </Show>
        </span>
        <span class="peer-meta">
          <Show when={followed()}>
            <span class="state-pill peer-following">Following</span>
          </Show>
          <Show when={props.away}>
            <span
              class="state-pill peer-away"
              title="Idle for a while, or their tab is in the background"
            >
              Away
            </span>
          </Show>
          <span class={`state-pill state-${props.peer.state}`}>
            <span class="state-dot" aria-hidden="true" />
            {linkStateLabel(props.peer.state)}
          </span>
          <Show when={rtt()}>
            {(text) => (
              <span class="peer-rtt" title="Round-trip time">
                <span class="visually-hidden">round trip </span>
                {text()}
              </span>
            )}
          </Show>
        </span>
        <Show when={props.peer.verification}>
          {(code) => (
            <span class="peer-code" title={CODE_HELP}>
              <span class="peer-code-label">Code</span>
              <code data-verification={code()}>{code()}</code>
            </span>
          )}
        </Show>
      </div>
    </li>
  );
}

/** Who is in the room and how well we reach each of them. */
export function PeerList(props: {
  state: RoomSnapshot;
  onInvite: () => void;
  names?: PeerNames;
  /** a click on someone follows their view on the board */
  follow?: FollowLink;
}) {
  // one row per person: the tabs of one (verified) browser together, ours folded into us
  const people = () =>
    groupRoomPeers(
      props.state.peers,
      (p) => props.names?.device(p),
      (p) => props.names?.away(p) !== null && props.names?.away(p) !== undefined,
      props.names?.selfDevice(),
    );
  const total = () => people().others.length + 1;
  return (
    <section class="panel-section" aria-labelledby="people-title">
      <h2 id="people-title" class="panel-title">
        In this room <span class="count">{total()}</span>
      </h2>
      <ul class="peer-list" aria-live="polite">
        <li class="peer peer-self" data-state={props.state.signaling}>
          <Avatar
            id={props.state.selfId ?? 'self'}
            name={props.state.selfName}
            colour={props.names?.selfColour()}
          />
          <div class="peer-main">
            <span class="peer-name">
              {props.state.selfName} <span class="peer-you">(you)</span>
              <Show when={people().ownTabs > 1}>
                <span class="peer-tabs"> · {tabsLabel(people().ownTabs)}</span>
              </Show>
            </span>
            <span class="peer-meta">
              <span class={`state-pill signaling-${props.state.signaling}`}>
                <span class="state-dot" aria-hidden="true" />
                {signalingLabel(props.state.signaling)}
              </span>
            </span>
          </div>
        </li>
        {/* Index, not For: the groups are rebuilt on every presence change (each pointer move) */}
        <Index each={people().others}>
          {(person) => (
            <PeerRow
              peer={person().lead}
              names={props.names}
              tabs={person().tabs}
              away={person().away}
              follow={props.follow}
            />
          )}
        </Index>
      </ul>
      <Show when={props.state.peers.some((p) => p.verification !== null)}>
        <p class="peer-code-help">{CODE_HELP}</p>
      </Show>
      <Show when={props.state.peers.length === 0}>
        <div class="empty-hint">
          <p>No one else is here yet. Send the link to the people you want to work with.</p>
          <button type="button" class="btn btn-secondary" onClick={() => props.onInvite()}>
            <LinkIcon size={16} />
            Invite people
          </button>
        </div>
      </Show>
    </section>
  );
}
