import { type IceServer, type Limits } from '@peerboard/shared';
export interface ServerConfig {
  port: number;
  host: string;
  /** Directory of the built web client (web/dist). */
  staticDir: string;
  /** Exact Origin header values allowed to open the WebSocket; empty = any origin. */
  allowedOrigins: string[];
  limits: Limits;
  logLevel: LogLevel;
  /** Sent in every `joined` reply (STUN/TURN); empty until a TURN issue adds them. */
  iceServers: IceServer[];
}
declare const LOG_LEVELS: readonly ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export type LogLevel = (typeof LOG_LEVELS)[number];
export declare class ConfigError extends Error {
  name: string;
}
export declare const DEFAULT_STATIC_DIR: string;
export declare function defaultConfig(): ServerConfig;
type Env = Record<string, string | undefined>;
/** Throws ConfigError with a message naming the variable when a value is invalid. */
export declare function configFromEnv(env: Env): ServerConfig;
export {};
