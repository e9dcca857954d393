/**
 * HTTP routes on the relay's port: /healthz, /metrics and the static web client.
 * Every handler answers synchronously inside the uWS callback (bodies are in memory), so no
 * response outlives its handler and none needs an onAborted handler.
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import type { StaticAsset, StaticSite } from './static';

export interface HttpDeps {
  site: StaticSite;
  metrics: Metrics;
  gauges(): { connections: number; rooms: number };
  logger: Logger;
}

function guarded(
  logger: Logger,
  handler: (res: HttpResponse, req: HttpRequest) => void,
): (res: HttpResponse, req: HttpRequest) => void {
  return (res, req) => {
    try {
      handler(res, req);
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

function sendAsset(res: HttpResponse, req: HttpRequest, asset: StaticAsset): void {
  const useGzip = asset.gzip !== null && /\bgzip\b/.test(req.getHeader('accept-encoding'));
  const body = useGzip ? asset.gzip! : asset.body;
  res.cork(() => {
    res
      .writeStatus('200 OK')
      .writeHeader('Content-Type', asset.contentType)
      .writeHeader('Cache-Control', asset.cacheControl)
      .writeHeader('X-Content-Type-Options', 'nosniff');
    if (asset.gzip !== null) res.writeHeader('Vary', 'Accept-Encoding');
    if (useGzip) res.writeHeader('Content-Encoding', 'gzip');
    res.end(body);
  });
}

export function registerHttpRoutes(app: TemplatedApp, deps: HttpDeps): void {
  const { site, metrics, logger } = deps;

  app.get(
    '/healthz',
    guarded(logger, (res) => {
      const g = deps.gauges();
      const body = JSON.stringify({ status: 'ok', connections: g.connections, rooms: g.rooms });
      res.cork(() =>
        res
          .writeStatus('200 OK')
          .writeHeader('Content-Type', 'application/json')
          .writeHeader('Cache-Control', 'no-store')
          .end(body),
      );
    }),
  );

  app.get(
    '/metrics',
    guarded(logger, (res) => {
      const body = metrics.render(deps.gauges());
      res.cork(() =>
        res
          .writeStatus('200 OK')
          .writeHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
          .writeHeader('Cache-Control', 'no-store')
          .end(body),
      );
    }),
  );

  // No HEAD route: this uWS build writes a body for HEAD on end() and aborts the process after
  // endWithoutBody(), so HEAD falls through to the 405 below.
  app.get(
    '/*',
    guarded(logger, (res, req) => {
      const asset = site.resolve(req.getUrl());
      if (asset === null) {
        res.cork(() =>
          res
            .writeStatus('404 Not Found')
            .writeHeader('Content-Type', 'text/plain; charset=utf-8')
            .end('not found'),
        );
        return;
      }
      sendAsset(res, req, asset);
    }),
  );

  app.any(
    '/*',
    guarded(logger, (res) => {
      res.cork(
        () => res.writeStatus('405 Method Not Allowed').writeHeader('Allow', 'GET').end(), // no body: a HEAD response must not have one
      );
    }),
  );
}
