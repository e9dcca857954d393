/** Every bound of the system in one place. The server reads its defaults from here. */

/**
 * Relay and peers refuse another version (the page then says "reload"). 2: board elements are
 * stored with their fields as created in one value (PROTOCOL.md "Room document model"), which
 * version 1 peers refuse as an unknown field.
 */
export const PROTOCOL_VERSION = 2;

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
  /** too many connections from one client address (MAX_CONNECTIONS_PER_IP) */
  tooManyFromAddress: 4029,
} as const;

// ---- data-channel wire (shared/src/wire.ts) ----

/**
 * Largest single data-channel message we send. Chromium negotiates 262144 (sctp.maxMessageSize),
 * but one SCTP message holds back every other message of the connection while in flight, so a
 * smaller unit keeps whiteboard/chat frames responsive behind a file transfer. Larger frames are
 * fragmented.
 */
export const MAX_WIRE_MESSAGE = 64 * 1024;
/** Largest logical frame after reassembly (a Yjs sync of a big board is megabytes). */
export const WIRE_FRAME_MAX_BYTES = 32 * 1024 * 1024;
/** Reassembly memory per remote peer (sum of the declared sizes of messages in progress). */
export const WIRE_REASSEMBLY_MAX_BYTES = 64 * 1024 * 1024;
/** Messages being reassembled at once per remote peer (control and bulk may interleave). */
export const WIRE_REASSEMBLY_MAX_PARTIALS = 8;
/** A partially received message older than this is dropped. */
export const WIRE_REASSEMBLY_TIMEOUT_MS = 30_000;
/** JSON control frames between peers (file control, call control, hello). */
export const WIRE_JSON_MAX_BYTES = 16 * 1024;
/** One file-data chunk (the transfer module picks its chunk size at or below this). */
export const FILE_CHUNK_MAX_BYTES = 1024 * 1024;
/** Random transfer ids are 16 bytes. */
export const FILE_TRANSFER_ID_BYTES = 16;
/** Stable per-session client id (random, base64url). */
export const CLIENT_ID_LENGTH = 22;
/** Identity key (raw uncompressed P-256 point) and ECDSA signature (r || s) in identity frames. */
export const IDENTITY_KEY_BYTES = 65;
export const IDENTITY_SIG_BYTES = 64;
/** DTLS fingerprint text in an identity frame ("sha-256 AB:CD:..", several comma-separated). */
export const FINGERPRINT_MAX_LENGTH = 512;

// ---- send scheduler (web/src/core/peers/sendQueue.ts) ----

/**
 * Bulk (file data) is only handed to the channel while bufferedAmount is below this. A control
 * frame waits behind up to this much bulk: 256 KiB halved the ping RTT during a bulk stream in
 * Chromium against 1 MiB at the same throughput (BENCHMARKS.md "Client core").
 */
export const BULK_HIGH_WATER_BYTES = 256 * 1024;
/** bufferedAmountLowThreshold: when the queue drains below this, bulk sending resumes. */
export const BULK_LOW_WATER_BYTES = 64 * 1024;
/**
 * The bulk data channel (PROTOCOL.md "Bulk channel"): a negotiated SCTP stream of its own, so
 * the stream scheduler sends control frames ahead of queued bulk and bulk can buffer deeper.
 * 8 MiB / 2 MiB matched the fastest raw blast in Chromium (BENCHMARKS.md "File transfer");
 * Chromium closes a channel with > 16 MiB queued.
 */
export const BULK_CHANNEL_ID = 16;
export const BULK_CHANNEL_HIGH_WATER_BYTES = 8 * 1024 * 1024;
export const BULK_CHANNEL_LOW_WATER_BYTES = 2 * 1024 * 1024;
/**
 * Bulk-channel messages received and not yet handled (they are handled in tasks of their own,
 * peers/yieldingQueue.ts). An honest sender sends only what the receiver asked for: a receive
 * window of FILE_RECEIVE_WINDOW_BLOCKS (~16 MiB) per file; more than this ends the link.
 */
export const BULK_RECEIVE_QUEUE_MAX_BYTES = 128 * 1024 * 1024;
/** Control frames stop at this (Chromium closes a channel with > 16 MiB queued). */
export const CONTROL_HIGH_WATER_BYTES = 8 * 1024 * 1024;
/**
 * Control bytes waiting behind the channel (above) past which the link is closed: room for a
 * full-state sync of the largest frame plus ordinary traffic, far below what a request flood
 * builds (1000 sync requests queued 411 MiB before there was a budget).
 */
export const CONTROL_QUEUE_MAX_BYTES = WIRE_FRAME_MAX_BYTES + 16 * 1024 * 1024;

// ---- peer mesh and signaling client timing ----

export const PEER_STATS_INTERVAL_MS = 2_000;
/**
 * A link that receives nothing (pings every PEER_STATS_INTERVAL_MS included) for this long is
 * dead. Generous: background tabs throttle timers, and a vanished peer is usually caught sooner
 * by ICE consent failure or the channel closing.
 */
export const PEER_IDLE_TIMEOUT_MS = 30_000;
/**
 * A client the relay says left (or that no new relay socket re-announced) but whose link is
 * still open is pinged and must send something on the link within this, else it is gone. A
 * tab closed without its `bye` getting out is then gone in peer_left + this, not after ICE
 * consent fails (~15 s); a client that only lost its relay socket answers and stays. Above one
 * ping interval, with room for a pong queued behind a full bulk buffer on a slow link.
 */
