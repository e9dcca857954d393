/**
 * Solid bridge for shared folders: the folders mirrored into a store on every transfer change,
 * which transfers are folder files (the Files list shows them inside their folder, not alone),
 * and saving an incoming folder into a directory or a zip (folderSave.ts).
 */
import { createMemo, onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { FolderSource, FolderView, TransferView, Transfers } from '@peerboard/core/transfer';
import {
  canPickDirectory,
  pickDirectory,
  saveFolder,
  type ChosenDirectory,
  type FolderSaveMode,
  type FolderSaveStatus,
} from './folderSave';

export interface FoldersState {
  readonly list: FolderView[];
  isMember(transferId: string): boolean;
  offer(folder: FolderSource): void;
  /** picks the destination (call from a click) and starts; an error message or null */
  save(id: string, mode: FolderSaveMode): Promise<string | null>;
  /**
   * Saves every waiting folder (call from a click): into one directory picked once, each as its
   * own folder there, or, where the browser has no directory picker, each as a zip. An error
   * message (also shown on each folder) or null.
   */
  saveAll(): Promise<string | null>;
  status(id: string): FolderSaveStatus | undefined;
  /** the plain error of the last save attempt (e.g. the picker was closed) */
  errorOf(id: string): string | null;
  /** receiver: declines every file not yet taken and stops saving */
  decline(id: string): void;
  /** sender: stops sharing every file; receiver: stops saving */
  cancel(id: string): void;
  /** takes a finished folder (and its files) off the list */
  remove(id: string): void;
  readonly canPickDirectory: boolean;
  /** incoming folders waiting for Save or Decline */
  waiting(): number;
  /** receiver: declines every waiting folder */
  declineAll(): void;
  isWaiting(id: string): boolean;
}

export function createFolders(transfers: Transfers, all: () => TransferView[]): FoldersState {
  const [store, setStore] = createStore<{
    list: FolderView[];
    status: Record<string, FolderSaveStatus>;
    errors: Record<string, string>;
  }>({ list: [], status: {}, errors: {} });
  const refresh = () =>
    setStore('list', reconcile(structuredClone(transfers.folders()), { key: 'id' }));
  const off = transfers.on('change', refresh);
  const saves = new Map<string, { destroy(): void }>();
  onCleanup(() => {
    off();
    for (const s of saves.values()) s.destroy();
  });
  const members = createMemo(() => new Set(store.list.flatMap((f) => f.files.map((x) => x.id))));
  // touch `all` so a member offer that arrives after its folder is hidden at once
  const isMember = (id: string) => (all(), members().has(id));
  const waitingIds = createMemo(() => {
    const offered = new Set(
      all()
        .filter((t) => t.state === 'offered')
        .map((t) => t.id),
    );
    return new Set(
      store.list
        .filter(
          (f) =>
            f.direction === 'in' && !store.status[f.id] && f.files.some((x) => offered.has(x.id)),
        )
        .map((f) => f.id),
    );
  });
  const save = async (id: string, mode: FolderSaveMode, into?: ChosenDirectory) => {
    if (saves.has(id)) return null;
    setStore('errors', id, undefined!);
    try {
      const handle = await saveFolder(transfers, id, mode, (s) => setStore('status', id, s), into);
      saves.set(id, handle);
      return null;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      setStore('errors', id, msg);
      return msg;
    }
  };
  const stop = (id: string) => {
    saves.get(id)?.destroy();
    saves.delete(id);
  };
  const decline = (id: string) => {
    stop(id);
    transfers.declineFolder(id);
    refresh();
  };

  return {
    get list() {
      return store.list;
    },
    isMember,
    offer(folder) {
      transfers.offerFolder(folder);
      refresh();
    },
    save: (id, mode) => save(id, mode),
    async saveAll() {
      const ids = [...waitingIds()];
      if (ids.length === 0) return null;
      if (!canPickDirectory()) {
        for (const id of ids) await save(id, 'zip');
        return null;
      }
      let into: ChosenDirectory;
      try {
        into = await pickDirectory();
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        for (const id of ids) setStore('errors', id, msg);
        return msg;
      }
      // one after the other: two folders of the same name get "name" and "name (2)"
      for (const id of ids) await save(id, 'directory', into);
      return null;
    },
    status: (id) => store.status[id],
    errorOf: (id) => store.errors[id] ?? null,
    decline,
    declineAll() {
      for (const id of [...waitingIds()]) decline(id);
    },
    cancel(id) {
      const f = transfers.folder(id);
      if (f?.direction === 'out') transfers.cancelFolder(id);
      else stop(id);
      refresh();
    },
    remove(id) {
      stop(id);
      for (const f of transfers.folder(id)?.files ?? []) transfers.remove(f.id);
      transfers.forgetFolder(id);
      setStore('status', id, undefined!);
      refresh();
    },
    canPickDirectory: canPickDirectory(),
    waiting: () => waitingIds().size,
    isWaiting: (id) => waitingIds().has(id),
  };
}
