/**
 * Solid bridge for shared folders: the folders mirrored into a store on every transfer change,
 * which transfers are folder files (the Files list shows them inside their folder, not alone),
 * and saving an incoming folder into a directory or a zip (folderSave.ts). An incoming folder
 * an earlier page of this browser was saving is looked up once (core folderResume.ts): into a
 * directory, it offers Resume there; as a zip, it says that the folder starts again.
 */
import { createMemo, onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import {
  makeFolderResume,
  type FolderPlace,
  type FolderSource,
  type FolderView,
  type TransferView,
  type Transfers,
} from '@peerboard/core/transfer';
import {
  canPickDirectory,
  pickDirectory,
  reopenDirectory,
  saveFolder,
  shapeOf,
  type ChosenDirectory,
  type FolderSaveMode,
  type FolderSaveStatus,
} from './folderSave';

export interface Kept {
  mode: FolderPlace['mode'];
  /** the directory's name ('' for a zip) */
  where: string;
}

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
  /** how (and into which directory) an earlier page of this browser was saving this folder */
  kept(id: string): Kept | null;
  /** continues saving into the directory an earlier page used (call from a click) */
  resume(id: string): Promise<string | null>;
  /** forgets the earlier save (nothing on disk is deleted): Save asks where again */
  forgetKept(id: string): void;
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
    kept: Record<string, Kept>;
  }>({ list: [], status: {}, errors: {}, kept: {} });
  const records = makeFolderResume(transfers.resumeStore);
  /** the place an earlier page kept, by folder id (handles stay out of the store) */
  const places = new Map<string, FolderPlace>();
  const looked = new Set<string>();
  const lookUp = (f: FolderView) => {
    looked.add(f.id);
    void records
      .find(shapeOf(f))
      .then((place) => {
        if (!place || store.status[f.id] || !transfers.folder(f.id)) return;
        places.set(f.id, place);
        const where = place.mode === 'directory' ? (place.handle as { name?: string }).name : '';
        setStore('kept', f.id, { mode: place.mode, where: where ?? '' });
      })
      .catch(() => undefined);
  };
  const refresh = () => {
    const list = transfers.folders();
    for (const f of list) if (f.direction === 'in' && !looked.has(f.id)) lookUp(f);
    setStore('list', reconcile(structuredClone(list), { key: 'id' }));
  };
  const off = transfers.on('change', refresh);
  const saves = new Map<string, { destroy(): void }>();
  onCleanup(() => {
    off();
    // The session goes with us and suspends every file it was receiving (what is on disk stays
    // for a resume): stopping the saves here would cancel those files and delete their parts.
    saves.clear();
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
  const save = async (
    id: string,
    mode: FolderSaveMode,
    into?: ChosenDirectory,
    resume?: ChosenDirectory,
  ) => {
    if (saves.has(id)) return null;
    setStore('errors', id, undefined!);
    try {
      const handle = await saveFolder(
        transfers,
        id,
        mode,
        (s) => setStore('status', id, s),
        into,
        resume,
      );
      places.delete(id);
      setStore('kept', id, undefined!);
      saves.set(id, handle);
      return null;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      setStore('errors', id, msg);
      return msg;
    }
  };
  const resume = async (id: string): Promise<string | null> => {
    const place = places.get(id);
    if (!place) return save(id, canPickDirectory() ? 'directory' : 'zip');
    try {
      return await save(id, 'directory', undefined, await reopenDirectory(place));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      setStore('errors', id, msg);
      return msg;
    }
  };
  const forgetKept = (id: string) => {
    const f = transfers.folder(id);
    places.delete(id);
    setStore('kept', id, undefined!);
    if (f) void records.drop(shapeOf(f)).catch(() => undefined);
  };
  const stop = (id: string) => {
    saves.get(id)?.destroy();
    saves.delete(id);
  };
  const decline = (id: string) => {
    stop(id);
    if (places.has(id)) forgetKept(id);
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
    kept: (id) => store.kept[id] ?? null,
    resume,
    forgetKept,
    async saveAll() {
      // folders an earlier page was saving into a directory continue there
      for (const id of [...waitingIds()].filter((x) => store.kept[x]?.mode === 'directory'))
        await resume(id);
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
