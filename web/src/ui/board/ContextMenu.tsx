import { createEffect, For, onCleanup, Show } from 'solid-js';
import type { BoardState } from '../../state/createBoardState';
import type { SelectionAction } from '../../board/input/shortcuts';

interface Item {
  action: SelectionAction;
  label: string;
  keys: string;
  /** works without a selection */
  always?: boolean;
  /** how many selected elements it needs (default 1) */
  needs?: number;
  separatorBefore?: boolean;
  /** whether it would do anything to this selection (beyond `needs`) */
  applies?: (b: BoardState) => boolean;
}

const ITEMS: readonly Item[] = [
  { action: 'copy', label: 'Copy', keys: 'Ctrl+C' },
  { action: 'cut', label: 'Cut', keys: 'Ctrl+X' },
  { action: 'paste', label: 'Paste', keys: 'Ctrl+V', always: true },
  { action: 'duplicate', label: 'Duplicate', keys: 'Ctrl+D' },
  { action: 'forward', label: 'Bring forward', keys: 'Ctrl+]', separatorBefore: true },
  { action: 'backward', label: 'Send backward', keys: 'Ctrl+[' },
  { action: 'front', label: 'Bring to front', keys: 'Ctrl+Shift+]' },
  { action: 'back', label: 'Send to back', keys: 'Ctrl+Shift+[' },
  {
    action: 'group',
    label: 'Group',
    keys: 'Ctrl+G',
    needs: 2,
    separatorBefore: true,
    applies: (b) => b.selectionGrouping() !== 'whole',
  },
  {
    action: 'ungroup',
    label: 'Ungroup',
    keys: 'Ctrl+Shift+G',
    applies: (b) => b.selectionGrouping() !== 'none',
  },
  { action: 'lock', label: 'Lock', keys: 'Ctrl+Shift+L', separatorBefore: true },
  { action: 'delete', label: 'Delete', keys: 'Del' },
];

/** Compact buttons: the name says the edge or axis, the tooltip says the whole of it. */
const ALIGN: readonly Item[] = [
  { action: 'align-left', label: 'Left', keys: 'Ctrl+Shift+←', needs: 2 },
  { action: 'align-centre', label: 'Centre', keys: 'Alt+C', needs: 2 },
  { action: 'align-right', label: 'Right', keys: 'Ctrl+Shift+→', needs: 2 },
  { action: 'align-top', label: 'Top', keys: 'Ctrl+Shift+↑', needs: 2 },
  { action: 'align-middle', label: 'Middle', keys: 'Alt+M', needs: 2 },
  { action: 'align-bottom', label: 'Bottom', keys: 'Ctrl+Shift+↓', needs: 2 },
];
const DISTRIBUTE: readonly Item[] = [
  { action: 'distribute-horizontal', label: 'Across', keys: 'Alt+H', needs: 3 },
  { action: 'distribute-vertical', label: 'Down', keys: 'Alt+V', needs: 3 },
];

const MENU_WIDTH = 236;
const MENU_HEIGHT = 640;

/** Right-click, long-press or Shift+F10 on the board: the actions on the selection. */
export function ContextMenu(props: { board: BoardState }) {
  const b = props.board;
  let menu: HTMLDivElement | undefined;
  const items = () => [
    ...(menu?.querySelectorAll<HTMLButtonElement>('[role=menuitem], [role=menuitemcheckbox]') ??
      []),
  ];
  const disabled = (item: Item) =>
    !item.always && (b.selectionCount() < (item.needs ?? 1) || item.applies?.(b) === false);
  const close = () => {
    b.closeMenu();
    (document.activeElement as HTMLElement | null)?.blur();
  };
  const run = (item: Item) => {
    close();
    b.act(item.action);
  };
  const onKey = (e: KeyboardEvent) => {
    const list = items().filter((el) => !el.disabled);
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === 'Escape' || e.key === 'Tab') close();
    else if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(list.length - 1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const onDown = (e: PointerEvent) => {
    if (b.menu() && menu && !menu.contains(e.target as Node)) b.closeMenu();
  };
  document.addEventListener('pointerdown', onDown, true);
  onCleanup(() => document.removeEventListener('pointerdown', onDown, true));
  createEffect(() => {
    if (b.menu())
      queueMicrotask(() =>
        items()
          .find((el) => !el.disabled)
          ?.focus(),
      );
  });
  const position = () => {
    const at = b.menu() ?? { x: 0, y: 0 };
    return {
      left: `${Math.max(8, Math.min(at.x, window.innerWidth - MENU_WIDTH - 8))}px`,
      top: `${Math.max(8, Math.min(at.y, window.innerHeight - MENU_HEIGHT - 8))}px`,
    };
  };
  return (
    <Show when={b.menu()}>
      <div
        ref={menu}
        class="board-menu"
        role="menu"
        aria-label="Board actions"
        style={position()}
        onKeyDown={onKey}
      >
        <For each={ITEMS}>
          {(item) => (
            <>
              <Show when={item.separatorBefore}>
                <div class="board-menu-sep" role="separator" />
              </Show>
              <button
                type="button"
                role="menuitem"
                class="board-menu-item"
                disabled={disabled(item)}
                onClick={() => run(item)}
              >
                <span>{item.action === 'lock' && b.selectionLocked() ? 'Unlock' : item.label}</span>
                <kbd>{item.keys}</kbd>
              </button>
            </>
          )}
        </For>
        <div class="board-menu-sep" role="separator" />
        <div class="board-menu-label" id="board-menu-align">
          Align
        </div>
        <div class="board-menu-grid" role="group" aria-labelledby="board-menu-align">
          <For each={ALIGN}>{(item) => <GridItem item={item} />}</For>
        </div>
        <div class="board-menu-label" id="board-menu-distribute">
          Space evenly
        </div>
        <div class="board-menu-grid" role="group" aria-labelledby="board-menu-distribute">
          <For each={DISTRIBUTE}>{(item) => <GridItem item={item} />}</For>
        </div>
        <div class="board-menu-sep" role="separator" />
        <button
          type="button"
          role="menuitemcheckbox"
          aria-checked={b.grid()}
          class="board-menu-item"
          onClick={() => {
            close();
            b.setGrid(!b.grid());
          }}
        >
          <span>{b.grid() ? '✓ Snap to grid' : 'Snap to grid'}</span>
          <kbd>'</kbd>
        </button>
      </div>
    </Show>
  );

  function GridItem(p: { item: Item }) {
    const what = () =>
      p.item.action.startsWith('align')
        ? `Align ${p.item.label.toLowerCase()}`
        : `Space evenly ${p.item.label.toLowerCase()}`;
    return (
      <button
        type="button"
        role="menuitem"
        class="board-menu-item"
        aria-label={`${what()} (${p.item.keys})`}
        title={`${what()} (${p.item.keys})`}
        disabled={disabled(p.item)}
        onClick={() => run(p.item)}
      >
        {p.item.label}
      </button>
    );
  }
}

/** A short message over the board; polite unless it is an error. */
export function BoardNoticeView(props: { board: BoardState }) {
  const b = props.board;
  return (
    <div class="board-notice-slot" role="status" aria-live="polite">
      <Show when={b.notice()} keyed>
        {(n) => (
          <p class={`board-notice board-notice-${n.tone}`}>
            <span>{n.text}</span>
            <button
              type="button"
              class="board-notice-close"
              aria-label="Dismiss"
              onClick={() => b.dismissNotice()}
            >
              ×
            </button>
          </p>
        )}
      </Show>
    </div>
  );
}
