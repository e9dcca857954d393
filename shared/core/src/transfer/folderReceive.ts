/**
 * makeFolderReceive(transfers, folderId, sinkFor): receives a shared folder's files, a few at a
 * time, each as the ordinary verified transfer it is (its own SHA-256, its own resume). The
 * caller decides where each file goes (`sinkFor`: a file in a chosen directory, a temporary
 * file that is then added to a zip, memory in tests) and hears of each verified file
 * (`onFile`). A file the sender could not read ends cancelled and the others still come.
 */
import type { FileSink, ReceivedFile } from './sink';
import type { Transfers } from './transfers';
import { isFinal, type TransferState } from './types';

export interface FolderFile {
  path: string;
  id: string;
  size: number;
}

export interface FolderFileResult extends FolderFile {
  state: TransferState;
  error: string | null;
}

export interface FolderReceiveOptions {
  sinkFor(file: FolderFile): Promise<FileSink>;
  /** a file arrived and its SHA-256 matched; awaited before the next file is counted */
  onFile?(file: FolderFile, result: ReceivedFile): Promise<void> | void;
  /** files received at once (default 3) */
  concurrency?: number;
}

export interface FolderReceive {
  /** every file final (done, failed, cancelled), in manifest order */
  readonly finished: Promise<FolderFileResult[]>;
  /** stops: files being received are cancelled, the others are not asked for */
  destroy(): void;
}

export function makeFolderReceive(
  transfers: Transfers,
  folderId: string,
  o: FolderReceiveOptions,
): FolderReceive {
  const folder = transfers.folder(folderId);
  if (!folder || folder.direction !== 'in') throw new Error('This folder is no longer offered.');
  const files = folder.files;
  const results = new Map<string, FolderFileResult>();
  const waiters = new Set<() => void>();
  let stopped = false;
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const offs = [transfers.on('state', wake), transfers.on('change', wake)];

  /** resolves once `ready()` holds (checked on every transfer event) or we stop */
  const until = (ready: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!stopped && !ready()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });

  const settle = (f: FolderFile, state: TransferState, error: string | null) =>
    void results.set(f.id, { ...f, state, error });

  async function receiveOne(f: FolderFile) {
    // the sender hashes a few files at a time: later offers come as earlier ones are ready
    await until(() => transfers.get(f.id) !== null);
    if (stopped) return settle(f, 'cancelled', 'Stopped.');
    if (transfers.get(f.id)!.state === 'offered') {
      try {
        await transfers.accept(f.id, await o.sinkFor(f));
      } catch (e) {
        return settle(f, 'failed', e instanceof Error ? e.message : String(e));
      }
    }
    await until(() => isFinal(transfers.get(f.id)?.state ?? 'cancelled'));
    const view = transfers.get(f.id);
    const state = view?.state ?? 'cancelled';
    if (state === 'done' && view) {
      const received = transfers.received(f.id);
      try {
        if (received) await o.onFile?.(f, received);
      } catch (e) {
        return settle(f, 'failed', e instanceof Error ? e.message : String(e));
      }
    }
    const why =
      state === 'cancelled' && view?.error?.startsWith('The sender stopped')
        ? 'The sender could not read it or stopped sharing it.'
        : (view?.error ?? null);
    settle(f, isFinal(state) ? state : 'cancelled', state === 'done' ? null : why);
  }

  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      if (stopped) settle(f, 'cancelled', 'Stopped.');
      else await receiveOne(f);
    }
  };
  const finished = Promise.all(
    Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 3, files.length)) }, worker),
  ).then(() => {
    for (const off of offs) off();
    return files.map(
      (f): FolderFileResult => results.get(f.id) ?? { ...f, state: 'cancelled', error: 'Stopped.' },
    );
  });

  return {
    finished,
    destroy() {
      if (stopped) return;
      stopped = true;
      for (const f of files) {
        const s = transfers.get(f.id)?.state;
        if (s === 'receiving' || s === 'verifying') transfers.cancel(f.id);
        else if (s === 'offered') transfers.decline(f.id);
      }
      wake();
    },
  };
}
