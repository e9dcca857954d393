/**
 * Solid bridge for the session's call: its snapshot mirrored into a store
 * (participants reconciled by id, so video tiles stay mounted while their state changes).
 * Streams are not in the store: components ask `call.localStream()` / `remoteStream(id)` and
 * re-read them when `state.mediaVersion` changes.
 *
 * Also this screen's view of the call: whether the stage (the call over the board area) is
 * open, and who is pinned there. The stage opens when we join and whenever someone starts
 * sharing a screen (a screen is unreadable in the side panel); it closes when we leave.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { createStore, reconcile, type Store } from 'solid-js/store';
import {
  remoteScreens,
  stageLayout,
  stageTiles,
  type Call,
  type CallSnapshot,
  type StageLayout,
  type StageTile,
} from '@peerboard/core/call';

export interface CallStage {
  open: Accessor<boolean>;
  setOpen(open: boolean): void;
  pinned: Accessor<string | null>;
  /** pin a participant large on the stage; null (or the pinned one again) unpins */
  pin(id: string | null): void;
  layout: Accessor<StageLayout>;
  /**
   * every tile's id (a camera per participant, a screen per share), in call order; plain
   * strings so <For> keeps a tile (and its playing video) mounted while the layout changes
   */
  tileIds: Accessor<string[]>;
  tile(id: string): StageTile | undefined;
}

export interface CallState {
  state: Store<CallSnapshot>;
  call: Call;
  stage: CallStage;
}

export function createCallState(call: Call): CallState {
  const [state, setState] = createStore<CallSnapshot>(call.snapshot());
  const off = call.on('change', (s) => setState(reconcile(s, { key: 'id' })));
  onCleanup(off);

  const [open, setOpen] = createSignal(false);
  const [pinned, setPinned] = createSignal<string | null>(null);
  createEffect(
    on(
      () => state.phase,
      (phase, prev) => {
        if (phase === 'in_call' && prev !== 'in_call') setOpen(true);
        if (phase === 'idle') {
          setOpen(false);
          setPinned(null);
        }
      },
    ),
  );
  const screens = createMemo(() => remoteScreens(state.participants).join(' '));
  createEffect(
    on(screens, (now, before) => {
      const old = new Set(before ? before.split(' ') : []);
      if (now && now.split(' ').some((id) => !old.has(id))) setOpen(true);
    }),
  );
  const layout = createMemo(() => stageLayout(state.participants, pinned(), state.activeSpeaker));
  const tiles = createMemo(() => new Map(stageTiles(state.participants).map((t) => [t.id, t])));
  const tileIds = createMemo(() => [...tiles().keys()], undefined, {
    equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  return {
    state,
    call,
    stage: {
      open,
      setOpen,
      pinned,
      pin: (id) => setPinned((cur) => (id === cur ? null : id)),
      layout,
      tileIds,
      tile: (id) => tiles().get(id),
    },
  };
}
