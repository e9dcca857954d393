/** Small stroke icons drawn for Peerboard (24x24 grid, currentColor). Decorative: aria-hidden. */
import type { Component, JSX } from 'solid-js';

export interface IconProps {
  size?: number;
  class?: string;
}

/**
 * The one icon factory of the app (board and call icons use it too). `paths` is a function:
 * JSX creates DOM nodes, and each icon instance needs its own.
 */
export function icon(paths: () => JSX.Element, defaultSize = 18): Component<IconProps> {
  return (props) => (
    <svg
      class={props.class}
      width={props.size ?? defaultSize}
      height={props.size ?? defaultSize}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      {paths()}
    </svg>
  );
}

export const SunIcon = icon(() => (
  <>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2.5v2M12 19.5v2M4.6 4.6 6 6M18 18l1.4 1.4M2.5 12h2M19.5 12h2M4.6 19.4 6 18M18 6l1.4-1.4" />
  </>
));
export const MoonIcon = icon(() => <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5Z" />);
export const LinkIcon = icon(() => (
  <>
    <path d="M10 14a4.5 4.5 0 0 0 6.4 0l3.2-3.2a4.5 4.5 0 0 0-6.4-6.4L12 5.6" />
    <path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3.2 3.2a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2" />
  </>
));
export const CopyIcon = icon(() => (
  <>
    <rect x="8" y="8" width="12" height="12" rx="2.5" />
    <path d="M16 8V6.5A2.5 2.5 0 0 0 13.5 4h-7A2.5 2.5 0 0 0 4 6.5v7A2.5 2.5 0 0 0 6.5 16H8" />
  </>
));
export const CheckIcon = icon(() => <path d="m5 12.5 4.5 4.5L19 7.5" />);
export const CloseIcon = icon(() => <path d="M6 6l12 12M18 6 6 18" />);
export const UsersIcon = icon(() => (
  <>
    <circle cx="9" cy="8.5" r="3.5" />
    <path d="M2.5 20a6.5 6.5 0 0 1 13 0" />
    <path d="M16 5.2a3.5 3.5 0 0 1 0 6.6M18 14.2a6.5 6.5 0 0 1 3.5 5.8" />
  </>
));
export const ChatIcon = icon(() => (
  <path d="M20.5 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 20.5 12Z" />
));
export const FilesIcon = icon(() => (
  <>
    <path d="M14 3.5H7A2.5 2.5 0 0 0 4.5 6v12A2.5 2.5 0 0 0 7 20.5h10a2.5 2.5 0 0 0 2.5-2.5V9Z" />
    <path d="M14 3.5V9h5.5M12 17v-5M9.5 14.5 12 12l2.5 2.5" />
  </>
));
export const FolderIcon = icon(() => (
  <path d="M3.5 7A2.5 2.5 0 0 1 6 4.5h3.6l2 2.5H18A2.5 2.5 0 0 1 20.5 9.5V17a2.5 2.5 0 0 1-2.5 2.5H6A2.5 2.5 0 0 1 3.5 17Z" />
));
export const VideoIcon = icon(() => (
  <>
    <rect x="3" y="6" width="12.5" height="12" rx="2.5" />
    <path d="m15.5 10.5 5.5-3v9l-5.5-3" />
  </>
));
export const PenIcon = icon(() => (
  <>
    <path d="M15.5 4.5a2.1 2.1 0 0 1 3 3L8 18l-4 1 1-4Z" />
    <path d="M13.5 6.5l3 3" />
  </>
));
export const AlertIcon = icon(() => (
  <>
    <path d="M10.3 4.2 2.9 17a2 2 0 0 0 1.7 3h14.8a2 2 0 0 0 1.7-3L13.7 4.2a2 2 0 0 0-3.4 0Z" />
    <path d="M12 9.5v4M12 17h.01" />
  </>
));
export const CloudOffIcon = icon(() => (
  <>
    <path d="M3 3l18 18" />
    <path d="M8.5 6.2A6 6 0 0 1 17.6 10H18a4 4 0 0 1 2.7 7M17 19H7a4.5 4.5 0 0 1-1.6-8.7" />
  </>
));
export const RefreshIcon = icon(() => (
  <>
    <path d="M20 11.5A8 8 0 0 0 5.6 7M4 12.5A8 8 0 0 0 18.4 17" />
    <path d="M5 3v4.5h4.5M19 21v-4.5h-4.5" />
  </>
));
export const ArrowRightIcon = icon(() => <path d="M5 12h14M13 6l6 6-6 6" />);
export const PlusIcon = icon(() => <path d="M12 5v14M5 12h14" />);
export const ShieldIcon = icon(() => (
  <>
    <path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.3 7.5 9.5 4.3-1.2 7.5-4.9 7.5-9.5V6Z" />
    <path d="m9 12 2.2 2.2L15.5 10" />
  </>
));
export const LockIcon = icon(() => (
  <>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11V8a4 4 0 0 1 8 0v3" />
  </>
));

/** The brand mark: two linked peers. Filled, so not built with icon(). */
export function LogoMark(props: { size?: number }) {
  return (
    <svg width={props.size ?? 28} height={props.size ?? 28} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <circle cx="11" cy="12" r="4" fill="var(--on-accent)" />
      <circle cx="21" cy="20" r="4" fill="var(--on-accent)" opacity="0.7" />
      <path
        d="M13.5 14.5l5 3"
        stroke="var(--on-accent)"
        stroke-width="2.2"
        stroke-linecap="round"
      />
    </svg>
  );
}
export const LeaveIcon = icon(() => (
  <>
    <path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4" />
    <path d="M10 16.5 5.5 12 10 7.5M5.5 12H15" />
  </>
));
