/**
 * Environment -> typed server config. Every bound the client also knows comes from
 * shared/protocol/src/limits.ts; server-only hardening settings live in hardeningConfig.ts.
 * Invalid values throw a ConfigError that main.ts
 * prints before exiting 1 (a typo in a limit must not silently become NaN or "no limit").
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_LIMITS,
  PEER_TIMEOUT_SETTING_MAX_MS,
  PEER_TIMEOUT_SETTING_MIN_MS,
  type IceServer,
  type Limits,
  type PeerTimeouts,
} from '@peerboard/protocol';
import {
  DEFAULT_CLUSTER_PREFIX,
  DEFAULT_HEARTBEAT_TTL_MS,
  type ClusterConfig,
} from './cluster/config';
import { ConfigError, readInt, readPositiveNumber, type Env } from './env';
import {
  DEFAULT_HARDENING,
  readHardening,
  type MetricsConfig,
  type PerAddressLimits,
} from './hardeningConfig';
import type { RecipientLimits } from './recipientGuard';
import { readTls, type TlsConfig } from './tls';
import { DEFAULT_TURN_TTL_S, type TurnConfig } from './turn';

export interface ServerConfig {
  port: number;
  host: string;
  /** Directory of the built web client (web/dist). */
  staticDir: string;
  /** Exact Origin header values allowed to open the WebSocket; empty = any origin. */
  allowedOrigins: string[];
  limits: Limits;
  logLevel: LogLevel;
  /** Static ICE servers (e.g. STUN) sent in every `joined` reply. */
  iceServers: IceServer[];
  /** TURN_SECRET + TURN_URLS: per-peer short-lived coturn credentials in `joined`. */
  turn: TurnConfig | null;
  /**
   * PEER_CONNECT_TIMEOUT_MS / PEER_DIRECT_TIMEOUT_MS: the clients' peer connection deadlines,
   * sent in `joined`; null (the default) = each client keeps its own (20 s / 8 s).
   */
  peerTimeouts: PeerTimeouts | null;
  /** REDIS_URL: several instances share rooms through Redis; null = one instance, in memory. */
  cluster: ClusterConfig | null;
  /** TRUST_PROXY: peers (addresses / CIDRs) whose X-Forwarded-For is believed; [] = none. */
  trustProxy: string[];
  /** MAX_CONNECTIONS_PER_IP / MAX_ROOMS_PER_IP */
  perAddress: PerAddressLimits;
  /** PEER_BYTES_PER_SEC / PEER_BURST_BYTES / PEER_CONGESTION_BYTES */
  recipient: RecipientLimits;
  /** SOURCE_MAPS=1: serve *.map files (off: they would publish the unminified source). */
  sourceMaps: boolean;
  metrics: MetricsConfig;
  /** TLS_CERT_FILE + TLS_KEY_FILE: HTTPS and WSS on `port`; null = plain HTTP */
  tls: TlsConfig | null;
  /** LAN=1 / --lan: a self-signed certificate for this machine's addresses, kept in dataDir */
  lan: LanConfig | null;
  /**
   * The protocol version this relay accepts and attests for its members (PROTOCOL_VERSION).
   * Not read from the environment (a deployment speaks its code's version): a test plays the
   * older relay of a rolling deploy with it.
   */
  protocolVersion?: number;
}

export interface LanConfig {
  /** PEERBOARD_DATA_DIR, else $XDG_STATE_HOME/peerboard, else ~/.local/state/peerboard */
  dataDir: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export { ConfigError };

export const DEFAULT_STATIC_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../web/dist',
);

export function defaultConfig(): ServerConfig {
  return {
    port: 8080,
    host: '0.0.0.0',
    staticDir: DEFAULT_STATIC_DIR,
    allowedOrigins: [],
    limits: { ...DEFAULT_LIMITS },
    logLevel: 'info',
    iceServers: [],
    turn: null,
    peerTimeouts: null,
    cluster: null,
    ...structuredClone(DEFAULT_HARDENING),
    tls: null,
    lan: null,
  };
}

function readOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const origins = raw
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o !== '');
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      throw new ConfigError(
        `ALLOWED_ORIGINS entries must look like https://host[:port], got "${o}"`,
      );
  }
  return origins;
}

function readIdleTimeout(env: Env, fallback: number): number {
  const value = readInt(env, 'IDLE_TIMEOUT_S', fallback, 0, 960);
  // uWS aborts the whole process (not an exception) for 1..7, so reject it here.
  if (value !== 0 && value < 8) throw new ConfigError('IDLE_TIMEOUT_S must be 0 or at least 8');
  return value;
}

function readTurn(env: Env): TurnConfig | null {
  const secret = env.TURN_SECRET?.trim() ?? '';
  const rawUrls = env.TURN_URLS?.trim() ?? '';
  if (secret === '' && rawUrls === '') return null;
  if (secret === '' || rawUrls === '')
    throw new ConfigError('TURN_SECRET and TURN_URLS must be set together');
  const urls = rawUrls
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  for (const u of urls) {
    if (!/^(turns?|stuns?):[^\s]+$/.test(u))
      throw new ConfigError(`TURN_URLS entries must look like turn:host:port, got "${u}"`);
  }
  return {
    secret,
    urls,
    ttlSeconds: readInt(env, 'TURN_TTL_S', DEFAULT_TURN_TTL_S, 60, 7 * 24 * 3600),
  };
}

