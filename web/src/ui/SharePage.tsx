import { For, Match, onMount, Show, Switch } from 'solid-js';
import { shareErrorMessage } from '../pwa/shareTarget';
import { lastRoom } from '../state/lastRoom';
import { navigate } from '../state/router';
import { createSharedInbox } from '../state/sharedInbox';
import { formatBytes } from './files/format';
import { PageHeader } from './PageHeader';

/**
 * `/share-target`: where "Share to Peerboard" lands once the service worker has kept the files.
 * With a last room this tab can open, it goes straight there (the room then asks "Offer here").
 * Otherwise it says where the files are and what to do; a failed share says why.
 */
export function SharePage() {
  const error = shareErrorMessage(location.search);
  const destination = lastRoom();
  const inbox = createSharedInbox();
  onMount(() => {
    if (error === null && destination.kind === 'room')
      navigate(destination.href, { replace: true });
  });
  return (
    <div class="prejoin">
      <PageHeader />
      <main class="prejoin-main">
        <div
          class="card prejoin-card"
          data-share-page={error === null ? destination.kind : 'error'}
        >
          <Switch>
            <Match when={error !== null}>
              <h1 class="start-title">Sharing did not work</h1>
              <p class="field-hint">{error}</p>
            </Match>
            <Match when={destination.kind === 'room'}>
              <h1 class="start-title">Opening your room…</h1>
            </Match>
            <Match when={true}>
              <h1 class="start-title">Your files are ready to share</h1>
              <p class="field-hint">
                {destination.kind === 'protected_elsewhere'
                  ? 'Your last room is protected, and its link is not open here. Open it from its full link (the one ending in #k=…), then choose “Offer here”.'
                  : 'Create a room or open a room link, then choose “Offer here” to offer them to the people in it.'}
              </p>
            </Match>
          </Switch>
          <Show when={inbox.files().length > 0}>
            <ul class="shared-list" aria-label="Files waiting to be shared">
              <For each={inbox.files()}>
                {(s) => (
                  <li>
                    <bdi class="shared-name">{s.file.name}</bdi>{' '}
                    <span class="shared-size">({formatBytes(s.file.size)})</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={inbox.error()}>{(e) => <p class="field-error">{e()}</p>}</Show>
          <button
            type="button"
            class="btn btn-primary btn-lg btn-block"
            onClick={() => navigate('/')}
          >
            Go to the start page
          </button>
          <Show when={inbox.files().length > 0}>
            <button
              type="button"
              class="btn btn-ghost btn-block"
              onClick={() => void inbox.discard()}
            >
              Discard the shared files
            </button>
          </Show>
        </div>
      </main>
    </div>
  );
}
