/** Call control icons (24x24 stroke, currentColor), in the style of ../icons.tsx. Decorative. */
import type { JSX } from 'solid-js';
import { icon as sharedIcon } from '../icons';

const icon = (paths: () => JSX.Element) => sharedIcon(paths, 20);

export const MicIcon = icon(() => (
  <>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" />
  </>
));
export const MicOffIcon = icon(() => (
  <>
    <path d="M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5" />
    <path d="M5.5 11a6.5 6.5 0 0 0 10.4 5.2M18.5 11a6.5 6.5 0 0 1-.4 2.2M12 17.5V21M4 4l16 16" />
  </>
));
export const CameraIcon = icon(() => (
  <>
    <rect x="3" y="6" width="12.5" height="12" rx="2.5" />
    <path d="m15.5 10.5 5.5-3v9l-5.5-3" />
  </>
));
export const CameraOffIcon = icon(() => (
  <>
    <path d="M9 6h4a2.5 2.5 0 0 1 2.5 2.5V13m0 3.5A2.5 2.5 0 0 1 13 18H5.5A2.5 2.5 0 0 1 3 15.5v-7A2.5 2.5 0 0 1 5 6" />
    <path d="m15.5 10.5 5.5-3v9l-3-1.6M3 3l18 18" />
  </>
));
export const ScreenIcon = icon(() => (
  <>
    <rect x="3" y="4.5" width="18" height="12" rx="2" />
    <path d="M8.5 20h7M12 16.5V20M12 13V8M9.5 10.5 12 8l2.5 2.5" />
  </>
));
export const SettingsIcon = icon(() => (
  <>
    <path d="M4 7h10M18 7h2M4 17h4M12 17h8" />
    <circle cx="16" cy="7" r="2" />
    <circle cx="10" cy="17" r="2" />
  </>
));
export const PhoneOffIcon = icon(() => (
  <path d="M3.5 14.5c4.6-4.2 12.4-4.2 17 0l-1.8 2.6a1 1 0 0 1-1.3.3l-2.6-1.4a1 1 0 0 1-.5-1v-1.7a12 12 0 0 0-4.6 0V15a1 1 0 0 1-.5 1l-2.6 1.4a1 1 0 0 1-1.3-.3Z" />
));
export const SpeakerIcon = icon(() => (
  <>
    <path d="M4 9.5h3.5L12 5.5v13l-4.5-4H4Z" />
    <path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11" />
  </>
));
export const PinIcon = icon(() => <path d="M9 4h6l-1 6 3.5 3.5h-11L10 10 9 4ZM12 13.5V20" />);
export const ExpandIcon = icon(() => <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />);
export const StageIcon = icon(() => (
  <>
    <rect x="3" y="4" width="18" height="11" rx="2" />
    <rect x="5" y="17" width="4" height="3" rx="1" />
    <rect x="10" y="17" width="4" height="3" rx="1" />
    <rect x="15" y="17" width="4" height="3" rx="1" />
  </>
));
export const BoardIcon = icon(() => (
  <>
    <rect x="3" y="4" width="18" height="14" rx="2" />
    <path d="m7 14 3-4 3 3 2-2 2 3" />
  </>
));
/** picture-in-picture: a small window inside a large one */
export const PipIcon = icon(() => (
  <>
    <rect x="3" y="5" width="18" height="14" rx="2.5" />
    <rect x="12" y="11" width="7" height="6" rx="1" />
  </>
));
/** our own view to the next corner */
export const CornerIcon = icon(() => (
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <rect x="13" y="7" width="6" height="4.5" rx="1" fill="currentColor" />
  </>
));
