/**
 * The page's side of the service worker: registers /sw.js (built only by `vite build`, so the
 * dev server runs without one) and reports when a new version is installed and waiting.
 * workbox-window does the bookkeeping (a worker already waiting at load, an update found while
 * the page is open); `applyUpdate` asks the waiting worker to take over and reloads once it has.
 */
import { Workbox } from 'workbox-window';

export interface ServiceWorkerClient {
  /** called once a new version is waiting (possibly right after start) */
  onUpdateReady(listener: () => void): () => void;
  /** activates the waiting version, then reloads the page under it */
  applyUpdate(): void;
  destroy(): void;
}

export const SW_URL = '/sw.js';

/** null where there can be no service worker (plain http off localhost, or no support). */
export function makeServiceWorkerClient(): ServiceWorkerClient | null {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return null;
  const wb = new Workbox(SW_URL, { scope: '/' });
  const listeners = new Set<() => void>();
  let ready = false;
  let destroyed = false;
  const onWaiting = () => {
    ready = true;
    for (const l of listeners) l();
  };
  wb.addEventListener('waiting', onWaiting);
  wb.register().catch((e: unknown) => {
    // the app works without it, only not offline: say so in the console for whoever debugs
    console.warn('service worker registration failed', e);
  });
  return {
    onUpdateReady(listener) {
      listeners.add(listener);
      if (ready) listener();
      return () => listeners.delete(listener);
    },
    applyUpdate() {
      if (destroyed) return;
      // 'controlling' fires when the waiting worker has claimed this page
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      wb.removeEventListener('waiting', onWaiting);
      listeners.clear();
    },
  };
}
