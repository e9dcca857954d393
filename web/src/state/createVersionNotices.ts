/** Solid bridge over makeVersionNotices (versionNotices.ts): the same getters, reactive. */
import { createSignal, onCleanup } from 'solid-js';
import type { Room } from '@peerboard/core';
import { makeVersionNotices, type VersionNotices } from './versionNotices';

export type VersionNoticesState = Omit<VersionNotices, 'destroy'>;

export function createVersionNotices(room: Room): VersionNoticesState {
  const [changes, setChanges] = createSignal(0);
  const notices = makeVersionNotices(room, () => setChanges((n) => n + 1));
  onCleanup(() => notices.destroy());
  return {
    outdatedPeers() {
      changes();
      return notices.outdatedPeers();
    },
    selfOutdated() {
      changes();
      return notices.selfOutdated();
    },
    dismiss: (id) => notices.dismiss(id),
  };
}
