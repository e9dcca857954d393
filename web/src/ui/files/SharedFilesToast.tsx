import { Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { FilesState } from '../../state/createFiles';
import type { SharedInbox } from '../../state/sharedInbox';
import { FilesIcon } from '../icons';
import { formatBytes } from './format';

/**
 * Files shared to Peerboard from another app (a phone's share sheet), waiting in this browser:
 * "Offer here" offers them in this room as if picked in Files; Discard forgets them.
 */
export function SharedFilesToast(props: {
  inbox: SharedInbox;
  files: FilesState;
  onOffered: () => void;
}) {
  const waiting = () => props.inbox.files();
  const first = () => waiting()[0]?.file;
  const total = () => waiting().reduce((sum, s) => sum + s.file.size, 0);
  return (
    <Show when={first()} keyed>
      {(file) => (
        <Portal>
          <div class="app-toast shared-toast" role="status" aria-live="polite">
            <span class="file-toast-icon" aria-hidden="true">
              <FilesIcon size={18} />
            </span>
            <div class="app-toast-text">
              <p>
                Shared to Peerboard:{' '}
                <strong>
                  <bdi>{file.name}</bdi>
                </strong>
                <Show when={waiting().length > 1}> and {waiting().length - 1} more</Show>{' '}
                <span class="file-toast-size">({formatBytes(total())})</span>
              </p>
            </div>
            <div class="app-toast-actions">
              <button
                type="button"
                class="btn btn-ghost btn-sm"
                onClick={() => void props.inbox.discard()}
              >
                Discard
              </button>
              <button
                type="button"
                class="btn btn-primary btn-sm"
                onClick={() => {
                  void props.inbox.offer((f) => props.files.offerFiles(f));
                  props.onOffered();
                }}
              >
                Offer here
              </button>
            </div>
          </div>
        </Portal>
      )}
    </Show>
  );
}
