/**
 * Unfinished downloads kept across reloads, in this browser: one IndexedDB database of resume
 * records (core resumeStore.ts; a protected room's are sealed with its secret) beside the
 * partial bytes in the origin private file system. The session gets the room's store; start-up
 * removes partial files no record points at; "Forget this room" drops the room's records and
 * partials.
 */
import {
  clearStaleOpfsFiles,
  discardPartial,
  keptBases,
  makeIdbResumeBackend,
  makeResumeStore,
  type ResumeStore,
} from '@peerboard/core/transfer';

const backend = () => (typeof indexedDB === 'undefined' ? null : makeIdbResumeBackend(indexedDB));

/** The room's store, or undefined where this browser has no IndexedDB (nothing is kept). */
export function roomResumeStore(roomId: string, secret: string | null): ResumeStore | undefined {
  const b = backend();
  return b ? makeResumeStore(b, { roomId, secret, discardPlace: discardPartial }) : undefined;
}

/** Deletes partial downloads no record points at (left by a page that never recorded them). */
export async function clearStaleDownloads(): Promise<void> {
  const b = backend();
  const rows = b ? await b.all().catch(() => null) : [];
  // without the records nothing can tell a kept partial from a stale one: keep them all
  if (rows === null) return;
  await clearStaleOpfsFiles(keptBases(rows.map((r) => r.place)));
}

/** "Forget this room on this device": its resume records and their partial files. */
export async function forgetRoomDownloads(roomId: string, secret: string | null): Promise<void> {
  await roomResumeStore(roomId, secret)?.clear();
}
