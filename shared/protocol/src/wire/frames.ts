/**
 * Peer-to-peer data-channel wire: binary frames with a 1-byte type tag.
 *
 *   0x01 sync          [y-protocols sync message bytes]
 *   0x02 awareness     [y-protocols awareness update bytes]
 *   0x03 chat          [opaque bytes] (reserved; chat lives in the Y.Doc today)
 *   0x04 file_control  [UTF-8 JSON object with a snake_case "type"]
 *   0x05 file_data     [16-byte transfer id][u32 chunk index][chunk bytes]
 *   0x06 call_control  [UTF-8 JSON object with a snake_case "type"]
 *   0x07 ping          [u32 seq][f64 sender time ms]
 *   0x08 pong          [u32 seq][f64 time copied from the ping]
 *   0x09 hello         [u16 protocol version][22-byte client id][UTF-8 display name]
 *   0x0a signal        [peer signal payload, same bytes as over the relay] (renegotiation)
 *   0x0b identity      [u32 link gen][65-byte key][64-byte signature][u16 n][n bytes own DTLS
 *                      fingerprint][u16 m][m bytes peer DTLS fingerprint] (first frame of a link)
 *   0x0c bye           [] (the sender is leaving the room: end this link, do not re-dial)
 *   0x7f fragment      [u32 message id][u32 total bytes][u32 offset][bytes]
 *
 * Integers are big-endian. A frame whose encoding is larger than the negotiated message size is
 * sent as fragments of its encoded bytes; the receiver reassembles (bounded, see makeReassembler)
 * and parses the result again (a fragment inside a fragment is rejected). A peer may be
 * malicious: parseWireFrame checks every byte it relies on and returns an error code instead of
 * throwing. See PROTOCOL.md for the table.
 */
import {
  CLIENT_ID_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  FINGERPRINT_MAX_LENGTH,
  IDENTITY_KEY_BYTES,
  IDENTITY_SIG_BYTES,
  FILE_CHUNK_MAX_BYTES,
  FILE_TRANSFER_ID_BYTES,
  PROTOCOL_VERSION,
  SIGNAL_PAYLOAD_MAX_BYTES,
  WIRE_FRAME_MAX_BYTES,
  WIRE_JSON_MAX_BYTES,
} from '../limits';
import { cleanDisplayName } from '../protocol';
import { assertNever, err, isObject, ok, type Result } from '../result';
import { utf8Decode, utf8Encode } from '../text';

export const WIRE_TAG = {
  sync: 0x01,
  awareness: 0x02,
  chat: 0x03,
  file_control: 0x04,
  file_data: 0x05,
  call_control: 0x06,
  ping: 0x07,
  pong: 0x08,
  hello: 0x09,
  signal: 0x0a,
  identity: 0x0b,
  bye: 0x0c,
  fragment: 0x7f,
} as const;

/** A JSON control message between peers; its fields are validated by the owning feature. */
export type WireJson = { type: string } & Record<string, unknown>;

export type WireFrame =
  | { type: 'sync'; data: Uint8Array }
  | { type: 'awareness'; data: Uint8Array }
  | { type: 'chat'; data: Uint8Array }
  | { type: 'file_control'; msg: WireJson }
  | { type: 'file_data'; transferId: Uint8Array; index: number; data: Uint8Array }
  | { type: 'call_control'; msg: WireJson }
  | { type: 'ping'; seq: number; t: number }
  | { type: 'pong'; seq: number; t: number }
  | { type: 'hello'; version: number; clientId: string; name: string }
  | { type: 'signal'; data: Uint8Array }
  | {
      type: 'identity';
      gen: number;
      key: Uint8Array;
      sig: Uint8Array;
      ownFp: string;
      peerFp: string;
    }
  | { type: 'bye' }
  | { type: 'fragment'; messageId: number; total: number; offset: number; data: Uint8Array };

export type WireFrameType = WireFrame['type'];

export const WIRE_ERROR_CODES = [
  'ERR_WIRE_EMPTY',
  'ERR_WIRE_UNKNOWN_TAG',
  'ERR_WIRE_TRUNCATED',
  'ERR_WIRE_TOO_BIG',
  'ERR_WIRE_BAD_JSON',
  'ERR_WIRE_BAD_FIELD',
  'ERR_WIRE_FRAGMENT',
  'ERR_WIRE_REASSEMBLY_FULL',
] as const;
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

