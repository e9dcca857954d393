/**
 * Whether this tab is away, framework-free: 'hidden' while the page is in the background,
 * 'idle' after IDLE_AFTER_MS without a key, pointer or wheel event, null while active. The first
 * input after that makes us active again at once.
 */
import type { PresenceAway } from '@peerboard/core/collab';

export const IDLE_AFTER_MS = 3 * 60_000;
const INPUTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

export interface ActivityOptions {
  idleMs?: number;
  /** where input is heard (window) and where visibility changes (document) */
  inputs: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  visibility: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & {
    readonly visibilityState: DocumentVisibilityState;
  };
  onChange(away: PresenceAway | null): void;
}

export function makeActivity(o: ActivityOptions): { away(): PresenceAway | null; destroy(): void } {
  const idleMs = o.idleMs ?? IDLE_AFTER_MS;
  let idle = false;
  let state: PresenceAway | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastInput = 0;

  const settle = (): void => {
    const next: PresenceAway | null =
      o.visibility.visibilityState === 'hidden' ? 'hidden' : idle ? 'idle' : null;
    if (next === state) return;
    state = next;
    o.onChange(next);
  };
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      settle();
    }, idleMs);
  };
  const onInput = (): void => {
    // pointermove fires per frame: re-arm the timer at most once a second
    const now = Date.now();
    if (!idle && now - lastInput < 1000) return;
    lastInput = now;
    idle = false;
    arm();
    settle();
  };
  for (const name of INPUTS) o.inputs.addEventListener(name, onInput, { passive: true });
  o.visibility.addEventListener('visibilitychange', settle);
  arm();
  settle();
  return {
    away: () => state,
    destroy() {
      clearTimeout(timer);
      for (const name of INPUTS) o.inputs.removeEventListener(name, onInput);
      o.visibility.removeEventListener('visibilitychange', settle);
    },
  };
}
