import { onCleanup } from 'solid-js';

/**
 * Publishes on `room` two heights CSS cannot know, for the layouts below 1200 px that make room
 * for the floating notices (room.css, call/stage.css): `--notices-space`, what the notices' stack
 * takes with a gap on each side (0 without notices; they wrap, so it varies), and `--sheet-h`,
 * the open phone sheet's height (its content decides it). The call's in-call bar then sits
 * above the notices, its stage ends above them, and on a phone they sit above an open sheet,
 * so neither covers the call's controls or the board's.
 */
export function createNoticeSpace(room: HTMLElement, notices: HTMLElement): void {
  const panels = [...room.querySelectorAll<HTMLElement>('.tab-panel')];
  const publish = () => {
    const h = notices.getBoundingClientRect().height;
    room.style.setProperty('--notices-space', h > 0 ? `${Math.ceil(h) + 16}px` : '0px');
    // hidden panels measure 0: the tallest is the open one
    const sheet = Math.max(0, ...panels.map((p) => p.getBoundingClientRect().height));
    room.style.setProperty('--sheet-h', `${Math.ceil(sheet)}px`);
  };
  const observer = new ResizeObserver(publish);
  observer.observe(notices);
  for (const p of panels) observer.observe(p);
  onCleanup(() => observer.disconnect());
}
