/** Toolbar icons of the board (24x24 grid, currentColor, decorative: aria-hidden). */
import type { Component, JSX } from 'solid-js';
import { icon as sharedIcon, type IconProps } from '../icons';
import type { Tool } from '../../board/input/tools';

const icon = (paths: () => JSX.Element) => sharedIcon(paths, 20);

const SelectIcon = icon(() => <path d="M6 3.5 18.5 12l-5.6 1.3 3.3 6.2-2.4 1.2-3.2-6.3L6 18.5Z" />);
const PenToolIcon = icon(() => (
  <>
    <path d="M4 20c2.5-.3 4.3-1 5.6-2.4L19.3 8a2.3 2.3 0 0 0-3.3-3.3L6.4 14.4C5 15.7 4.3 17.5 4 20Z" />
    <path d="m14.5 6.3 3.2 3.2" />
  </>
));
const LineIcon = icon(() => <path d="M5 19 19 5" />);
const ArrowIcon = icon(() => <path d="M5 19 19 5M10 5h9v9" />);
const RectIcon = icon(() => <rect x="4" y="6" width="16" height="12" rx="1.5" />);
const EllipseIcon = icon(() => <ellipse cx="12" cy="12" rx="8.5" ry="6.5" />);
const DiamondIcon = icon(() => <path d="M12 3.5 20.5 12 12 20.5 3.5 12Z" />);
export const StyleIcon = icon(() => (
  <>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 3.5v17M12 3.5a8.5 8.5 0 0 1 0 17" fill="currentColor" />
  </>
));
export const DownloadIcon = icon(() => <path d="M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19.5h14" />);
const TextIcon = icon(() => <path d="M5 6.5V5h14v1.5M12 5v14M9 19h6" />);
const EraserIcon = icon(() => (
  <>
    <path d="m8.5 19.5-4-4a2 2 0 0 1 0-2.8l8.2-8.2a2 2 0 0 1 2.8 0l4 4a2 2 0 0 1 0 2.8l-7.6 7.7" />
    <path d="M8.5 19.5h11M7.5 10.5l6 6" />
  </>
));
export const UndoIcon = icon(() => <path d="M9 14 4.5 9.5 9 5M4.5 9.5H15a4.5 4.5 0 0 1 0 9h-3" />);
export const RedoIcon = icon(() => <path d="m15 14 4.5-4.5L15 5M19.5 9.5H9a4.5 4.5 0 0 0 0 9h3" />);
export const TrashIcon = icon(() => (
  <path d="M4.5 7h15M10 11v6M14 11v6M6.5 7l.8 11.2A2 2 0 0 0 9.3 20h5.4a2 2 0 0 0 2-1.8L17.5 7M9.5 7V5a1 1 0 0 1 1-1h3a1 1 0 0 1 1 1v2" />
));
export const ClearIcon = icon(() => (
  <>
    <rect x="4" y="4" width="16" height="16" rx="2" />
    <path d="m9 9 6 6M15 9l-6 6" />
  </>
));
export const ImageIcon = icon(() => (
  <>
    <rect x="3.5" y="4.5" width="17" height="15" rx="2" />
    <circle cx="9" cy="10" r="1.6" />
    <path d="m20.5 16-5-5-9 8.5" />
  </>
));
export const VectorIcon = icon(() => (
  <>
    <rect x="3" y="3" width="5" height="5" rx="1" />
    <rect x="16" y="16" width="5" height="5" rx="1" />
    <path d="M8 5.5h4.5A5.5 5.5 0 0 1 18 11v5" />
  </>
));
export const HelpIcon = icon(() => (
  <>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M9.6 9.5a2.5 2.5 0 0 1 4.8.9c0 1.7-2.4 2-2.4 3.6M12 16.8v.2" />
  </>
));
export const ZoomInIcon = icon(() => <path d="M12 5v14M5 12h14" />);
export const ZoomOutIcon = icon(() => <path d="M5 12h14" />);
export const FitIcon = icon(() => (
  <path d="M4 9V5.5A1.5 1.5 0 0 1 5.5 4H9M15 4h3.5A1.5 1.5 0 0 1 20 5.5V9M20 15v3.5a1.5 1.5 0 0 1-1.5 1.5H15M9 20H5.5A1.5 1.5 0 0 1 4 18.5V15" />
));

const LaserIcon = icon(() => (
  <>
    <path d="M4 20c3-1 5-3 7-6s4-5 6.5-6" stroke-dasharray="2 2.5" />
    <circle cx="18.5" cy="7.5" r="2.5" />
  </>
));
export const TOOL_ICONS: Record<Tool, Component<IconProps>> = {
  select: SelectIcon,
  pen: PenToolIcon,
  line: LineIcon,
  arrow: ArrowIcon,
  rect: RectIcon,
  ellipse: EllipseIcon,
  diamond: DiamondIcon,
  text: TextIcon,
  eraser: EraserIcon,
  laser: LaserIcon,
};
