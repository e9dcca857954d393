/** Plain History API routing: two pages do not justify a router dependency. */
import { createSignal, type Accessor } from 'solid-js';
import { SHARE_TARGET_PATH } from '../pwa/shareTargetPath';
import { roomIdFromPath } from './roomId';

export type Route =
  | { page: 'landing' }
  | { page: 'room'; roomId: string }
  /** where a share from another app lands (after the service worker kept the files) */
  | { page: 'share' }
  | { page: 'not_found'; path: string };

export function routeFor(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { page: 'landing' };
  if (pathname === SHARE_TARGET_PATH) return { page: 'share' };
  if (pathname.startsWith('/r/')) {
    const roomId = roomIdFromPath(pathname);
    return roomId === null ? { page: 'not_found', path: pathname } : { page: 'room', roomId };
  }
  return { page: 'not_found', path: pathname };
}

const [pathname, setPathname] = createSignal(location.pathname);

window.addEventListener('popstate', () => setPathname(location.pathname));

export const currentPath: Accessor<string> = pathname;

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  setPathname(location.pathname);
  window.scrollTo(0, 0);
}
