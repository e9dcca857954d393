/**
 * The web app manifest (emitted as dist/manifest.webmanifest by vite-plugin-pwa). Colours are the
 * light theme's page and accent (src/ui/styles/tokens.css); index.html's theme-color metas give
 * the dark theme its bar colour while the app runs. Icons: web/scripts/makeIcons.ts.
 */
import type { ManifestOptions } from 'vite-plugin-pwa';
import { SHARE_FILES_FIELD, SHARE_TARGET_PATH } from './src/pwa/shareTargetPath.ts';

export const pwaManifest: Partial<ManifestOptions> = {
  id: '/',
  name: 'Peerboard',
  short_name: 'Peerboard',
  description: 'A shared whiteboard, files, chat and calls that travel straight between browsers.',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  background_color: '#f5f6fa',
  theme_color: '#f5f6fa',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  // a share while the app is open goes to that window (focused) rather than a new one
  launch_handler: { client_mode: ['navigate-existing', 'auto'] },
  share_target: {
    action: SHARE_TARGET_PATH,
    method: 'POST',
    enctype: 'multipart/form-data',
    params: { files: [{ name: SHARE_FILES_FIELD, accept: ['*/*'] }] },
  },
};