function readPeerTimeouts(env: Env): PeerTimeouts | null {
  const read = (name: string) =>
    readInt(env, name, 0, PEER_TIMEOUT_SETTING_MIN_MS, PEER_TIMEOUT_SETTING_MAX_MS) || undefined;
  const connectMs = read('PEER_CONNECT_TIMEOUT_MS');
  const directMs = read('PEER_DIRECT_TIMEOUT_MS');
  if (connectMs === undefined && directMs === undefined) return null;
  return {
    ...(connectMs === undefined ? {} : { connectMs }),
    ...(directMs === undefined ? {} : { directMs }),
  };
}

/** STUN_URLS: STUN servers for every client (coturn answers STUN too); none by default, so no
 * third party learns who uses the app. */
function readStun(env: Env): IceServer[] {
  const urls = (env.STUN_URLS ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  for (const u of urls) {
    if (!/^stuns?:[^\s?]+$/.test(u))
      throw new ConfigError(`STUN_URLS entries must look like stun:host:port, got "${u}"`);
  }
  return urls.length === 0 ? [] : [{ urls }];
}

function readLan(env: Env): LanConfig | null {
  const raw = env.LAN?.trim() ?? '';
  if (raw === '' || raw === '0') return null;
  if (raw !== '1') throw new ConfigError(`LAN must be 0 or 1, got "${raw}"`);
  if ((env.TLS_CERT_FILE?.trim() ?? '') !== '')
    throw new ConfigError('LAN=1 makes its own certificate: unset TLS_CERT_FILE, or unset LAN');
  const explicit = env.PEERBOARD_DATA_DIR?.trim() ?? '';
  const xdg = env.XDG_STATE_HOME?.trim() ?? '';
  const home = env.HOME?.trim() || os.homedir();
  const dataDir =
    explicit !== ''
      ? explicit
      : xdg !== ''
        ? path.join(xdg, 'peerboard')
        : path.join(home, '.local', 'state', 'peerboard');
  return { dataDir: path.resolve(dataDir) };
}

function readCluster(env: Env): ClusterConfig | null {
  const url = env.REDIS_URL?.trim() ?? '';
  if (url === '') return null;
  if (!/^rediss?:\/\/[^\s]+$/.test(url))
    throw new ConfigError(`REDIS_URL must look like redis://host:port, got "${url}"`);
  const prefix = env.REDIS_PREFIX?.trim() || DEFAULT_CLUSTER_PREFIX;
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(prefix))
    throw new ConfigError(`REDIS_PREFIX must be 1-64 characters of A-Z a-z 0-9 : _ . -`);
  return {
    url,
    prefix,
    heartbeatTtlMs: readInt(
      env,
      'CLUSTER_HEARTBEAT_TTL_MS',
      DEFAULT_HEARTBEAT_TTL_MS,
      1000,
      60_000,
    ),
  };
}

/** Throws ConfigError with a message naming the variable when a value is invalid. */
export function configFromEnv(env: Env): ServerConfig {
  const d = defaultConfig();
  const L = d.limits;
  const logLevel = (env.LOG_LEVEL?.trim() || d.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const staticDir = env.STATIC_DIR?.trim();
  const maxBackpressureBytes = readInt(
    env,
    'MAX_BACKPRESSURE_BYTES',
    L.maxBackpressureBytes,
    1024,
    1024 * 1024 * 1024,
  );
  const port = readInt(env, 'PORT', d.port, 0, 65535);
  return {
    port,
    host: env.HOST?.trim() || d.host,
    staticDir: staticDir ? path.resolve(staticDir) : d.staticDir,
    allowedOrigins: readOrigins(env.ALLOWED_ORIGINS),
    logLevel,
    iceServers: readStun(env),
    turn: readTurn(env),
    peerTimeouts: readPeerTimeouts(env),
    cluster: readCluster(env),
    limits: {
      maxPeersPerRoom: readInt(env, 'MAX_PEERS_PER_ROOM', L.maxPeersPerRoom, 1, 10_000),
      maxRooms: readInt(env, 'MAX_ROOMS', L.maxRooms, 1, 10_000_000),
      maxConnections: readInt(env, 'MAX_CONNECTIONS', L.maxConnections, 1, 10_000_000),
      rateMessagesPerSecond: readPositiveNumber(env, 'RATE_PER_SEC', L.rateMessagesPerSecond),
      rateBurst: readInt(env, 'RATE_BURST', L.rateBurst, 1, 10_000_000),
      maxStrikes: readInt(env, 'RATE_MAX_STRIKES', L.maxStrikes, 1, 10_000_000),
      idleTimeoutSeconds: readIdleTimeout(env, L.idleTimeoutSeconds),
      maxBackpressureBytes,
    },
    ...readHardening(env, port, maxBackpressureBytes),
    tls: readTls(env),
    lan: readLan(env),
  };
}
