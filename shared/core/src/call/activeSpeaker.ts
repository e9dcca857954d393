/**
 * Who takes the stage: the active speaker among the remote participants, from the speaking
 * gate's on/off per peer (speaking.ts already smooths pauses between words).
 *
 * Hysteresis against a stage that jumps at every cough: the current speaker keeps the stage
 * while they talk, and while they are silent until someone else has talked for `switchAfterMs`
 * without a break. Nobody on stage yet: the first to talk takes it at once. Two talking at the
 * same time: the one on stage stays. Our own voice never counts (our own view stays small).
 */

export interface ActiveSpeakerOptions {
  /** a challenger must talk this long, uninterrupted, to take the stage */
  switchAfterMs: number;
}

export const ACTIVE_SPEAKER_DEFAULTS: ActiveSpeakerOptions = { switchAfterMs: 300 };

export interface ActiveSpeakerPick {
  active: string | null;
  /** call `update` again after this many ms even if nothing changes (a challenger may qualify) */
  recheckInMs: number | null;
}

/** Pure apart from its own memory: feed it the speaking set and the time, get the stage. */
export function makeActiveSpeakerPicker(o: ActiveSpeakerOptions = ACTIVE_SPEAKER_DEFAULTS) {
  let active: string | null = null;
  /** when each current speaker started talking */
  const since = new Map<string, number>();
  return (
    speaking: ReadonlySet<string>,
    present: ReadonlySet<string>,
    now: number,
  ): ActiveSpeakerPick => {
    for (const id of speaking) if (present.has(id) && !since.has(id)) since.set(id, now);
    for (const id of [...since.keys()]) if (!speaking.has(id) || !present.has(id)) since.delete(id);
    if (active !== null && !present.has(active)) active = null;
    if (active !== null && since.has(active)) return { active, recheckInMs: null };
    let best: string | null = null;
    let bestSince = Infinity;
    for (const [id, t] of since)
      if (t < bestSince || (t === bestSince && best !== null && id < best)) {
        best = id;
        bestSince = t;
      }
    if (best === null) return { active, recheckInMs: null };
    const talked = now - bestSince;
    if (active === null || talked >= o.switchAfterMs) {
      active = best;
      return { active, recheckInMs: null };
    }
    return { active, recheckInMs: o.switchAfterMs - talked };
  };
}

/**
 * The picker on a clock: `update` after every speaking change; a pending challenger is
 * re-checked by a timer, and `onChange` fires only when the stage moves.
 */
export function makeActiveSpeakerTracker(
  onChange: (active: string | null) => void,
  now: () => number = Date.now,
  o: ActiveSpeakerOptions = ACTIVE_SPEAKER_DEFAULTS,
) {
  const pick = makeActiveSpeakerPicker(o);
  let current: string | null = null;
  let last: { speaking: ReadonlySet<string>; present: ReadonlySet<string> } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;

  const run = () => {
    if (destroyed || !last) return;
    clearTimeout(timer);
    timer = undefined;
    const r = pick(last.speaking, last.present, now());
    if (r.recheckInMs !== null) timer = setTimeout(run, r.recheckInMs);
    if (r.active !== current) {
      current = r.active;
      onChange(current);
    }
  };
  return {
    active: () => current,
    update(speaking: ReadonlySet<string>, present: ReadonlySet<string>) {
      last = { speaking: new Set(speaking), present: new Set(present) };
      run();
    },
    destroy() {
      destroyed = true;
      clearTimeout(timer);
    },
  };
}
