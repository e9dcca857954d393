/**
 * A tiny typed event emitter for core objects. Listener errors are caught and reported so one
 * faulty feature module cannot break the room (or the socket/data-channel callback that emits).
 */
import type { Unsubscribe } from './types';

export interface Emitter<E extends Record<string, unknown>> {
  on<K extends keyof E>(event: K, fn: (payload: E[K]) => void): Unsubscribe;
  emit<K extends keyof E>(event: K, payload: E[K]): void;
  clear(): void;
}

export function makeEmitter<E extends Record<string, unknown>>(
  onListenerError: (event: string, error: unknown) => void = (event, error) =>
    console.error(`[peerboard] listener for "${event}" threw`, error),
): Emitter<E> {
  const listeners = new Map<keyof E, Set<(payload: never) => void>>();
  return {
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn as (payload: never) => void);
      return () => void set.delete(fn as (payload: never) => void);
    },
    emit(event, payload) {
      const set = listeners.get(event);
      if (!set) return;
      for (const fn of [...set]) {
        try {
          (fn as (p: E[typeof event]) => void)(payload);
        } catch (error) {
          onListenerError(String(event), error);
        }
      }
    },
    clear: () => listeners.clear(),
  };
}
