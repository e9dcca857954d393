import { createMemo, createSignal, Show } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { RoomSnapshot } from '@peerboard/core';
import type { FilesState } from '../../state/createFiles';
import type { PeerNames } from '../../state/createPeerNames';
import { FilesIcon, FolderIcon } from '../icons';
import { formatBytes } from './format';
import './files.css';

/**
 * "Ann offers plan.pdf — Accept / Dismiss" while the Files panel is not on screen. Not modal:
 * it sits over a corner of the board, drawing goes on, and screen readers hear it politely.
 * Dismiss only hides the toast; the offers wait in the Files panel.
 */
interface Waiting {
  id: string;
  peerId: string;
  name: string;
  size: number;
  /** a folder's file count; null for a single file */
  files: number | null;
  /** bytes a reload kept of this file (the offer resumes from there); null if none */
  resumeBytes: number | null;
}

export function FileOfferToast(props: {
  files: FilesState;
  state: RoomSnapshot;
  names: PeerNames;
  /** the Files panel is on screen and already offers Accept */
  hidden: boolean;
  onOpenFiles: () => void;
}) {
  const [dismissed, setDismissed] = createSignal<ReadonlySet<string>>(new Set());
  // folders first: where one goes (zip or directory) is chosen in the Files panel
  const waiting = (): Waiting[] => [
    ...props.files.folders.list
      .filter((f) => props.files.folders.isWaiting(f.id) && !dismissed().has(f.id))
      .map((f) => ({
        id: f.id,
        peerId: f.peerId,
        name: f.name,
        size: f.bytes,
        files: f.fileCount,
        resumeBytes: null,
      })),
    ...props.files.list
      .filter((t) => t.direction === 'in' && t.state === 'offered' && !dismissed().has(t.id))
      .map((t) => ({
        id: t.id,
        peerId: t.peerId,
        name: t.name,
        size: t.size,
        files: null,
        resumeBytes: t.resumeBytes || null,
      })),
  ];
  // the newest offer speaks; the others are counted
  // the rows are rebuilt on every change: the toast is redrawn only when another offer speaks
  const offer = createMemo(() => (props.hidden ? undefined : waiting().at(-1)), undefined, {
    equals: (a, b) => a?.id === b?.id,
  });
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
              <Show when={t.files !== null} fallback={<FilesIcon size={18} />}>
                <FolderIcon size={18} />
              </Show>
            </span>
            <div class="file-toast-text">
              <p>
                <strong>{from(t.peerId)}</strong> offers{' '}
                <span class="file-toast-name" title={t.name}>
                  <bdi>{t.name}</bdi>
                </span>{' '}
                <span class="file-toast-size">({sizeText(t)})</span>
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
              <Show
                when={t.files === null}
                fallback={
                  <button type="button" class="btn btn-primary btn-sm" onClick={props.onOpenFiles}>
                    Save…
                  </button>
                }
              >
                <button
                  type="button"
                  class="btn btn-primary btn-sm"
                  onClick={() => void props.files.accept(t.id)}
                >
                  {t.resumeBytes ? `Resume (${formatBytes(t.resumeBytes)})` : 'Accept'}
                </button>
              </Show>
            </div>
          </div>
        </Portal>
      )}
    </Show>
  );
}

const sizeText = (t: Waiting) =>
  t.files === null
    ? formatBytes(t.size)
    : `${t.files} ${t.files === 1 ? 'file' : 'files'}, ${formatBytes(t.size)}`;
