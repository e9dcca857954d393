/**
 * Typing indicator through awareness (the `typing` field of LocalPresence): ephemeral, so it is
 * not stored in the doc and disappears with the peer.
 */
import type { Awareness } from 'y-protocols/awareness';
import { remotePresences, setPresence } from '../collab/presence';

export function setTyping(awareness: Awareness, typing: boolean): void {
  const current = awareness.getLocalState();
  if (current === null || current.typing === typing) return; // no broadcast for no change
  setPresence(awareness, { typing });
}

/** Names of the other clients that are typing right now, sorted for a stable label. */
export function typingNames(awareness: Awareness): string[] {
  const names: string[] = [];
  for (const p of remotePresences(awareness).values()) if (p.typing) names.push(p.name);
  return names.sort();
}

export const TYPING_IDLE_MS = 3_000;

export interface TypingReporter {
  /** call on every input event in the chat box */
  keystroke(): void;
  /** call on send / blur */
  stop(): void;
  destroy(): void;
}

/** Sets typing on the first keystroke and clears it after `idleMs` without one. */
export function makeTypingReporter(awareness: Awareness, idleMs = TYPING_IDLE_MS): TypingReporter {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const stop = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (!destroyed) setTyping(awareness, false);
  };
  return {
    keystroke() {
      if (destroyed) return;
      setTyping(awareness, true);
      clearTimeout(timer);
      timer = setTimeout(stop, idleMs);
    },
    stop,
    destroy() {
      if (destroyed) return;
      stop();
      destroyed = true;
    },
  };
}
