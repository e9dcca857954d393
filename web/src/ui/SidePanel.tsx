import { createSignal, For, Show, type Component, type JSX } from 'solid-js';
import { createMediaQuery, PHONE_QUERY } from './createMediaQuery';

/**
 * One tab of the room's side panel. Later features (chat, files, call) add an entry in
 * RoomPage; `badge` shows e.g. unread messages on the tab.
 */
export interface PanelDef {
  id: string;
  label: string;
  icon: Component<{ size?: number }>;
  badge?: () => number | undefined;
  content: () => JSX.Element;
}

/** For features outside the panel: open a tab (e.g. "Join" on a call toast), ask what is shown. */
export interface SidePanelApi {
  show(id: string): void;
  /** reactive: the tab is selected and its panel is on screen */
  visible(id: string): boolean;
  /** reactive: on a phone, a panel is open as a sheet over the lower part of the board */
  covering(): boolean;
  /** on a phone, closes the open sheet (the board, or the call over it, shows whole) */
  closeSheet(): void;
}

interface SidePanelProps {
  panels: PanelDef[];
  initial: string;
  ref?: (api: SidePanelApi) => void;
}

/**
 * Desktop: a right sidebar with tabs on top, always open. Phone: a bottom tab bar; a tab opens
 * its panel as a sheet over the lower part of the board, tapping it again closes it.
 * Tabs follow the WAI-ARIA tabs pattern (arrow keys move between tabs, Home/End jump).
 */
export function SidePanel(props: SidePanelProps) {
  const phone = createMediaQuery(PHONE_QUERY);
  const [active, setActive] = createSignal(props.initial);
  const [sheetOpen, setSheetOpen] = createSignal(false);
  const tabs: HTMLButtonElement[] = [];

  const open = () => !phone() || sheetOpen();
  props.ref?.({
    show(id) {
      setActive(id);
      if (phone()) setSheetOpen(true);
    },
    visible: (id) => active() === id && open(),
    covering: () => phone() && sheetOpen(),
    closeSheet: () => setSheetOpen(false),
  });

  const select = (id: string) => {
    if (phone()) setSheetOpen(active() === id ? !sheetOpen() : true);
    setActive(id);
  };

  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const count = props.panels.length;
    let next: number | null = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (index + 1) % count;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = (index - 1 + count) % count;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Escape' && phone()) setSheetOpen(false);
    if (next === null) return;
    e.preventDefault();
    const panel = props.panels[next];
    if (panel) {
      setActive(panel.id);
      tabs[next]?.focus();
    }
  };

  return (
    <aside class="side-panel" data-open={open() ? 'true' : 'false'} aria-label="Room panels">
      <div class="tabs" role="tablist" aria-label="Room panels">
        <For each={props.panels}>
          {(panel, i) => {
            const selected = () => active() === panel.id && open();
            const badge = () => panel.badge?.() ?? 0;
            return (
              <button
                ref={(el) => (tabs[i()] = el)}
                type="button"
                role="tab"
                id={`tab-${panel.id}`}
                class="tab"
                aria-selected={selected() ? 'true' : 'false'}
                aria-controls={`panel-${panel.id}`}
                tabindex={active() === panel.id ? 0 : -1}
                onClick={() => select(panel.id)}
                onKeyDown={(e) => onKeyDown(e, i())}
              >
                <panel.icon size={18} />
                <span class="tab-label">{panel.label}</span>
                <Show when={badge() > 0}>
                  <span class="tab-badge" aria-label={`${badge()} new`}>
                    {badge() > 99 ? '99+' : badge()}
                  </span>
                </Show>
              </button>
            );
          }}
        </For>
      </div>
      <For each={props.panels}>
        {(panel) => (
          <div
            role="tabpanel"
            id={`panel-${panel.id}`}
            class="tab-panel"
            aria-labelledby={`tab-${panel.id}`}
            hidden={!(active() === panel.id && open())}
            tabindex="0"
          >
            {panel.content()}
          </div>
        )}
      </For>
    </aside>
  );
}
