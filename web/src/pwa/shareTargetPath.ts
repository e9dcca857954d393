/**
 * The share target's address and form field: read by the manifest (pwa.manifest.ts, loaded by
 * the Vite config, so this file imports nothing), the service worker and the page.
 */
export const SHARE_TARGET_PATH = '/share-target';
/** the multipart field the manifest names for files */
export const SHARE_FILES_FIELD = 'files';