export const PEER_LEFT_GRACE_MS = 3_000;
/** A connection attempt that has not opened its data channel by then is retried. */
export const PEER_CONNECT_TIMEOUT_MS = 20_000;
/**
 * With a TURN relay known, the first attempt goes without it (host + STUN candidates) and gets
 * this long before the relay-only retry (peers/iceFallback.ts). Direct pairs, also through home
 * routers, connect in a few seconds at most; users should see a working link well before the
 * UI's "cannot connect" message (15 s).
 */
export const PEER_DIRECT_TIMEOUT_MS = 8_000;
/**
 * Bounds of the peer timeouts an operator may set on the relay (PEER_CONNECT_TIMEOUT_MS /
 * PEER_DIRECT_TIMEOUT_MS, sent in `joined`): below a second no real pair connects, above two
 * minutes "Connecting…" would outlast anyone's patience. A client refuses a `joined` outside them.
 */
export const PEER_TIMEOUT_SETTING_MIN_MS = 1_000;
export const PEER_TIMEOUT_SETTING_MAX_MS = 120_000;
export const PEER_RETRY_BASE_MS = 500;
export const PEER_RETRY_MAX_MS = 15_000;
export const SIGNALING_PING_INTERVAL_MS = 10_000;
/** No message from the server for this long -> the socket is presumed dead and reopened. */
export const SIGNALING_DEAD_AFTER_MS = 25_000;
export const SIGNALING_RETRY_BASE_MS = 250;
export const SIGNALING_RETRY_MAX_MS = 10_000;

// ---- room document (shared/core/src/collab) ----

/**
 * Largest room document (board + chat, as Yjs stores it) a peer accepts content for. Below
 * WIRE_FRAME_MAX_BYTES so a newcomer can still receive the whole document in one sync frame.
 */
export const ROOM_DOC_MAX_BYTES = 24 * 1024 * 1024;
/** New document content one peer may add per minute (a sync it was asked for does not count). */
export const PEER_DOC_BYTES_PER_MINUTE = 4 * 1024 * 1024;
/**
 * A joiner's "first screen" (collab/firstScreen.ts): the elements in its view, sent before the
 * full sync as a preview. At most this many elements and bytes (its Yjs update); a bigger one
 * is refused whole.
 */
export const FIRST_SCREEN_MAX_ELEMENTS = 2000;
export const FIRST_SCREEN_MAX_BYTES = 512 * 1024;

// ---- chat (web/src/core/chat) ----

/** Longest chat message in characters (Unicode code points); longer ones are refused. */
export const CHAT_MESSAGE_MAX_LENGTH = 2000;

// ---- file transfer (web/src/core/transfer) ----

/**
 * File data bytes per chunk: one chunk frame fills one 16 KiB wire message exactly (no
 * fragmentation). Measured (BENCHMARKS.md "File transfer"): in Chromium 16 KiB chunks were as
 * fast as 256 KiB ones and faster than 64 KiB, with the lowest control-frame delay behind them.
 */
export const FILE_CHUNK_BYTES = 16 * 1024 - (1 + 16 + 4);
/** Chunks per verified block (~1 MiB): the offer's per-block SHA-256 list has one per block. */
export const FILE_BLOCK_CHUNKS = 64;
/** Largest offered file (absurd sizes from a peer are rejected). */
export const FILE_MAX_BYTES = 2 ** 40;
/**
 * Most blocks an offer may have: the receiver's hash table (32 B a block, allocated on accept)
 * stays <= 64 MiB. A FILE_MAX_BYTES file in default blocks has ~2^20; tiny chunks and one-chunk
 * blocks could otherwise ask for 2^30 blocks (a 32 GiB table).
 */
export const FILE_MAX_BLOCKS = 2 ** 21;
/** Block hashes per `meta` control message (32 B each, base64, under WIRE_JSON_MAX_BYTES). */
export const FILE_HASHES_PER_META = 256;
/** Blocks a receiver holds at once (in flight + verified, waiting to be written in order). */
export const FILE_RECEIVE_WINDOW_BLOCKS = 16;
/** Blocks requested from one holder at a time. */
export const FILE_HOLDER_OUTSTANDING_BLOCKS = 6;
/** Pending range requests one peer may queue at a holder. */
export const FILE_MAX_PENDING_WANTS = 256;
/** Files the receiver assembles in memory at most (larger ones need a streaming sink). */
export const FILE_MEMORY_SINK_MAX_BYTES = 256 * 1024 * 1024;
/** Offers remembered per remote peer (a flood of offers is dropped beyond this). */
export const FILE_MAX_OFFERS_PER_PEER = 200;

// ---- shared folders (shared/core/src/transfer/folder.ts) ----

/** Entries (files and empty directories) in one shared folder. */
export const FOLDER_MAX_ENTRIES = 10_000;
/** Longest relative path of an entry inside a folder (UTF-16 code units). */
export const FOLDER_PATH_MAX_LENGTH = 1024;
/** Longest single path segment (most file systems stop at 255). */
export const FOLDER_SEGMENT_MAX_LENGTH = 255;
/** Deepest nesting of an entry below the folder. */
export const FOLDER_MAX_DEPTH = 64;
/** Folders remembered per remote peer (their files do not count against the offer limit). */
export const FOLDER_MAX_PER_PEER = 20;
/** Bytes of entries packed into one `folder` manifest page (a JSON frame stays < 16 KiB). */
export const FOLDER_PAGE_BYTES = 12 * 1024;
