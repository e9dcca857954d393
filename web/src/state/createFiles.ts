/**
 * Solid bridge over the session's transfers: the list mirrored into a store on every
 * (throttled) change, and a 1 s tick so speed/ETA stay fresh while idle moments pass. The
 * transfers themselves belong to the session (destroyed with it).
 */
import { createMemo, onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import {
  chooseSink,
  reopenSink,
  blobSource,
  type FileSink,
  type TransferView,
  type Transfers,
} from '@peerboard/core/transfer';
import { createFolders, type FoldersState } from './createFolders';
import { clearStaleDownloads } from './resumeKeeping';

export interface FilesState {
  /** single files (a shared folder's files are listed under folders) */
  readonly list: TransferView[];
  /** every transfer, folder files included */
  readonly all: TransferView[];
  folders: FoldersState;
  transfers: Transfers;
  /** offers waiting for Accept/Decline */
  pending(): number;
  offerFiles(files: Iterable<File>): void;
  /**
   * picks a sink (may open the save dialog) and accepts; returns an error message or null. An
   * offer an earlier page kept part of continues in that part (or says that it restarts).
   */
  accept(id: string): Promise<string | null>;
  /**
   * Accepts every pending offer, folders included. Folders first, since only the first dialog
   * has the click behind it: one directory picker for all of them (each saved as its own folder
   * there) or, without that picker, a zip each. Files follow one after the other, each kept in
   * the browser until saved (a later save dialog has no click of its own).
   */
  acceptAll(): Promise<void>;
  /** declines every pending offer, folders included */
  declineAll(): void;
  errorOf(id: string): string | null;
}

export function createFiles(transfers: Transfers): FilesState {
  const [store, setStore] = createStore<{ list: TransferView[]; errors: Record<string, string> }>({
    list: [],
    errors: {},
  });
  const refresh = () =>
    setStore('list', reconcile(structuredClone(transfers.list()), { key: 'id' }));
  const off = transfers.on('change', refresh);
  const tick = setInterval(() => {
    if (
      store.list.some(
        (t) => t.state === 'receiving' || t.receivers.some((r) => r.state === 'receiving'),
      )
    )
      refresh();
  }, 1000);
  void clearStaleDownloads();
  onCleanup(() => {
    clearInterval(tick);
    off();
  });
  const folders = createFolders(transfers, () => store.list);
  const singles = createMemo(() => store.list.filter((t) => !folders.isMember(t.id)));
  const offered = () =>
    singles()
      .filter((t) => t.direction === 'in' && t.state === 'offered')
      .map((t) => t.id);
  const accept = async (id: string): Promise<string | null> => {
    const view = transfers.get(id);
    if (!view) return 'This file is no longer offered.';
    setStore('errors', id, undefined!);
    try {
      const kept = transfers.resumeOf(id);
      let sink: FileSink | null = null;
      if (kept) {
        const reopened = await reopenSink(view, kept);
        sink = reopened.sink;
        if (reopened.note) setStore('errors', id, reopened.note);
      }
      await transfers.accept(id, sink ?? (await chooseSink(view)));
      return null;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      setStore('errors', id, msg);
      return msg;
    }
  };
  return {
    get list() {
      return singles();
    },
    get all() {
      return store.list;
    },
    folders,
    transfers,
    pending: () => offered().length,
    offerFiles(files) {
      for (const f of files) transfers.offer(blobSource(f, f.name));
    },
    accept,
    async acceptAll() {
      const files = offered();
      await folders.saveAll();
      for (const id of files) await accept(id);
    },
    declineAll() {
      for (const id of offered()) transfers.decline(id);
      folders.declineAll();
    },
    errorOf: (id) => store.errors[id] ?? null,
  };
}
