/**
 * The optional presence fields beyond name, cursor and selection: a laser pointer's newest
 * points, the viewport others can follow, whether we are away, and the browser ("device") this
 * tab runs in. Each is read from whatever a peer sent; a bad field is dropped (absent), never a
 * reason to reject the whole presence, because all of them are cosmetic.
 */
import { BOARD_LIMITS } from './elementTypes';

export const PRESENCE_EXTRA_LIMITS = {
  /**
   * World points ([x, y] pairs) in one laser update. A sender publishes at most once per frame
   * the points since its last broadcast; a receiver keeps only the last this-many of a longer
   * list, so a flood costs it at most this much per awareness update.
   */
  laserMaxPoints: 64,
  /** base64url of a 65-byte P-256 public key is 87 characters, a 64-byte signature 86 */
  deviceFieldMax: 100,
  minZoom: 0.01,
  maxZoom: 64,
} as const;

/** A batch of laser points; `seq` changes with each batch so a receiver adds it once. */
export interface PresenceLaser {
  seq: number;
  /** flat [x0, y0, x1, y1, ...] in world coordinates */
  points: number[];
}

/** The centre of what someone sees (world coordinates) and their zoom. */
export interface PresenceView {
  x: number;
  y: number;
  zoom: number;
}

/** 'idle': no input for a while; 'hidden': their tab is in the background. */
export type PresenceAway = 'idle' | 'hidden';

/**
 * A per-browser key's signature over this tab's room client id (see presenceDevice.ts): tabs of
 * one browser carry the same `key`, and nobody else can show a signature by it over their id.
 */
export interface PresenceDevice {
  /** base64url raw P-256 public key */
  key: string;
  /** base64url P1363 signature */
  sig: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const clampCoord = (v: number): number =>
  Math.max(-BOARD_LIMITS.maxCoord, Math.min(BOARD_LIMITS.maxCoord, v));

export function readLaser(raw: unknown): PresenceLaser | null {
  if (!isRecord(raw) || !finite(raw.seq) || !Array.isArray(raw.points)) return null;
  let points: unknown[] = raw.points;
  if (points.length % 2 !== 0) return null;
  const max = PRESENCE_EXTRA_LIMITS.laserMaxPoints * 2;
  if (points.length > max) points = points.slice(points.length - max);
  if (!points.every(finite)) return null;
  return { seq: raw.seq, points: (points as number[]).map(clampCoord) };
}

export function readView(raw: unknown): PresenceView | null {
  if (!isRecord(raw)) return null;
  const { x, y, zoom } = raw;
  if (!finite(x) || !finite(y) || !finite(zoom) || zoom <= 0) return null;
  const { minZoom, maxZoom } = PRESENCE_EXTRA_LIMITS;
  return { x: clampCoord(x), y: clampCoord(y), zoom: Math.max(minZoom, Math.min(maxZoom, zoom)) };
}

export const readAway = (raw: unknown): PresenceAway | null =>
  raw === 'idle' || raw === 'hidden' ? raw : null;

const B64URL = /^[A-Za-z0-9_-]+$/;
export function readDevice(raw: unknown): PresenceDevice | null {
  if (!isRecord(raw)) return null;
  const { key, sig } = raw;
  const ok = (s: unknown): s is string =>
    typeof s === 'string' && s.length <= PRESENCE_EXTRA_LIMITS.deviceFieldMax && B64URL.test(s);
  return ok(key) && ok(sig) ? { key, sig } : null;
}

/** The extra fields of a raw state that are valid, to spread into a read presence. */
export function readExtras(raw: Record<string, unknown>): {
  laser?: PresenceLaser;
  view?: PresenceView;
  away?: PresenceAway;
  device?: PresenceDevice;
} {
  const laser = readLaser(raw.laser);
  const view = readView(raw.view);
  const away = readAway(raw.away);
  const device = readDevice(raw.device);
  return {
    ...(laser ? { laser } : {}),
    ...(view ? { view } : {}),
    ...(away ? { away } : {}),
    ...(device ? { device } : {}),
  };
}
