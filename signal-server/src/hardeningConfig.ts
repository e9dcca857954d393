/**
 * Server-only abuse limits and HTTP exposure settings (the client knows nothing of them, so
 * they are not in shared/protocol/src/limits.ts). Read from the environment by configFromEnv.
 */
import { SIGNAL_FRAME_MAX_BYTES } from '@peerboard/protocol';
import { makeTrustedProxies } from './clientAddress';
import { ConfigError, readInt, type Env } from './env';
import type { RecipientLimits } from './recipientGuard';

export interface PerAddressLimits {
  /** open WebSockets per client address (IPv6: per /64) */
  maxConnections: number;
  /** distinct rooms with a member from one client address */
  maxRooms: number;
}

export interface MetricsConfig {
  /** false with METRICS_PORT=off: /metrics is not served anywhere */
  enabled: boolean;
  /** METRICS_PORT: served only on this port at `host`, not on the public port; null = public */
  port: number | null;
  /** METRICS_HOST, default 127.0.0.1 (only used with `port`) */
  host: string;
  /** METRICS_TOKEN: every /metrics request needs `Authorization: Bearer <token>` */
  token: string | null;
}

export interface Hardening {
  trustProxy: string[];
  perAddress: PerAddressLimits;
  recipient: RecipientLimits;
  sourceMaps: boolean;
  metrics: MetricsConfig;
}

/**
 * Per-address caps leave room for a household or an office behind one NAT (a tab holds one
 * connection and one room) while one client can take at most 64 / 20,000 connections and
 * 32 / 10,000 rooms of the default server-wide tables.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 64;
export const DEFAULT_MAX_ROOMS_PER_IP = 32;
/**
 * A pair of peers exchanges an SDP offer/answer (a few KiB each) and some ICE candidates, more
 * on renegotiation: 256 KiB at once and 64 KiB/s are far above that and far below what it takes
 * to bury a recipient (the relay cuts a recipient at MAX_BACKPRESSURE_BYTES, 1 MiB).
 */
export const DEFAULT_PEER_BYTES_PER_SEC = 64 * 1024;
export const DEFAULT_PEER_BURST_BYTES = 256 * 1024;

export const DEFAULT_HARDENING: Hardening = {
  trustProxy: [],
  perAddress: {
    maxConnections: DEFAULT_MAX_CONNECTIONS_PER_IP,
    maxRooms: DEFAULT_MAX_ROOMS_PER_IP,
  },
  recipient: {
    bytesPerSecond: DEFAULT_PEER_BYTES_PER_SEC,
    burstBytes: DEFAULT_PEER_BURST_BYTES,
    congestionBytes: 512 * 1024, // half of the default MAX_BACKPRESSURE_BYTES
  },
  sourceMaps: false,
  metrics: { enabled: true, port: null, host: '127.0.0.1', token: null },
};

function readTrustProxy(raw: string | undefined): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  try {
    makeTrustedProxies(entries);
  } catch (e) {
    throw new ConfigError(`TRUST_PROXY: ${(e as Error).message}`);
  }
  return entries;
}

function readFlag(env: Env, name: string): boolean {
  const raw = env[name]?.trim() ?? '';
  if (raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new ConfigError(`${name} must be 0 or 1, got "${raw}"`);
}

function readMetrics(env: Env): MetricsConfig {
  const d = DEFAULT_HARDENING.metrics;
  const token = env.METRICS_TOKEN?.trim() ?? '';
  if (token !== '' && !/^[\x21-\x7e]{16,256}$/.test(token))
    throw new ConfigError('METRICS_TOKEN must be 16-256 visible ASCII characters');
  const rawPort = env.METRICS_PORT?.trim() ?? '';
  const host = env.METRICS_HOST?.trim() || d.host;
  if (rawPort === 'off') return { enabled: false, port: null, host, token: null };
  return {
    enabled: true,
    port: rawPort === '' ? null : readInt(env, 'METRICS_PORT', 0, 1, 65535),
    host,
    token: token === '' ? null : token,
  };
}

/**
 * `port`: the public PORT (METRICS_PORT must differ). `maxBackpressureBytes`: the congestion threshold defaults to half of it, and stays one frame
 * below it, since a frame admitted just under the threshold still lands in the backlog.
 */
export function readHardening(env: Env, port: number, maxBackpressureBytes: number): Hardening {
  const d = DEFAULT_HARDENING;
  const metrics = readMetrics(env);
  if (metrics.port !== null && metrics.port === port)
    throw new ConfigError('METRICS_PORT must differ from PORT');
  return {
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    perAddress: {
      maxConnections: readInt(
        env,
        'MAX_CONNECTIONS_PER_IP',
        d.perAddress.maxConnections,
        1,
        10_000_000,
      ),
      maxRooms: readInt(env, 'MAX_ROOMS_PER_IP', d.perAddress.maxRooms, 1, 10_000_000),
    },
    recipient: {
      bytesPerSecond: readInt(
        env,
        'PEER_BYTES_PER_SEC',
        d.recipient.bytesPerSecond,
        1024,
        1024 ** 3,
      ),
      // a burst smaller than one frame would refuse every maximum-size signal
      burstBytes: readInt(
        env,
        'PEER_BURST_BYTES',
        d.recipient.burstBytes,
        SIGNAL_FRAME_MAX_BYTES,
        1024 ** 3,
      ),
      congestionBytes: readInt(
        env,
        'PEER_CONGESTION_BYTES',
        Math.floor(maxBackpressureBytes / 2),
        1024,
        Math.max(1024, maxBackpressureBytes - SIGNAL_FRAME_MAX_BYTES),
      ),
    },
    sourceMaps: readFlag(env, 'SOURCE_MAPS'),
    metrics,
  };
}
