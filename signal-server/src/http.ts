/**
 * HTTP routes on the relay's port: /healthz, /readyz, /metrics and the static web client, for
 * GET and HEAD. Every handler answers synchronously inside the uWS callback (bodies are in
 * memory), so no response outlives its handler and none needs an onAborted handler.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Logger } from 'pino';
import type { MetricsConfig } from './hardeningConfig';
import type { Metrics } from './metrics';
import type { Uws } from './native';
import {
  COMMON_HEADERS,
  DOCUMENT_HEADERS,
  EXAMPLE_DOCUMENT_HEADERS,
  EXAMPLES_PATH_PREFIX,
} from './securityHeaders';
import type { StaticAsset, StaticSite } from './static';

export interface HttpDeps {
  site: StaticSite;
  metrics: Metrics;
  metricsConfig: MetricsConfig;
  gauges(): { connections: number; rooms: number };
  /** GET /readyz: listening, not shutting down and, in cluster mode, connected to Redis */
  readiness(): { ready: boolean; redis: 'connected' | 'disconnected' | 'not_configured' };
  logger: Logger;
}

type Handler = (res: HttpResponse, req: HttpRequest, head: boolean) => void;

interface Reply {
  status: string;
  headers: readonly (readonly [string, string])[];
  body: string | Buffer;
}

/**
 * Writes a reply; for HEAD the same status and headers, Content-Length included, and no body.
 * uWS's end() always writes a body (and its own Content-Length, so a second header would
 * contradict it), and endWithoutBody(length) aborts this build of uWS; endWithoutBody() without
 * a length writes the headers as given and leaves the connection usable, so HEAD writes its own
 * Content-Length and calls that.
 */
function reply(res: HttpResponse, head: boolean, r: Reply): void {
  res.cork(() => {
    res.writeStatus(r.status);
    for (const [name, value] of COMMON_HEADERS) res.writeHeader(name, value);
    for (const [name, value] of r.headers) res.writeHeader(name, value);
    if (!head) {
      res.end(r.body);
      return;
    }
    res.writeHeader('Content-Length', String(Buffer.byteLength(r.body)));
    res.endWithoutBody();
  });
}

function guarded(logger: Logger, head: boolean, handler: Handler) {
  return (res: HttpResponse, req: HttpRequest): void => {
    try {
      handler(res, req, head);
    } catch (e) {
      logger.error({ err: e, url: req.getUrl() }, 'http handler failed');
      try {
        res.cork(() => res.writeStatus('500 Internal Server Error').end('internal error'));
      } catch {
        // Headers were already written: drop the connection, since returning from a uWS
        // handler without responding aborts the process.
        try {
          res.close();
        } catch {
          // already closed
        }
      }
    }
  };
}

/** The same handler for GET and HEAD. */
function getAndHead(app: TemplatedApp, pattern: string, logger: Logger, handler: Handler): void {
  app.get(pattern, guarded(logger, false, handler));
  app.head(pattern, guarded(logger, true, handler));
}

const json = (status: string, value: unknown): Reply => ({
  status,
  headers: [
    ['Content-Type', 'application/json'],
    ['Cache-Control', 'no-store'],
  ],
  body: JSON.stringify(value),
});

