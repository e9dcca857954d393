import { createSignal, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { RoomSnapshot } from '@peerboard/core';
import type { FilesState } from '../../state/createFiles';
import type { PeerNames } from '../../state/createPeerNames';
import { FilesIcon } from '../icons';
import { formatBytes } from './format';
import './files.css';

/**
 * "Ann offers plan.pdf — Accept / Dismiss" while the Files panel is not on screen. Not modal:
 * it sits over a corner of the board, drawing goes on, and screen readers hear it politely.
 * Dismiss only hides the toast; the offers wait in the Files panel.
 */
export function FileOfferToast(props: {
  files: FilesState;
  state: RoomSnapshot;
  names: PeerNames;
  /** the Files panel is on screen and already offers Accept */
  hidden: boolean;
  onOpenFiles: () => void;
}) {
  const [dismissed, setDismissed] = createSignal<ReadonlySet<string>>(new Set());
  const waiting = () =>
    props.files.list.filter(
      (t) => t.direction === 'in' && t.state === 'offered' && !dismissed().has(t.id),
    );
  // the newest offer speaks; the others are counted
  const offer = () => (props.hidden ? undefined : waiting().at(-1));
  const from = (peerId: string) => {
    const peer = props.state.peers.find((p) => p.id === peerId);
    return peer ? props.names.of(peer) : 'Someone';
  };
  // hides every offer waiting now; a later offer brings the toast back
  const dismiss = () => setDismissed((s) => new Set([...s, ...waiting().map((w) => w.id)]));
  return (
    <Show when={offer()} keyed>
      {(t) => (
        <Portal>
          <div class="file-toast" role="status" aria-live="polite" aria-label="File offered to you">
            <span class="file-toast-icon" aria-hidden="true">
              <FilesIcon size={18} />
            </span>
            <div class="file-toast-text">
              <p>
                <strong>{from(t.peerId)}</strong> offers{' '}
                <span class="file-toast-name" title={t.name}>
                  <bdi>{t.name}</bdi>
                </span>{' '}
                <span class="file-toast-size">({formatBytes(t.size)})</span>
              </p>
              <Show when={waiting().length > 1}>
                <button type="button" class="link-btn" onClick={() => props.onOpenFiles()}>
                  {waiting().length - 1} more in Files
                </button>
              </Show>
            </div>
            <div class="file-toast-actions">
              <button type="button" class="btn btn-ghost btn-sm" onClick={dismiss}>
                Dismiss
              </button>
              <button
                type="button"
                class="btn btn-primary btn-sm"
                onClick={() => void props.files.accept(t.id)}
              >
                {t.resumeBytes ? `Resume (${formatBytes(t.resumeBytes)})` : 'Accept'}
              </button>
            </div>
          </div>
        </Portal>
      )}
    </Show>
  );
}
