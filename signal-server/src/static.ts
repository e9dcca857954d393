/**
 * The built web client, served from memory.
 *
 * Every regular file under STATIC_DIR is read once at start into a map keyed by URL path. A
 * request can only ever get one of those entries, so path traversal (`..`, encoded dots,
 * backslashes, symlinks out of the directory) has nothing to reach: unknown paths are a 404 or,
 * for extension-less paths such as /r/<room>, the SPA's index.html.
 *
 * Source maps (*.map) are not loaded unless SOURCE_MAPS=1: they would hand anyone the
 * unminified source with comments, which the app does not need to run.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export interface StaticAsset {
  /** the URL path it was loaded for (the SPA fallback is '/index.html') */
  urlPath: string;
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

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.svg',
  '.json',
  '.map',
  '.webmanifest',
  '.txt',
  '.wasm',
]);

export const contentTypeFor = (file: string): string =>
  TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** Vite puts content-hashed files under /assets/: cache them forever; everything else revalidates. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';
const cacheControlFor = (urlPath: string) =>
  urlPath.startsWith('/assets/') ? IMMUTABLE : NO_CACHE;

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_TOTAL_BYTES = 512 * 1024 * 1024;

const gzip = promisify(zlib.gzip);

export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Peerboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Peerboard signal server is running</h1>
<p>The web client is not built yet. Run <code>pnpm --filter @peerboard/web build</code>
and restart the server (or set <code>STATIC_DIR</code>).</p>
<p>WebSocket endpoint: <code>/ws</code> · health: <a href="/healthz">/healthz</a></p>
</body></html>
`;

async function walk(dir: string, prefix: string, out: Map<string, string>): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    // Symlinks are skipped on purpose: they could point outside the directory.
    const full = path.join(dir, entry.name);
    const urlPath = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) await walk(full, urlPath, out);
    else if (entry.isFile()) out.set(urlPath, full);
  }
}

async function makeAsset(urlPath: string, body: Buffer): Promise<StaticAsset> {
  const ext = path.extname(urlPath).toLowerCase();
  let gz: Buffer | null = null;
  if (COMPRESSIBLE.has(ext) && body.length > 1024) {
    const packed = await gzip(body, { level: 9 });
    if (packed.length < body.length * 0.9) gz = packed;
  }
  return {
    urlPath,
    body,
    gzip: gz,
    contentType: contentTypeFor(urlPath),
    cacheControl: cacheControlFor(urlPath),
  };
}

interface Warn {
  warn(obj: object, msg: string): void;
}

export interface StaticOptions {
  /** serve *.map files (SOURCE_MAPS=1) */
  sourceMaps?: boolean;
}

export async function loadStaticSite(
  dir: string,
  log?: Warn,
  options: StaticOptions = {},
): Promise<StaticSite> {
  const files = new Map<string, string>();
  try {
    if ((await fs.stat(dir)).isDirectory()) await walk(dir, '', files);
  } catch {
    // missing directory: placeholder below
  }
  if (options.sourceMaps !== true)
    for (const urlPath of files.keys()) if (urlPath.endsWith('.map')) files.delete(urlPath);
  const assets = new Map<string, StaticAsset>();
  let total = 0;
  for (const [urlPath, full] of files) {
    const size = (await fs.stat(full)).size;
    if (size > MAX_FILE_BYTES || total + size > MAX_TOTAL_BYTES) {
      log?.warn({ file: full, size }, 'static file skipped: too large to serve from memory');
      continue;
    }
    total += size;
    assets.set(urlPath, await makeAsset(urlPath, await fs.readFile(full)));
  }
  const index =
    assets.get('/index.html') ??
    (await makeAsset('/index.html', Buffer.from(PLACEHOLDER_HTML, 'utf8')));
  const built = assets.has('/index.html');
  if (!built) log?.warn({ dir }, 'web client not built: serving a placeholder page');

  return {
    built,
    fileCount: assets.size,
    resolve(rawPath) {
      let p: string;
      try {
        p = decodeURIComponent(rawPath);
      } catch {
        return null;
      }
      if (p === '/' || p === '') return index;
      const asset = assets.get(p);
      if (asset !== undefined) return asset;
      // a folder with an index.html of its own (a second page of a multi-page build, such as
      // /examples/editor/) is that page, with or without the trailing slash
      const folderIndex = assets.get(p.endsWith('/') ? `${p}index.html` : `${p}/index.html`);
      if (folderIndex !== undefined) return folderIndex;
      // A path that names a file (has an extension, or contains dots/backslashes/NUL) and is not
      // one of ours is a 404; anything else is a client-side route (/r/<room>) -> index.html.
      const last = p.slice(p.lastIndexOf('/') + 1);
      if (last.includes('.') || p.includes('\\') || p.includes('\0') || p.includes('..'))
        return null;
      return index;
    },
  };
}
