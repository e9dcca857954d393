/**
 * Decode a remote awareness update defensively before y-protocols applies it. Awareness is a
 * last-writer-wins map keyed by client id, and y-protocols applies whatever it is given: a peer
 * could overwrite our own entry, speak for other peers, or send huge JSON. We keep only entries
 * a peer may legitimately send and re-encode them.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const AWARENESS_LIMITS = {
  /** entries in one update (a peer sends its own state: 1; some slack for reconnects) */
  maxEntries: 8,
  /** JSON text of one state */
  maxStateChars: 16 * 1024,
} as const;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** null = the client left */
  state: Record<string, unknown> | null;
}

/** Throws on malformed bytes (the caller logs and drops the frame). */
export function decodeAwarenessUpdate(bytes: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(decoder);
  if (count > AWARENESS_LIMITS.maxEntries) throw new Error(`awareness: ${count} entries`);
  const out: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    // check the declared length before decoding a possibly huge string
    const peekLength = decoding.peekVarUint(decoder);
    if (peekLength > AWARENESS_LIMITS.maxStateChars * 4)
      throw new Error('awareness: state too large');
    const json = decoding.readVarString(decoder);
    if (json.length > AWARENESS_LIMITS.maxStateChars) throw new Error('awareness: state too large');
    const state: unknown = JSON.parse(json);
    if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
      throw new Error('awareness: state is not an object');
    if (!Number.isSafeInteger(clientId) || !Number.isSafeInteger(clock))
      throw new Error('awareness: bad client id or clock');
    out.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new Error('awareness: trailing bytes');
  return out;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}
