import { createSignal, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import { applyUpdate, updateReady } from '../state/appUpdate';

/**
 * "A new version of Peerboard is ready — Reload" once a newly deployed version is installed
 * and waiting. Not modal: the room goes on until the person reloads (or hides it with Later;
 * the new version then starts with the next visit).
 */
export function UpdateToast() {
  const [later, setLater] = createSignal(false);
  const [reloading, setReloading] = createSignal(false);
  return (
    <Show when={updateReady() && !later()}>
      <Portal>
        <div class="app-toast update-toast" role="status" aria-live="polite">
          <p class="app-toast-text">A new version of Peerboard is ready.</p>
          <div class="app-toast-actions">
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setLater(true)}>
              Later
            </button>
            <button
              type="button"
              class="btn btn-primary btn-sm"
              disabled={reloading()}
              onClick={() => {
                setReloading(true);
                applyUpdate();
              }}
            >
              {reloading() ? 'Reloading…' : 'Reload'}
            </button>
          </div>
        </div>
      </Portal>
    </Show>
  );
}
