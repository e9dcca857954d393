import { describe, expect, test } from 'vitest';
import { commandForKey, type KeyLike } from './shortcuts';

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  code: '',
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...extra,
});

describe('shortcuts', () => {
  test('tool letters, either case, not with modifiers', () => {
    expect(commandForKey(key('v'))).toEqual({ kind: 'tool', tool: 'select' });
    expect(commandForKey(key('P'))).toEqual({ kind: 'tool', tool: 'pen' });
    expect(commandForKey(key('o'))).toEqual({ kind: 'tool', tool: 'ellipse' });
    expect(commandForKey(key('e'))).toEqual({ kind: 'tool', tool: 'eraser' });
    expect(commandForKey(key('r', { shiftKey: true }))).toBeNull();
    expect(commandForKey(key('r', { altKey: true }))).toBeNull();
    expect(commandForKey(key('v', { ctrlKey: true }))).toBeNull(); // paste stays paste
    expect(commandForKey(key('q'))).toBeNull();
  });

  test('undo / redo on Ctrl and Cmd', () => {
    expect(commandForKey(key('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(commandForKey(key('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(commandForKey(key('Z', { metaKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(commandForKey(key('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
    expect(commandForKey(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  test('zoom, fit, help, delete, escape, space', () => {
    expect(commandForKey(key('=', { ctrlKey: true }))?.kind).toBe('zoom-in');
    expect(commandForKey(key('-', { metaKey: true }))?.kind).toBe('zoom-out');
    expect(commandForKey(key('0', { ctrlKey: true }))?.kind).toBe('zoom-reset');
    expect(commandForKey(key('!', { shiftKey: true, code: 'Digit1' }))?.kind).toBe('zoom-fit');
    // Shift+1 on layouts where it is not "!"
    expect(commandForKey(key('§', { shiftKey: true, code: 'Digit1' }))?.kind).toBe('zoom-fit');
    expect(commandForKey(key('?', { shiftKey: true }))?.kind).toBe('help');
    expect(commandForKey(key('Delete'))?.kind).toBe('delete');
    expect(commandForKey(key('Backspace'))?.kind).toBe('delete');
    expect(commandForKey(key('Escape'))?.kind).toBe('escape');
    expect(commandForKey(key(' '))?.kind).toBe('pan-mode');
    expect(commandForKey(key('a', { ctrlKey: true }))?.kind).toBe('select-all');
  });

  test('arrows nudge by 1 px, 10 with Shift', () => {
    expect(commandForKey(key('ArrowLeft'))).toEqual({ kind: 'nudge', dx: -1, dy: 0 });
    expect(commandForKey(key('ArrowDown', { shiftKey: true }))).toEqual({
      kind: 'nudge',
      dx: 0,
      dy: 10,
    });
  });

  test('selection actions, the menu key, and copy / cut / paste left to the browser', () => {
    const action = (a: string) => ({ kind: 'action', action: a });
    expect(commandForKey(key('d', { ctrlKey: true }))).toEqual(action('duplicate'));
    expect(commandForKey(key('d'))).toEqual({ kind: 'tool', tool: 'diamond' });
    expect(commandForKey(key(']', { code: 'BracketRight', metaKey: true }))).toEqual(
      action('forward'),
    );
    expect(commandForKey(key('[', { code: 'BracketLeft', ctrlKey: true }))).toEqual(
      action('backward'),
    );
    // Shift turns brackets into braces on US layouts
    expect(
      commandForKey(key('}', { code: 'BracketRight', ctrlKey: true, shiftKey: true })),
    ).toEqual(action('front'));
    expect(commandForKey(key('{', { code: 'BracketLeft', ctrlKey: true, shiftKey: true }))).toEqual(
      action('back'),
    );
    expect(commandForKey(key('L', { ctrlKey: true, shiftKey: true }))).toEqual(action('lock'));
    expect(commandForKey(key('F10', { shiftKey: true }))).toEqual({ kind: 'menu' });
    expect(commandForKey(key('ContextMenu'))).toEqual({ kind: 'menu' });
    for (const k of ['c', 'x', 'v']) expect(commandForKey(key(k, { ctrlKey: true }))).toBeNull();
  });

  test('group, align, distribute and the grid', () => {
    const ctrl = { ctrlKey: true };
    expect(commandForKey(key('g', ctrl))).toEqual({ kind: 'action', action: 'group' });
    expect(commandForKey(key('G', { ...ctrl, shiftKey: true }))).toEqual({
      kind: 'action',
      action: 'ungroup',
    });
    expect(commandForKey(key('ArrowLeft', { metaKey: true, shiftKey: true }))).toEqual({
      kind: 'action',
      action: 'align-left',
    });
    expect(commandForKey(key('ArrowDown', { ...ctrl, shiftKey: true }))).toEqual({
      kind: 'action',
      action: 'align-bottom',
    });
    // Option+C on a Mac types 'ç': the code decides
    expect(commandForKey(key('ç', { altKey: true, code: 'KeyC' }))).toEqual({
      kind: 'action',
      action: 'align-centre',
    });
    expect(commandForKey(key('h', { altKey: true, code: 'KeyH' }))).toEqual({
      kind: 'action',
      action: 'distribute-horizontal',
    });
    expect(commandForKey(key("'", { code: 'Quote' }))).toEqual({ kind: 'grid' });
    expect(commandForKey(key("'", { ...ctrl, code: 'Quote' }))).toEqual({ kind: 'grid' });
    // plain arrows still nudge
    expect(commandForKey(key('ArrowLeft'))).toMatchObject({ kind: 'nudge' });
  });
});
