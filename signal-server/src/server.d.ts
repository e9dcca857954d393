import { type Logger } from 'pino';
import type { ServerConfig } from './config';
export interface RunningServer {
  /** The bound port (useful with PORT=0). */
  readonly port: number;
  /** Stops listening, closes every client with 1001 'server shutting down'. Idempotent. */
  close(): Promise<void>;
}
export declare const WS_PATH = '/ws';
export declare function startServer(config: ServerConfig, logger?: Logger): Promise<RunningServer>;
