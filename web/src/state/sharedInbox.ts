/**
 * Solid bridge over the share inbox (pwa/shareInbox.ts): the files shared to Peerboard from
 * another app that wait in this browser, kept fresh when the service worker adds some.
 * Offering them is the person's choice ("Offer here"): a share can be posted by any web page
 * (a cross-site form aimed at /share-target), so nothing is offered in a room unasked.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import {
  listSharedFiles,
  removeSharedFiles,
  SHARE_CHANNEL,
  type SharedFile,
} from '../pwa/shareInbox';

export interface SharedInbox {
  files: Accessor<readonly SharedFile[]>;
  /** hands the waiting files to `offer` (e.g. FilesState.offerFiles), then empties the inbox */
  offer(offer: (files: File[]) => void): Promise<void>;
  discard(): Promise<void>;
  /** a plain message when the browser's storage failed */
  error: Accessor<string | null>;
}

const STORAGE_FAILED =
  'The files shared to Peerboard could not be read from this browser’s storage. Share them again.';

export function createSharedInbox(): SharedInbox {
  const [files, setFiles] = createSignal<readonly SharedFile[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  let alive = true;
  const refresh = async () => {
    try {
      const list = await listSharedFiles();
      if (alive) setFiles(list);
    } catch {
      if (alive) setError(STORAGE_FAILED);
    }
  };
  // no IndexedDB / BroadcastChannel (very old or locked-down browsers): nothing can be waiting
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel(SHARE_CHANNEL) : null;
  if (channel) channel.onmessage = () => void refresh();
  if (typeof indexedDB !== 'undefined') void refresh();
  onCleanup(() => {
    alive = false;
    channel?.close();
  });
  return {
    files,
    error,
    async offer(offer) {
      const waiting = files();
      offer(waiting.map((s) => s.file));
      // the offered File objects stay readable after their records go (blob references)
      setFiles([]);
      await removeSharedFiles(waiting.map((s) => s.id)).catch(() => setError(STORAGE_FAILED));
    },
    async discard() {
      const waiting = files();
      setFiles([]);
      await removeSharedFiles(waiting.map((s) => s.id)).catch(() => setError(STORAGE_FAILED));
    },
  };
}