function assetReply(req: HttpRequest, asset: StaticAsset): Reply {
  const useGzip = asset.gzip !== null && /\bgzip\b/.test(req.getHeader('accept-encoding'));
  const headers: (readonly [string, string])[] = [
    ['Content-Type', asset.contentType],
    ['Cache-Control', asset.cacheControl],
  ];
  if (asset.contentType.startsWith('text/html'))
    headers.push(
      ...(asset.urlPath.startsWith(EXAMPLES_PATH_PREFIX)
        ? EXAMPLE_DOCUMENT_HEADERS
        : DOCUMENT_HEADERS),
    );
  if (asset.gzip !== null) headers.push(['Vary', 'Accept-Encoding']);
  if (useGzip) headers.push(['Content-Encoding', 'gzip']);
  return { status: '200 OK', headers, body: useGzip ? asset.gzip! : asset.body };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** GET/HEAD /metrics, behind `Authorization: Bearer <METRICS_TOKEN>` when a token is set. */
function metricsRoute(app: TemplatedApp, deps: HttpDeps): void {
  const token = deps.metricsConfig.token;
  const expected = token === null ? null : digest(`Bearer ${token}`);
  getAndHead(app, '/metrics', deps.logger, (res, req, head) => {
    // Digests have equal length, so the comparison takes the same time for any wrong token.
    if (expected !== null && !timingSafeEqual(digest(req.getHeader('authorization')), expected)) {
      const headers = [['WWW-Authenticate', 'Bearer realm="metrics"']] as const;
      reply(res, head, { status: '401 Unauthorized', headers, body: 'unauthorized' });
      return;
    }
    reply(res, head, {
      status: '200 OK',
      headers: [
        ['Content-Type', 'text/plain; version=0.0.4; charset=utf-8'],
        ['Cache-Control', 'no-store'],
      ],
      body: deps.metrics.render(deps.gauges()),
    });
  });
}

const notFound: Reply = {
  status: '404 Not Found',
  headers: [['Content-Type', 'text/plain; charset=utf-8']],
  body: 'not found',
};

export function registerHttpRoutes(app: TemplatedApp, deps: HttpDeps): void {
  const { site, logger } = deps;

  getAndHead(app, '/healthz', logger, (res, _req, head) => {
    const g = deps.gauges();
    const body = { status: 'ok', connections: g.connections, rooms: g.rooms };
    reply(res, head, json('200 OK', body));
  });

  // Liveness (/healthz) says the process answers; readiness says it should get traffic.
  getAndHead(app, '/readyz', logger, (res, _req, head) => {
    const r = deps.readiness();
    const body = { status: r.ready ? 'ready' : 'not_ready', redis: r.redis };
    reply(res, head, json(r.ready ? '200 OK' : '503 Service Unavailable', body));
  });

  const metricsHere = deps.metricsConfig.enabled && deps.metricsConfig.port === null;
  if (metricsHere) metricsRoute(app, deps);
  // not the SPA fallback either: a 404 says plainly that metrics are not served here
  else getAndHead(app, '/metrics', logger, (res, _req, head) => reply(res, head, notFound));

  getAndHead(app, '/*', logger, (res, req, head) => {
    const asset = site.resolve(req.getUrl());
    reply(res, head, asset === null ? notFound : assetReply(req, asset));
  });

  shareTargetRoute(app, logger);

  app.any(
    '/*',
    guarded(logger, false, (res) => {
      res.cork(() =>
        res.writeStatus('405 Method Not Allowed').writeHeader('Allow', 'GET, HEAD').end(),
      );
    }),
  );
}

/** The manifest's share_target action (web/src/pwa/shareTargetPath.ts). */
export const SHARE_TARGET_PATH = '/share-target';

export const SHARE_TARGET_FALLBACK_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Share to Peerboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>Share to Peerboard needs the app in this browser</h1>
<p>Peerboard's app in your browser takes shared files and offers them in your room; this server
does not keep or read them, and it has not kept these.</p>
<p>Open <a href="/">Peerboard</a> once in this browser (over https, or on localhost), open the
room you want, then share again.</p>
</body></html>
`;

/**
 * POST /share-target reaches the server only when no service worker took it (the app was never
 * opened in this browser, or the page is not a secure context). The body is never read: uWS
 * drops what the handler does not consume, and the reply says what to do.
 */
function shareTargetRoute(app: TemplatedApp, logger: Logger): void {
  app.post(
    SHARE_TARGET_PATH,
    guarded(logger, false, (res, _req, head) =>
      reply(res, head, {
        status: '200 OK',
        headers: [
          ['Content-Type', 'text/html; charset=utf-8'],
          ['Cache-Control', 'no-store'],
          ...DOCUMENT_HEADERS,
        ],
        body: SHARE_TARGET_FALLBACK_HTML,
      }),
    ),
  );
}

export interface MetricsListener {
  readonly port: number;
  close(): void;
}

/** METRICS_PORT: /metrics on its own listener (loopback by default), nothing else there. */
export async function listenMetrics(uws: Uws, deps: HttpDeps): Promise<MetricsListener | null> {
  const { enabled, port, host } = deps.metricsConfig;
  if (!enabled || port === null) return null;
  const app = uws.App();
  metricsRoute(app, deps);
  app.any(
    '/*',
    guarded(deps.logger, false, (res) => res.cork(() => res.writeStatus('404 Not Found').end())),
  );
  const token = await new Promise<unknown>((resolve, reject) => {
    app.listen(host, port, (t) => {
      if (t) resolve(t);
      else reject(new Error(`could not listen on METRICS_HOST:METRICS_PORT ${host}:${port}`));
    });
  });
  return {
    port: uws.us_socket_local_port(token as never),
    close() {
      uws.us_listen_socket_close(token as never);
      (app as unknown as { close(): void }).close();
    },
  };
}
