import { createSignal, onCleanup, Show } from 'solid-js';
import { icon } from './icons';
import './styles/roomMenu.css';

const MoreIcon = icon(() => (
  <>
    <circle cx="12" cy="5.5" r="1.2" />
    <circle cx="12" cy="12" r="1.2" />
    <circle cx="12" cy="18.5" r="1.2" />
  </>
));

/**
 * The room's menu (menu button pattern): Enter, Space or ArrowDown opens it on its first item;
 * arrows move, Escape closes and returns focus to the button; a click or focus outside closes.
 */
export function RoomMenu(props: { onRename: () => void; onForget: () => void }) {
  const [open, setOpen] = createSignal(false);
  let button: HTMLButtonElement | undefined;
  let menu: HTMLDivElement | undefined;
  const items = () => [...(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  const show = () => {
    setOpen(true);
    queueMicrotask(() => items()[0]?.focus());
  };
  const hide = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button?.focus();
  };
  const onOutside = (e: Event) => {
    const t = e.target as Node | null;
    if (open() && t && !menu?.contains(t) && !button?.contains(t)) hide(false);
  };
  document.addEventListener('pointerdown', onOutside);
  document.addEventListener('focusin', onOutside);
  onCleanup(() => {
    document.removeEventListener('pointerdown', onOutside);
    document.removeEventListener('focusin', onOutside);
  });

  const onMenuKey = (e: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      hide(e.key === 'Escape');
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      list[(at + step + list.length) % list.length]?.focus();
    }
  };

  return (
    <div class="room-menu-wrap">
      <button
        ref={button}
        type="button"
        class="btn btn-ghost icon-btn"
        aria-label="Room options"
        aria-haspopup="menu"
        aria-expanded={open()}
        aria-controls="room-menu"
        onClick={() => (open() ? hide(false) : show())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open()) {
            e.preventDefault();
            show();
          }
        }}
      >
        <MoreIcon />
      </button>
      <Show when={open()}>
        <div
          ref={menu}
          id="room-menu"
          class="room-menu"
          role="menu"
          aria-label="Room options"
          onKeyDown={onMenuKey}
        >
          <button
            type="button"
            role="menuitem"
            class="room-menu-item"
            onClick={() => {
              hide(true);
              props.onRename();
            }}
          >
            Change your name
          </button>
          <button
            type="button"
            role="menuitem"
            class="room-menu-item room-menu-danger"
            onClick={() => {
              hide(true);
              props.onForget();
            }}
          >
            Forget this room on this device
          </button>
        </div>
      </Show>
    </div>
  );
}
