/** Every bound of the system in one place. The server reads its defaults from here. */

export const PROTOCOL_VERSION = 1;

/** Peer ids are server-assigned, fixed-length base64url strings. */
export const PEER_ID_LENGTH = 12;
export const ROOM_ID_MAX_LENGTH = 64;
export const DISPLAY_NAME_MAX_LENGTH = 40;

/** Opaque signal payload (SDP / ICE candidate JSON, or ciphertext in secret rooms). */
export const SIGNAL_PAYLOAD_MAX_BYTES = 32 * 1024;
/** Largest JSON control frame a client may send. */
export const CONTROL_FRAME_MAX_BYTES = 1024;
/** uWS maxPayloadLength: the largest frame of any kind (binary signal envelope). */
export const SIGNAL_FRAME_MAX_BYTES = 1 + PEER_ID_LENGTH + SIGNAL_PAYLOAD_MAX_BYTES;

export const DEFAULT_LIMITS = {
  maxPeersPerRoom: 16,
  maxRooms: 10_000,
  maxConnections: 20_000,
  /** token bucket per connection */
  rateMessagesPerSecond: 100,
  rateBurst: 300,
  /** a connection that keeps sending after this many rejected messages in a row is closed */
  maxStrikes: 50,
  idleTimeoutSeconds: 30,
  maxBackpressureBytes: 1024 * 1024,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** WebSocket close codes used by the relay (4000-4999 is the application range). */
export const CLOSE = {
  goingAway: 1001,
  tooBig: 1009,
  versionMismatch: 4001,
  protocolViolation: 4002,
  rateLimited: 4008,
  serverFull: 4013,
} as const;
