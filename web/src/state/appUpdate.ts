/**
 * App-wide service worker state for the UI: started once from app.tsx; `updateReady()` turns
 * true when a new version of Peerboard is installed and waiting for the person's "Reload".
 */
import { createSignal } from 'solid-js';
import { makeServiceWorkerClient, type ServiceWorkerClient } from '../pwa/serviceWorkerClient';

const [updateReady, setUpdateReady] = createSignal(false);
let client: ServiceWorkerClient | null = null;

export { updateReady };

/** Registers the service worker (production builds only: the dev server serves no sw.js). */
export function startServiceWorker(): void {
  if (!import.meta.env.PROD || client !== null) return;
  client = makeServiceWorkerClient();
  client?.onUpdateReady(() => setUpdateReady(true));
}

export function applyUpdate(): void {
  client?.applyUpdate();
}
