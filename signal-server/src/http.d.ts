/**
 * HTTP routes on the relay's port: /healthz, /metrics and the static web client.
 * Every handler answers synchronously inside the uWS callback (bodies are in memory), so no
 * response outlives its handler and none needs an onAborted handler.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import type { StaticSite } from './static';
export interface HttpDeps {
  site: StaticSite;
  metrics: Metrics;
  gauges(): {
    connections: number;
    rooms: number;
  };
  logger: Logger;
}
export declare function registerHttpRoutes(app: TemplatedApp, deps: HttpDeps): void;
