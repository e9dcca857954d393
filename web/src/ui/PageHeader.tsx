import { LogoMark } from './icons';
import { ThemeToggle } from './ThemeToggle';

/** The top bar of every page outside a room: the brand (links home) and the theme toggle. */
export function PageHeader() {
  return (
    <header class="topbar">
      <a class="brand" href="/" aria-label="Peerboard home">
        <LogoMark />
        <span class="brand-name">Peerboard</span>
      </a>
      <ThemeToggle />
    </header>
  );
}
