import { createEffect, createSignal, Match, onCleanup, Switch } from 'solid-js';
import type { RoomSnapshot } from '@peerboard/core';
import { AlertIcon, CloudOffIcon, RefreshIcon } from './icons';
import { ReloadButton } from './ReloadButton';

const SLOW_CONNECT_MS = 4000;

/**
 * Plain-language state of the connection to the signal server. Peers already connected keep
 * talking while it is away, which is why "reconnecting" is a warning and not an error.
 */
export function StatusBanner(props: { state: RoomSnapshot }) {
  // The first connect normally takes a few ms; only say something when it drags on.
  const [slow, setSlow] = createSignal(false);
  createEffect(() => {
    if (props.state.signaling !== 'connecting') {
      setSlow(false);
      return;
    }
    const timer = setTimeout(() => setSlow(true), SLOW_CONNECT_MS);
    onCleanup(() => clearTimeout(timer));
  });

  return (
    <Switch>
      <Match when={props.state.signaling === 'connecting' && slow()}>
        <div class="banner banner-info" role="status" data-banner="connecting">
          <RefreshIcon class="spin" />
          <p>
            <strong>Still connecting to the server…</strong>{' '}
            <span>Check your internet connection. We keep trying.</span>
          </p>
        </div>
      </Match>
      <Match when={props.state.signaling === 'reconnecting'}>
        <div class="banner banner-warning" role="status" data-banner="reconnecting">
          <CloudOffIcon />
          <p>
            <strong>Connection to the server lost. Reconnecting…</strong>{' '}
            <span class="banner-more">
              People you are already connected with stay connected; new people can join once we are
              back.
            </span>
            {props.state.signalingDetail ? (
              <span class="banner-detail"> ({props.state.signalingDetail})</span>
            ) : null}
          </p>
        </div>
      </Match>
      <Match when={props.state.signaling === 'version_mismatch'}>
        <div class="banner banner-danger" role="alert" data-banner="version_mismatch">
          <AlertIcon />
          <p>
            <strong>This page is out of date.</strong>{' '}
            <span>The server was updated. Reload to get the new version and rejoin the room.</span>
          </p>
          <ReloadButton label="Reload" />
        </div>
      </Match>
      <Match when={props.state.signaling === 'closed' && props.state.signalingDetail}>
        <div class="banner banner-danger" role="alert" data-banner="closed">
          <AlertIcon />
          <p>
            <strong>You are no longer connected to this room.</strong>{' '}
            <span>{props.state.signalingDetail}</span>
          </p>
          <ReloadButton label="Rejoin" />
        </div>
      </Match>
    </Switch>
  );
}
