/// <reference lib="webworker" />
/**
 * The service worker (built by vite-plugin-pwa's injectManifest into dist/sw.js, with the build's
 * asset list in place of self.__WB_MANIFEST).
 *
 * - Precaches the app shell (index.html, the hashed JS/CSS, fonts, icons) so /r/<room> opens
 *   offline; the board then loads from IndexedDB as on any reload.
 * - Answers navigations to the app's pages (pwa/navigation.ts, an allowlist) with the cached
 *   index.html, response headers (CSP included) as the server sent them. Nothing else is
 *   intercepted or cached: the relay's /ws, /healthz, /readyz, /metrics go to the network.
 * - Web Share Target: a POST to /share-target is read here, its files kept in IndexedDB
 *   (pwa/shareInbox.ts), and the browser sent on to the share page. The files never reach the
 *   server.
 * - Updates wait until the page asks (the "Reload" of the update toast): no page runs against
 *   assets of another version.
 *
 * A URL fragment (a protected room's #k= secret) is never part of a request, so it never reaches
 * this worker's fetch handler, and nothing here stores a URL.
 */
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { err, isObject } from '@peerboard/protocol';
import { isAppShellPath } from './pwa/navigation';
import { addSharedFiles } from './pwa/shareInbox';
import { SHARE_TARGET_PATH, shareResultPath, sharedFilesOf } from './pwa/shareTarget';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

/** workbox-window's messageSkipWaiting() (pwa/serviceWorkerClient.ts) posts {type: this} */
const SKIP_WAITING = 'SKIP_WAITING';

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// The first install takes the open page at once, so it works offline without a reload; an
// update only takes over after skipWaiting (asked by the page), which then reloads.
clientsClaim();

registerRoute(
  ({ request, url }) =>
    request.mode === 'navigate' &&
    url.origin === self.location.origin &&
    isAppShellPath(url.pathname),
  createHandlerBoundToURL('/index.html'),
);

async function receiveShare(request: Request): Promise<Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.redirect(shareResultPath(err('ERR_SHARE_EMPTY', 'unreadable form')), 303);
  }
  const files = sharedFilesOf(form);
  if (!files.ok) return Response.redirect(shareResultPath(files), 303);
  try {
    await addSharedFiles(files.value);
  } catch {
    return Response.redirect(shareResultPath(err('ERR_SHARE_STORE', 'storage refused')), 303);
  }
  return Response.redirect(shareResultPath(files), 303);
}

registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === SHARE_TARGET_PATH,
  ({ request }) => receiveShare(request),
  'POST',
);

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (isObject(data) && data.type === SKIP_WAITING) void self.skipWaiting();
});
