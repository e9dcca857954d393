/**
 * Solid bridge for the session's call: its snapshot mirrored into a store
 * (participants reconciled by id, so video tiles stay mounted while their state changes).
 * Streams are not in the store: components ask `call.localStream()` / `remoteStream(id)` and
 * re-read them when `state.mediaVersion` changes.
 */
import { onCleanup } from 'solid-js';
import { createStore, reconcile, type Store } from 'solid-js/store';
import type { Call, CallSnapshot } from '@peerboard/core/call';

export interface CallState {
  state: Store<CallSnapshot>;
  call: Call;
}

export function createCallState(call: Call): CallState {
  const [state, setState] = createStore<CallSnapshot>(call.snapshot());
  const off = call.on('change', (s) => setState(reconcile(s, { key: 'id' })));
  onCleanup(off);
  return { state, call };
}
