import { Index, Show } from 'solid-js';
import type { RoomSnapshot } from '@peerboard/core';
import type { PeerNames } from '../state/createPeerNames';
import type { FollowLink } from '../state/followLink';
import { shortRoomId } from '../state/roomId';
import { navigate } from '../state/router';
import { Avatar } from './Avatar';
import { followHint, signalingLabel } from './PeerList';
import { LeaveIcon, LinkIcon, LockIcon, LogoMark } from './icons';
import { RoomMenu } from './RoomMenu';
import { groupRoomPeers } from '../state/roomPeople';
import { baseName, tabsLabel } from '../board/peopleGroups';
import { ThemeToggle } from './ThemeToggle';

const STACK_MAX = 4;

export function RoomHeader(props: {
  state: RoomSnapshot;
  names: PeerNames;
  /** a click on someone's avatar follows their view on the board */
  follow?: FollowLink;
  onShare: () => void;
  /** "Change your name" (your avatar, or the room menu) */
  onRename: () => void;
  /** Leave: the session is destroyed and the start page shows */
  onLeave: () => void;
  /** "Forget this room on this device" was chosen in the room menu */
  onForget: () => void;
  /** the link carries a room secret: signaling is end-to-end encrypted */
  protected?: boolean;
}) {
  // one avatar per person: the tabs of one verified browser together, ours left out
  const people = () =>
    groupRoomPeers(
      props.state.peers,
      (p) => props.names.device(p),
      () => false,
      props.names.selfDevice(),
    ).others.map((g) => {
      const name = props.names.of(g.lead);
      return {
        peer: g.lead,
        name: g.tabs > 1 ? baseName(name) : name,
        label: g.tabs > 1 ? `${baseName(name)} (${tabsLabel(g.tabs)})` : name,
      };
    });
  const shown = () => people().slice(0, STACK_MAX);
  const hidden = () => Math.max(0, people().length - STACK_MAX);

  return (
    <header class="topbar room-topbar">
      <a
        class="brand"
        href="/"
        aria-label="Peerboard home"
        onClick={(e) => {
          e.preventDefault();
          navigate('/');
        }}
      >
        <LogoMark />
        <span class="brand-name">Peerboard</span>
      </a>
      <span class="topbar-sep" aria-hidden="true" />
      <div class="room-title">
        <h1 class="room-name">
          Room{' '}
          <span class="room-code" title={props.state.roomId}>
            {shortRoomId(props.state.roomId)}
          </span>
        </h1>
        <span class={`room-status signaling-${props.state.signaling}`}>
          <span class="state-dot" aria-hidden="true" />
          {signalingLabel(props.state.signaling)}
        </span>
        <Show when={props.protected}>
          <span
            class="e2e-badge"
            role="img"
            aria-label="End-to-end protected"
            title="Connection setup is encrypted with the secret in the link; the server cannot read it"
          >
            <LockIcon size={12} />
            <span class="e2e-label">End-to-end protected</span>
          </span>
        </Show>
      </div>

      <div class="topbar-actions">
        <div class="header-people">
          <Show when={props.state.peers.length > 0}>
            <div
              class="avatar-stack"
              role="group"
              aria-label={`${people().length + 1} people in the room: ${[
                'you',
                ...people().map((p) => p.label),
              ].join(', ')}`}
            >
              <Index each={shown()}>
                {(p) => {
                  const followed = () => props.follow?.isFollowed(p().peer.id) ?? false;
                  return (
                    <button
                      type="button"
                      class="avatar-peer"
                      classList={{ 'is-followed': followed() }}
                      data-peer-id={p().peer.id}
                      title={p().label}
                      aria-label={
                        props.follow?.canFollow(p().peer.id)
                          ? `${p().label}. ${followHint(p().name, followed())}`
                          : `${p().label}. Their view is not on the board yet`
                      }
                      aria-pressed={followed()}
                      disabled={!props.follow?.canFollow(p().peer.id)}
                      onClick={() => props.follow?.toggle(p().peer.id)}
                    >
                      <Avatar
                        id={p().peer.id}
                        name={p().name}
                        colour={props.names.colour(p().peer)}
                        size="sm"
                      />
                    </button>
                  );
                }}
              </Index>
              <Show when={hidden() > 0}>
                <span class="avatar avatar-sm avatar-more">+{hidden()}</span>
              </Show>
            </div>
          </Show>
          <button
            type="button"
            class="self-btn"
            aria-label={`You are ${props.names.self()}: change your name`}
            title={`You are ${props.names.self()}. Change your name`}
            onClick={() => props.onRename()}
          >
            <Avatar
              id={props.state.selfId}
              name={props.names.self()}
              colour={props.names.selfColour()}
              size="sm"
            />
          </button>
        </div>
        <button type="button" class="btn btn-primary share-btn" onClick={() => props.onShare()}>
          <LinkIcon size={16} />
          <span class="share-label">Share</span>
        </button>
        <ThemeToggle />
        <RoomMenu onRename={() => props.onRename()} onForget={() => props.onForget()} />
        <button
          type="button"
          class="btn btn-secondary leave-btn"
          aria-label="Leave room"
          title="Leave room"
          onClick={() => props.onLeave()}
        >
          <LeaveIcon size={16} />
          <span class="leave-label" aria-hidden="true">
            Leave
          </span>
        </button>
      </div>
    </header>
  );
}
