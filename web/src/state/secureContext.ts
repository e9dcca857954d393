/**
 * Whether this page is a secure context. Over plain http on any address other than localhost,
 * browsers remove WebCrypto (`crypto.subtle`: protected rooms, sealed stores) and getUserMedia
 * (calls), so the UI says so up front instead of failing inside a click handler.
 */
export function hasWebCrypto(): boolean {
  return typeof globalThis.crypto?.subtle?.digest === 'function';
}

export function isSecurePage(): boolean {
  return (globalThis as { isSecureContext?: boolean }).isSecureContext !== false && hasWebCrypto();
}

/** The host the page was opened on, for messages ("http://192.168.1.20:8080"). */
export function pageOrigin(): string {
  return typeof location === 'undefined' ? '' : location.origin;
}
