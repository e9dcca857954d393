import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** A signal that follows a CSS media query. */
export function createMediaQuery(query: string): Accessor<boolean> {
  const mql = window.matchMedia(query);
  const [matches, setMatches] = createSignal(mql.matches);
  const onChange = (e: MediaQueryListEvent) => setMatches(e.matches);
  mql.addEventListener('change', onChange);
  onCleanup(() => mql.removeEventListener('change', onChange));
  return matches;
}

/** Keep in step with the breakpoint in room.css. */
export const PHONE_QUERY = '(max-width: 767px)';
