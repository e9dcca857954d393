/**
 * Which navigations the service worker answers with the cached app shell. An allowlist: the
 * app's own pages only. Everything else (the relay's /ws, /healthz, /readyz, /metrics, the
 * example apps, files) goes to the network untouched, and nothing outside the build's precache
 * list is ever cached. WebSocket connections never pass through a service worker at all.
 */
import { SHARE_TARGET_PATH } from './shareTarget';

const ROOM_PATH = /^\/r\/[A-Za-z0-9_-]+\/?$/;

export function isAppShellPath(pathname: string): boolean {
  return pathname === '/' || pathname === SHARE_TARGET_PATH || ROOM_PATH.test(pathname);
}

/** Server endpoints the service worker must leave alone, whatever the method. */
export const SERVER_ONLY_PATHS = ['/ws', '/healthz', '/readyz', '/metrics'] as const;
