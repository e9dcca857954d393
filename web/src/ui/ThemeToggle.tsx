import { Show } from 'solid-js';
import { setTheme, theme } from '../state/prefs';
import { MoonIcon, SunIcon } from './icons';

export function ThemeToggle() {
  const next = () => (theme() === 'dark' ? 'light' : 'dark');
  return (
    <button
      type="button"
      class="btn btn-ghost icon-btn"
      aria-label={`Switch to ${next()} theme`}
      title={`Switch to ${next()} theme`}
      onClick={() => setTheme(next())}
    >
      <Show when={theme() === 'dark'} fallback={<MoonIcon />}>
        <SunIcon />
      </Show>
    </button>
  );
}
