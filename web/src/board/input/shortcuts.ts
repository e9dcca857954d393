/**
 * Keyboard shortcuts as data: a key event maps to one board command (or none). Pure, so the
 * mapping is unit-tested; the controller executes the command. Typing in fields never gets here
 * (Board.tsx filters those events out first).
 */
import { toolForKey, type Tool } from './tools';
import type { Align, Distribute } from '../arrange';

export type BoardCommand =
  | { kind: 'pan-mode' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'select-all' }
  | { kind: 'zoom-in' }
  | { kind: 'zoom-out' }
  | { kind: 'zoom-reset' }
  | { kind: 'zoom-fit' }
  | { kind: 'help' }
  | { kind: 'delete' }
  | { kind: 'escape' }
  | { kind: 'nudge'; dx: number; dy: number }
  | { kind: 'tool'; tool: Tool }
  | { kind: 'menu' }
  | { kind: 'grid' }
  | { kind: 'action'; action: SelectionAction };

/** Actions on the selection (selectionActions.ts), from keys, the context menu or buttons. */
export type SelectionAction =
  | 'duplicate'
  | 'forward'
  | 'backward'
  | 'front'
  | 'back'
  | 'lock'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'delete'
  | 'group'
  | 'ungroup'
  | `align-${Align}`
  | `distribute-${Distribute}`;

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

const ALIGN_KEYS: Record<string, Align> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'top',
  ArrowDown: 'bottom',
};

const ALT_ACTIONS: Record<string, SelectionAction> = {
  KeyC: 'align-centre',
  KeyM: 'align-middle',
  KeyH: 'distribute-horizontal',
  KeyV: 'distribute-vertical',
};

/** `nudge` distances are in screen pixels (1, or 10 with Shift). */
export function commandForKey(e: KeyLike): BoardCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key;
  const lower = key.toLowerCase();
  if (key === ' ') return { kind: 'pan-mode' };
  if (key === 'ContextMenu' || (e.shiftKey && key === 'F10')) return { kind: 'menu' };
  if (e.code === 'Quote' && !e.altKey && !e.shiftKey) return { kind: 'grid' };
  if (mod && !e.altKey) {
    // Ctrl+C / X / V stay with the browser: the copy / cut / paste events carry the clipboard
    if (lower === 'g') return { kind: 'action', action: e.shiftKey ? 'ungroup' : 'group' };
    const align = e.shiftKey ? ALIGN_KEYS[key] : undefined;
    if (align) return { kind: 'action', action: `align-${align}` };
    if (lower === 'd' && !e.shiftKey) return { kind: 'action', action: 'duplicate' };
    if (lower === 'l' && e.shiftKey) return { kind: 'action', action: 'lock' };
    // ']' and '[' by code: Shift turns them into braces on most layouts
    if (e.code === 'BracketRight' || key === ']' || key === '}')
      return { kind: 'action', action: e.shiftKey ? 'front' : 'forward' };
    if (e.code === 'BracketLeft' || key === '[' || key === '{')
      return { kind: 'action', action: e.shiftKey ? 'back' : 'backward' };
    if (lower === 'z') return { kind: e.shiftKey ? 'redo' : 'undo' };
    if (lower === 'y') return { kind: 'redo' };
    if (lower === 'a') return { kind: 'select-all' };
    if (key === '=' || key === '+') return { kind: 'zoom-in' };
    if (key === '-') return { kind: 'zoom-out' };
    if (key === '0') return { kind: 'zoom-reset' };
    return null;
  }
  // Alt + letter by code: on a Mac, Option turns the letter into another character
  const alt = e.altKey && !mod && !e.shiftKey ? ALT_ACTIONS[e.code] : undefined;
  if (alt) return { kind: 'action', action: alt };
  if (mod || e.altKey) return null;
  if (key === '!' || (e.shiftKey && e.code === 'Digit1')) return { kind: 'zoom-fit' };
  if (key === '?') return { kind: 'help' };
  if (key === 'Delete' || key === 'Backspace') return { kind: 'delete' };
  if (key === 'Escape') return { kind: 'escape' };
  const arrow = ARROWS[key];
  if (arrow) {
    const step = e.shiftKey ? 10 : 1;
    return { kind: 'nudge', dx: arrow[0] * step, dy: arrow[1] * step };
  }
  const tool = e.shiftKey ? null : toolForKey(key);
  return tool ? { kind: 'tool', tool } : null;
}