export const FILE_DATA_HEADER_BYTES = 1 + FILE_TRANSFER_ID_BYTES + 4;
export const FRAGMENT_HEADER_BYTES = 1 + 4 + 4 + 4;
const PING_BYTES = 1 + 4 + 8;
const HELLO_HEADER_BYTES = 1 + 2 + CLIENT_ID_LENGTH;
const IDENTITY_HEADER_BYTES = 1 + 4 + IDENTITY_KEY_BYTES + IDENTITY_SIG_BYTES;
const FINGERPRINT_RE = /^[\x21-\x7e ]+$/;
/** Opaque byte frames (chat is reserved; keep it small until a feature needs more). */
const CHAT_MAX_BYTES = 64 * 1024;
const JSON_TYPE_RE = /^[a-z][a-z0-9_]{0,31}$/;
const CLIENT_ID_RE = /^[A-Za-z0-9_-]+$/;

export const isClientId = (v: unknown): v is string =>
  typeof v === 'string' && v.length === CLIENT_ID_LENGTH && CLIENT_ID_RE.test(v);

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

// ---- encode ----

function withTag(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

function encodeJson(tag: number, msg: WireJson): Uint8Array {
  return withTag(tag, utf8Encode(JSON.stringify(msg)));
}

/** Encodes one frame (not fragmented: see fragmentMessage). */
export function encodeWireFrame(frame: WireFrame): Uint8Array {
  switch (frame.type) {
    case 'sync':
    case 'awareness':
    case 'chat':
    case 'signal':
      return withTag(WIRE_TAG[frame.type], frame.data);
    case 'file_control':
    case 'call_control':
      return encodeJson(WIRE_TAG[frame.type], frame.msg);
    case 'file_data': {
      const out = new Uint8Array(FILE_DATA_HEADER_BYTES + frame.data.length);
      out[0] = WIRE_TAG.file_data;
      out.set(frame.transferId.subarray(0, FILE_TRANSFER_ID_BYTES), 1);
      view(out).setUint32(1 + FILE_TRANSFER_ID_BYTES, frame.index >>> 0);
      out.set(frame.data, FILE_DATA_HEADER_BYTES);
      return out;
    }
    case 'ping':
    case 'pong': {
      const out = new Uint8Array(PING_BYTES);
      out[0] = WIRE_TAG[frame.type];
      view(out).setUint32(1, frame.seq >>> 0);
      view(out).setFloat64(5, frame.t);
      return out;
    }
    case 'hello': {
      const name = utf8Encode(frame.name);
      const out = new Uint8Array(HELLO_HEADER_BYTES + name.length);
      out[0] = WIRE_TAG.hello;
      view(out).setUint16(1, frame.version);
      for (let i = 0; i < CLIENT_ID_LENGTH; i++) out[3 + i] = frame.clientId.charCodeAt(i);
      out.set(name, HELLO_HEADER_BYTES);
      return out;
    }
    case 'identity':
      return encodeIdentity(frame);
    case 'bye':
      return Uint8Array.of(WIRE_TAG.bye);
    case 'fragment': {
      const out = new Uint8Array(FRAGMENT_HEADER_BYTES + frame.data.length);
      out[0] = WIRE_TAG.fragment;
      const dv = view(out);
      dv.setUint32(1, frame.messageId >>> 0);
      dv.setUint32(5, frame.total);
      dv.setUint32(9, frame.offset);
      out.set(frame.data, FRAGMENT_HEADER_BYTES);
      return out;
    }
    default:
      return assertNever(frame);
  }
}

function encodeIdentity(frame: Extract<WireFrame, { type: 'identity' }>): Uint8Array {
  const own = utf8Encode(frame.ownFp);
  const peer = utf8Encode(frame.peerFp);
  const out = new Uint8Array(IDENTITY_HEADER_BYTES + 2 + own.length + 2 + peer.length);
  const dv = view(out);
  out[0] = WIRE_TAG.identity;
  dv.setUint32(1, frame.gen >>> 0);
  out.set(frame.key.subarray(0, IDENTITY_KEY_BYTES), 5);
  out.set(frame.sig.subarray(0, IDENTITY_SIG_BYTES), 5 + IDENTITY_KEY_BYTES);
  let at = IDENTITY_HEADER_BYTES;
  for (const text of [own, peer]) {
    dv.setUint16(at, text.length);
    out.set(text, at + 2);
    at += 2 + text.length;
  }
  return out;
}

// ---- parse ----

type Parsed = Result<WireFrame, WireErrorCode>;

function parseJson(body: Uint8Array, what: string): Result<WireJson, WireErrorCode> {
  if (body.length > WIRE_JSON_MAX_BYTES)
    return err('ERR_WIRE_TOO_BIG', `${what} exceeds ${WIRE_JSON_MAX_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(utf8Decode(body));
  } catch {
    return err('ERR_WIRE_BAD_JSON', `${what} is not UTF-8 JSON`);
  }
  if (!isObject(data) || typeof data.type !== 'string' || !JSON_TYPE_RE.test(data.type))
    return err('ERR_WIRE_BAD_FIELD', `${what} must be an object with a snake_case "type"`);
  return ok(data as WireJson);
}

function parseBytes(type: 'sync' | 'awareness' | 'chat' | 'signal', body: Uint8Array): Parsed {
  const max =
    type === 'chat' ? CHAT_MAX_BYTES : type === 'signal' ? SIGNAL_PAYLOAD_MAX_BYTES : Infinity;
  if (body.length === 0) return err('ERR_WIRE_TRUNCATED', `empty ${type} frame`);
  if (body.length > max) return err('ERR_WIRE_TOO_BIG', `${type} frame exceeds ${max} bytes`);
  return ok({ type, data: body });
}

/**
 * Validates one received message. Returned byte fields are views into `bytes` (no copy): copy
 * them before keeping them past the callback if the transport may reuse its buffers.
 */
export function parseWireFrame(bytes: Uint8Array): Parsed {
  if (bytes.length === 0) return err('ERR_WIRE_EMPTY', 'empty message');
  if (bytes.length > WIRE_FRAME_MAX_BYTES)
    return err('ERR_WIRE_TOO_BIG', `frame exceeds ${WIRE_FRAME_MAX_BYTES} bytes`);
  const body = bytes.subarray(1);
  const dv = view(bytes);
  switch (bytes[0]) {
    case WIRE_TAG.sync:
      return parseBytes('sync', body);
    case WIRE_TAG.awareness:
      return parseBytes('awareness', body);
    case WIRE_TAG.chat:
      return parseBytes('chat', body);
    case WIRE_TAG.signal:
      return parseBytes('signal', body);
    case WIRE_TAG.file_control:
    case WIRE_TAG.call_control: {
      const type = bytes[0] === WIRE_TAG.file_control ? 'file_control' : 'call_control';
      const msg = parseJson(body, type);
      return msg.ok ? ok({ type, msg: msg.value }) : msg;
    }
    case WIRE_TAG.file_data: {
      if (bytes.length < FILE_DATA_HEADER_BYTES)
        return err('ERR_WIRE_TRUNCATED', 'file_data shorter than its header');
      const data = bytes.subarray(FILE_DATA_HEADER_BYTES);
      if (data.length > FILE_CHUNK_MAX_BYTES)
        return err('ERR_WIRE_TOO_BIG', `file chunk exceeds ${FILE_CHUNK_MAX_BYTES} bytes`);
      return ok({
        type: 'file_data',
        transferId: bytes.subarray(1, 1 + FILE_TRANSFER_ID_BYTES),
        index: dv.getUint32(1 + FILE_TRANSFER_ID_BYTES),
        data,
      });
    }
    case WIRE_TAG.ping:
    case WIRE_TAG.pong: {
      if (bytes.length !== PING_BYTES)
        return err('ERR_WIRE_TRUNCATED', `ping/pong must be ${PING_BYTES} bytes`);
      const t = dv.getFloat64(5);
      if (!Number.isFinite(t)) return err('ERR_WIRE_BAD_FIELD', 'ping time is not finite');
      const type = bytes[0] === WIRE_TAG.ping ? 'ping' : 'pong';
      return ok({ type, seq: dv.getUint32(1), t });
    }
    case WIRE_TAG.hello: {
      if (bytes.length < HELLO_HEADER_BYTES)
        return err('ERR_WIRE_TRUNCATED', 'hello shorter than its header');
      if (bytes.length > HELLO_HEADER_BYTES + DISPLAY_NAME_MAX_LENGTH * 4)
        return err('ERR_WIRE_TOO_BIG', 'hello name too long');
      const clientId = String.fromCharCode(...bytes.subarray(3, HELLO_HEADER_BYTES));
      if (!isClientId(clientId)) return err('ERR_WIRE_BAD_FIELD', 'malformed client id');
      let name: string;
      try {
        name = cleanDisplayName(utf8Decode(bytes.subarray(HELLO_HEADER_BYTES)));
      } catch {
        return err('ERR_WIRE_BAD_FIELD', 'hello name is not UTF-8');
      }
      return ok({ type: 'hello', version: dv.getUint16(1), clientId, name });
    }
    case WIRE_TAG.identity:
      return parseIdentity(bytes);
    case WIRE_TAG.bye:
      // No body: a bye that carries bytes is not one this version sent.
      if (bytes.length !== 1) return err('ERR_WIRE_BAD_FIELD', 'bye has a body');
      return ok({ type: 'bye' });
    case WIRE_TAG.fragment: {
      if (bytes.length <= FRAGMENT_HEADER_BYTES)
        return err('ERR_WIRE_TRUNCATED', 'fragment without data');
      const total = dv.getUint32(5);
      const offset = dv.getUint32(9);
      const data = bytes.subarray(FRAGMENT_HEADER_BYTES);
      if (total > WIRE_FRAME_MAX_BYTES)
        return err('ERR_WIRE_TOO_BIG', `fragmented frame exceeds ${WIRE_FRAME_MAX_BYTES} bytes`);
      if (offset + data.length > total)
        return err('ERR_WIRE_FRAGMENT', 'fragment runs past the declared total');
      return ok({ type: 'fragment', messageId: dv.getUint32(1), total, offset, data });
    }
    default:
      return err('ERR_WIRE_UNKNOWN_TAG', `unknown tag 0x${bytes[0]!.toString(16)}`);
  }
}

function parseIdentity(bytes: Uint8Array): Parsed {
  if (bytes.length < IDENTITY_HEADER_BYTES + 4)
    return err('ERR_WIRE_TRUNCATED', 'identity shorter than its header');
  const dv = view(bytes);
  const fps: string[] = [];
  let at = IDENTITY_HEADER_BYTES;
  for (let i = 0; i < 2; i++) {
    if (at + 2 > bytes.length) return err('ERR_WIRE_TRUNCATED', 'identity fingerprint missing');
    const n = dv.getUint16(at);
    if (n > FINGERPRINT_MAX_LENGTH) return err('ERR_WIRE_TOO_BIG', 'identity fingerprint too long');
    if (at + 2 + n > bytes.length) return err('ERR_WIRE_TRUNCATED', 'identity fingerprint cut');
    const text = String.fromCharCode(...bytes.subarray(at + 2, at + 2 + n));
    if (!FINGERPRINT_RE.test(text)) return err('ERR_WIRE_BAD_FIELD', 'malformed fingerprint');
    fps.push(text);
    at += 2 + n;
  }
  if (at !== bytes.length) return err('ERR_WIRE_BAD_FIELD', 'bytes after the identity frame');
  return ok({
    type: 'identity',
    gen: dv.getUint32(1),
    key: bytes.slice(5, 5 + IDENTITY_KEY_BYTES),
    sig: bytes.slice(5 + IDENTITY_KEY_BYTES, IDENTITY_HEADER_BYTES),
    ownFp: fps[0]!,
    peerFp: fps[1]!,
  });
}

export const wireHello = (
  clientId: string,
  name: string,
  version: number = PROTOCOL_VERSION,
): WireFrame => ({
  type: 'hello',
  version,
  clientId,
  name,
});
