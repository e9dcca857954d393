/**
 * Tools, their shortcuts and the drawing style, in one table the toolbar, the help overlay and
 * the keyboard handler all read.
 */
import { INK } from '../render/draw';

export const TOOLS = [
  { id: 'select', label: 'Select', key: 'v' },
  { id: 'pen', label: 'Pen', key: 'p' },
  { id: 'line', label: 'Line', key: 'l' },
  { id: 'arrow', label: 'Arrow', key: 'a' },
  { id: 'rect', label: 'Rectangle', key: 'r' },
  { id: 'ellipse', label: 'Ellipse', key: 'o' },
  { id: 'diamond', label: 'Diamond', key: 'd' },
  { id: 'text', label: 'Text', key: 't' },
  { id: 'eraser', label: 'Eraser', key: 'e' },
  { id: 'laser', label: 'Laser pointer', key: 'k' },
] as const;

export type Tool = (typeof TOOLS)[number]['id'];

export const toolForKey = (key: string): Tool | null =>
  TOOLS.find((t) => t.key === key.toLowerCase())?.id ?? null;

export const PALETTE = [
  { colour: INK, label: 'Black' },
  { colour: '#e03131', label: 'Red' },
  { colour: '#f08c00', label: 'Orange' },
  { colour: '#2f9e44', label: 'Green' },
  { colour: '#1971c2', label: 'Blue' },
  { colour: '#7048e8', label: 'Violet' },
  { colour: '#c2255c', label: 'Pink' },
] as const;

export const WIDTHS = [
  { width: 2, label: 'Thin', fontSize: 18 },
  { width: 4, label: 'Medium', fontSize: 28 },
  { width: 8, label: 'Bold', fontSize: 44 },
] as const;

/** How shapes are filled: with nothing, their colour, or their colour see-through. */
export type FillMode = 'none' | 'solid' | 'semi';

export const FILLS: readonly { fill: FillMode; label: string }[] = [
  { fill: 'none', label: 'No fill' },
  { fill: 'semi', label: 'See-through fill' },
  { fill: 'solid', label: 'Solid fill' },
];

export const OPACITIES = [
  { opacity: 1, label: 'Opaque' },
  { opacity: 0.5, label: 'Half transparent' },
] as const;

export interface DrawStyle {
  colour: string;
  strokeWidth: number;
  fill: FillMode;
  opacity: number;
}

export const DEFAULT_STYLE: DrawStyle = { colour: INK, strokeWidth: 4, fill: 'none', opacity: 1 };

export const fontSizeFor = (strokeWidth: number): number =>
  WIDTHS.find((w) => w.width === strokeWidth)?.fontSize ?? 28;

/** Rows of the "?" overlay: what a user can press, in plain words. */
export const SHORTCUTS: readonly { keys: string; action: string }[] = [
  ...TOOLS.map((t) => ({ keys: t.key.toUpperCase(), action: t.label })),
  { keys: 'Del / Backspace', action: 'Delete the selection' },
  { keys: 'Ctrl/⌘ + C / X / V', action: 'Copy / cut / paste' },
  { keys: 'Ctrl/⌘ + V (an image)', action: 'Put a copied image on the board (or drop one)' },
  { keys: 'Ctrl/⌘ + D, Alt + drag', action: 'Duplicate' },
  { keys: 'Ctrl/⌘ + ] / [', action: 'Bring forward / send backward' },
  { keys: 'Shift + Ctrl/⌘ + ] / [', action: 'Bring to front / send to back' },
  { keys: 'Shift + Ctrl/⌘ + L', action: 'Lock / unlock' },
  { keys: 'Ctrl/⌘ + G', action: 'Group (a click then selects all of it)' },
  { keys: 'Shift + Ctrl/⌘ + G', action: 'Ungroup' },
  { keys: 'Shift + Ctrl/⌘ + arrows', action: 'Align left / right / top / bottom' },
  { keys: 'Alt + C / M', action: 'Align centres / middles' },
  { keys: 'Alt + H / V', action: 'Space evenly across / down' },
  { keys: "'", action: 'Snap to grid on / off' },
  { keys: 'Double-click a shape', action: 'Write a label inside it' },
  { keys: 'Shift + F10, right-click, long-press', action: 'Menu of actions' },
  { keys: 'Ctrl/⌘ + Z', action: 'Undo your last change' },
  { keys: 'Shift + Ctrl/⌘ + Z', action: 'Redo' },
  { keys: 'Ctrl/⌘ + A', action: 'Select everything' },
  { keys: 'Arrows (+ Shift)', action: 'Nudge the selection' },
  { keys: 'Esc', action: 'Clear the selection / stop drawing' },
  { keys: 'Space + drag, middle button', action: 'Pan' },
  { keys: 'Scroll / two fingers', action: 'Pan' },
  { keys: 'Ctrl/⌘ + scroll, pinch', action: 'Zoom around the pointer' },
  { keys: 'Ctrl/⌘ + = / −', action: 'Zoom in / out' },
  { keys: 'Ctrl/⌘ + 0', action: 'Zoom to 100%' },
  { keys: 'Shift + 1', action: 'Zoom to fit' },
  { keys: 'Shift while drawing', action: 'Straight angles, squares, circles' },
  { keys: 'Click a person or their face', action: 'Follow their view; Esc stops' },
  { keys: '?', action: 'Show this help' },
];
