export interface StaticAsset {
  body: Buffer;
  /** Pre-compressed body, when it is worth it. */
  gzip: Buffer | null;
  contentType: string;
  cacheControl: string;
}
export interface StaticSite {
  /** false when STATIC_DIR was missing and a placeholder page is served instead. */
  readonly built: boolean;
  readonly fileCount: number;
  /** `rawPath` as the request line has it (no query string). null = 404. */
  resolve(rawPath: string): StaticAsset | null;
}
export declare const contentTypeFor: (file: string) => string;
/** Vite puts content-hashed files under /assets/: cache them forever; everything else revalidates. */
export declare const IMMUTABLE = 'public, max-age=31536000, immutable';
export declare const NO_CACHE = 'no-cache';
export declare const PLACEHOLDER_HTML =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Peerboard</title>\n<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">\n<h1>Peerboard signal server is running</h1>\n<p>The web client is not built yet. Run <code>pnpm --filter @peerboard/web build</code>\nand restart the server (or set <code>STATIC_DIR</code>).</p>\n<p>WebSocket endpoint: <code>/ws</code> \u00B7 health: <a href="/healthz">/healthz</a></p>\n</body></html>\n';
interface Warn {
  warn(obj: object, msg: string): void;
}
export declare function loadStaticSite(dir: string, log?: Warn): Promise<StaticSite>;
export {};
