import { Match, Switch } from 'solid-js';
import type { VersionNoticesState } from '../state/createVersionNotices';
import { AlertIcon, CloseIcon } from './icons';
import { ReloadButton } from './ReloadButton';

/** "Bob and Carol" / "Bob, Carol and Dan" */
const listOf = (names: string[]) =>
  names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/**
 * Someone's link was cut for another protocol version (PROTOCOL.md, wire `hello`): this page is
 * the old one (reload), or theirs is (ask them to). One notice per page however often theirs
 * retries; a person's notice goes once they come back on our version, or when dismissed.
 */
export function VersionNotice(props: { versions: VersionNoticesState }) {
  const names = () => props.versions.outdatedPeers().map((p) => p.name);
  return (
    <Switch>
      <Match when={props.versions.selfOutdated()}>
        <div class="banner banner-danger" role="alert" data-banner="self_outdated">
          <AlertIcon />
          <p>
            <strong>Your Peerboard is out of date.</strong>{' '}
            <span>Others here use a newer version. Reload to join them.</span>
          </p>
          <ReloadButton label="Reload" />
        </div>
      </Match>
      <Match when={names().length > 0}>
        <div class="banner banner-warning" role="status" data-banner="peer_outdated">
          <AlertIcon />
          <p>
            <strong>
              {listOf(names())} {names().length === 1 ? 'is' : 'are'} on another version of
              Peerboard.
            </strong>{' '}
            <span>Ask them to reload the page to join.</span>
          </p>
          <button
            type="button"
            class="btn btn-ghost banner-action"
            aria-label="Dismiss"
            title="Dismiss"
            onClick={() => {
              for (const p of props.versions.outdatedPeers()) props.versions.dismiss(p.id);
            }}
          >
            <CloseIcon size={16} />
          </button>
        </div>
      </Match>
    </Switch>
  );
}
