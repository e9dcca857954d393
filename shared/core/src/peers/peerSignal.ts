/**
 * The payload of a `signal` between two clients: JSON bytes, opaque to the relay, and the same
 * bytes inside a wire `signal` frame once the data channel is open (renegotiation for calls then
 * works without the server). A peer is untrusted: parsePeerSignal rebuilds a clean object with
 * only the fields simple-peer reads, never passing the received object through.
 *
 *   { v: 1, t: 'hello', cid, lost,       "I see you" on discovery; `lost` = generation of the link
 *     name, key, proof }                 to you that I lost (asks the initiator to restart it);
 *                                        `key` (base64url) hashes to `cid` and `proof` is its
 *                                        signature binding cid to the sender's relay peer id
 *                                        (identity/proofs.ts); `name` travels sealed in
 *                                        protected rooms, where the relay only gets a placeholder
 *   { v: 1, t: 'sig', cid, gen, data,    simple-peer signal data of link generation `gen`;
 *     ice? }                             `ice: 'relay'` marks a relay-only retry generation
 *                                        (iceFallback.ts): the answerer builds that link with
 *                                        TURN servers only and policy 'relay'
 *
 * `cid` is the sender's stable per-session client id (the relay assigns a new peer id on every
 * reconnect, so the cid is what identifies a peer across signaling outages).
 */
import {
  DISPLAY_NAME_MAX_LENGTH,
  IDENTITY_KEY_BYTES,
  IDENTITY_SIG_BYTES,
  SIGNAL_PAYLOAD_MAX_BYTES,
  base64url,
  cleanDisplayName,
  err,
  isObject,
  ok,
  utf8Decode,
  utf8Encode,
  type Result,
} from '@peerboard/protocol';
import { isClientId } from '@peerboard/protocol/wire';
import { fromBase64url } from '../identity/identity';

import type { SignalData } from './link';

export type { SignalData };

export type PeerSignal =
  | {
      t: 'hello';
      cid: string;
      lost: number | null;
      name: string;
      key: Uint8Array;
      proof: Uint8Array;
    }
  | { t: 'sig'; cid: string; gen: number; data: SignalData; ice?: 'relay' };

const SDP_TYPES = ['offer', 'answer', 'pranswer', 'rollback'] as const;
const isGen = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const shortString = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length <= max;

export function encodePeerSignal(msg: PeerSignal): Uint8Array {
  const body =
    msg.t === 'hello' ? { ...msg, key: base64url(msg.key), proof: base64url(msg.proof) } : msg;
  return utf8Encode(JSON.stringify({ v: 1, ...body }));
}

const fixedBytes = (v: unknown, length: number): Uint8Array | null => {
  const b = typeof v === 'string' && v.length <= 2 * length ? fromBase64url(v) : null;
  return b?.length === length ? b : null;
};

function parseSignalData(d: unknown): SignalData | null {
  if (!isObject(d)) return null;
  if (typeof d.type === 'string' && (SDP_TYPES as readonly string[]).includes(d.type)) {
    if (!shortString(d.sdp, SIGNAL_PAYLOAD_MAX_BYTES)) return null;
    return { type: d.type as (typeof SDP_TYPES)[number], sdp: d.sdp };
  }
  if (d.type === 'candidate' && isObject(d.candidate)) {
    const c = d.candidate;
    if (!shortString(c.candidate, 2048)) return null;
    const idx = c.sdpMLineIndex;
    const mid = c.sdpMid;
    if (idx !== undefined && idx !== null && !(Number.isInteger(idx) && (idx as number) >= 0))
      return null;
    if (mid !== undefined && mid !== null && !shortString(mid, 64)) return null;
    return {
      type: 'candidate',
      // simple-peer's typings say RTCIceCandidate; it only reads these init fields.
      candidate: {
        candidate: c.candidate,
        sdpMLineIndex: (idx as number | null | undefined) ?? null,
        sdpMid: (mid as string | null | undefined) ?? null,
      } as RTCIceCandidateInit as RTCIceCandidate,
    };
  }
  if (d.type === 'renegotiate' && d.renegotiate === true)
    return { type: 'renegotiate', renegotiate: true };
  if (d.type === 'transceiverRequest' && isObject(d.transceiverRequest)) {
    const kind = d.transceiverRequest.kind;
    if (kind !== 'audio' && kind !== 'video') return null;
    return { type: 'transceiverRequest', transceiverRequest: { kind } };
  }
  return null;
}

export function parsePeerSignal(bytes: Uint8Array): Result<PeerSignal, 'ERR_PEER_SIGNAL'> {
  const bad = (why: string) => err('ERR_PEER_SIGNAL' as const, why);
  if (bytes.length > SIGNAL_PAYLOAD_MAX_BYTES) return bad('signal payload too big');
  let msg: unknown;
  try {
    msg = JSON.parse(utf8Decode(bytes));
  } catch {
    return bad('signal payload is not UTF-8 JSON');
  }
  if (!isObject(msg) || msg.v !== 1) return bad('signal payload has no version 1');
  if (!isClientId(msg.cid)) return bad('signal payload has a malformed cid');
  if (msg.t === 'hello') {
    if (msg.lost !== null && !isGen(msg.lost)) return bad('hello.lost must be a generation');
    if (!shortString(msg.name, DISPLAY_NAME_MAX_LENGTH * 4)) return bad('hello.name too long');
    const key = fixedBytes(msg.key, IDENTITY_KEY_BYTES);
    const proof = fixedBytes(msg.proof, IDENTITY_SIG_BYTES);
    if (!key || !proof) return bad('hello without an identity key and proof');
    const name = cleanDisplayName(msg.name);
    return ok({ t: 'hello', cid: msg.cid, lost: msg.lost, name, key, proof });
  }
  if (msg.t === 'sig') {
    if (!isGen(msg.gen)) return bad('sig.gen must be a generation');
    if (msg.ice !== undefined && msg.ice !== 'relay') return bad('sig.ice must be "relay"');
    const data = parseSignalData(msg.data);
    if (!data) return bad('malformed sig.data');
    const sig = { t: 'sig' as const, cid: msg.cid, gen: msg.gen, data };
    return ok(msg.ice === 'relay' ? { ...sig, ice: 'relay' as const } : sig);
  }
  return bad('unknown signal payload kind');
}
