/**
 * Response headers that limit what a page served by the relay may do, so an injection into
 * the app (a crafted file name or chat text reaching the DOM) cannot run script or leak data.
 *
 * Checked against what `pnpm --filter @peerboard/web build` emits (web/dist):
 *  - index.html has one external module script and one stylesheet: no inline script or style,
 *    so neither 'unsafe-inline' is needed. Solid sets dynamic styles through the CSSOM
 *    (element.style), which style-src does not govern, and its templates carry no style="".
 *  - hash-wasm (file hashing) compiles WebAssembly from bytes: that needs 'wasm-unsafe-eval'
 *    (and nothing wider: no eval / new Function in the bundle).
 *  - images and media come from blob: URLs (received files) and data: URLs (exports).
 *  - the signaling socket is same-origin /ws; 'self' covers ws:/wss: to the same host in
 *    browsers implementing CSP Level 3 (all current ones), so no host is spelled out.
 *  - the installable app: one service worker (/sw.js) and one manifest, both same-origin, so
 *    worker-src and manifest-src say 'self' (no blob: workers, no foreign manifest).
 */

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Calls need camera, microphone and screen sharing; the share dialog writes the clipboard. */
export const PERMISSIONS_POLICY = [
  'camera=(self)',
  'microphone=(self)',
  'display-capture=(self)',
  'fullscreen=(self)',
  'clipboard-write=(self)',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'bluetooth=()',
  'midi=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
].join(', ');

/** On every HTTP response. */
export const COMMON_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
];

/** On HTML documents only (they are what a browser renders and frames). */
export const DOCUMENT_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['Permissions-Policy', PERMISSIONS_POLICY],
  // for browsers without CSP frame-ancestors
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
];

/**
 * Example apps built from web/examples (served under /examples/) are stock third-party code:
 * CodeMirror's style-mod writes a <style> element and y-codemirror.next colours peers' cursors
 * with style="" attributes. Their documents allow inline styles and nothing more; scripts stay
 * 'self'. The Peerboard app itself (and the SPA fallback, even under /examples/) keeps the strict
 * policy.
 */
export const EXAMPLES_PATH_PREFIX = '/examples/';
export const EXAMPLE_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);
export const EXAMPLE_DOCUMENT_HEADERS: readonly (readonly [string, string])[] =
  DOCUMENT_HEADERS.map(([name, value]) =>
    name === 'Content-Security-Policy'
      ? ([name, EXAMPLE_CONTENT_SECURITY_POLICY] as const)
      : [name, value],
  );
