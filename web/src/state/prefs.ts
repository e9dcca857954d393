/** Preferences kept in localStorage: display name, colour theme, presence colour. */
import { createSignal } from 'solid-js';
import { DISPLAY_NAME_MAX_LENGTH } from '@peerboard/protocol';
import { PEER_PALETTE } from '@peerboard/core/collab';

const NAME_KEY = 'peerboard.name';
const THEME_KEY = 'peerboard.theme';

export type Theme = 'light' | 'dark';

// Private browsing or a full disk can make storage throw; preferences are then session-only.
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // keep the in-memory value
  }
}

const COLOUR_KEY = 'peerboard.colour';

/**
 * This browser's presence colour: the stored one, else a random palette colour that is then
 * stored, so a reload keeps it (a room may still move us off it: createPresenceIdentity.ts).
 */
export function preferredColour(): string {
  const stored = read(COLOUR_KEY);
  if (stored && (PEER_PALETTE as readonly string[]).includes(stored)) return stored;
  const pick = PEER_PALETTE[Math.floor(Math.random() * PEER_PALETTE.length)]!;
  write(COLOUR_KEY, pick);
  return pick;
}

const [displayName, setDisplayNameSignal] = createSignal(read(NAME_KEY) ?? '');

export { displayName };

export function setDisplayName(name: string): void {
  const value = name.slice(0, DISPLAY_NAME_MAX_LENGTH);
  setDisplayNameSignal(value);
  write(NAME_KEY, value);
}

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
const storedTheme = read(THEME_KEY);
const [explicitTheme, setExplicitTheme] = createSignal<Theme | null>(
  storedTheme === 'light' || storedTheme === 'dark' ? storedTheme : null,
);
const [systemTheme, setSystemTheme] = createSignal<Theme>(systemDark.matches ? 'dark' : 'light');
systemDark.addEventListener('change', (e) => setSystemTheme(e.matches ? 'dark' : 'light'));

/** The theme in effect: the stored choice, else the system's. */
export const theme = (): Theme => explicitTheme() ?? systemTheme();

export function setTheme(next: Theme): void {
  setExplicitTheme(next);
  write(THEME_KEY, next);
  applyTheme();
}

/** Sets `data-theme` on <html>; CSS custom properties switch on it. */
export function applyTheme(): void {
  document.documentElement.dataset.theme = theme();
}

systemDark.addEventListener('change', applyTheme);
