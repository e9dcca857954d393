/** What the UI (and tests) see of transfers: plain data, safe to structuredClone into a store. */

/**
 * preparing: the sender is hashing the file. offered: waiting for accept/decline (receiver) or
 * available to the room (sender). receiving: chunks are arriving. verifying: every chunk is in,
 * the SHA-256 is being checked. done / declined / failed / cancelled: final.
 */
export type TransferState =
  | 'preparing'
  | 'offered'
  | 'receiving'
  | 'verifying'
  | 'done'
  | 'declined'
  | 'failed'
  | 'cancelled';

/**
 * left: the receiver went away mid-transfer (said goodbye, or the relay says it left); `bytes`
 * is what it had. Back to receiving if the same peer returns and asks for more.
 */
export type ReceiverState =
  'offered' | 'receiving' | 'left' | 'done' | 'declined' | 'failed' | 'cancelled';

/** One receiver of a file we offered, as the sender sees it (progress from the receiver's acks). */
export interface ReceiverView {
  peerId: string;
  state: ReceiverState;
  bytes: number;
  /** null while nothing arrives (starting, stalled, or the receiver left) */
  speed: number | null;
  /** receiving, bytes flowed once, and none for a few seconds (not merely starting) */
  stalled: boolean;
  etaSeconds: number | null;
  error: string | null;
}

export interface TransferView {
  id: string;
  direction: 'in' | 'out';
  name: string;
  size: number;
  mime: string;
  sha256: string | null;
  /** the offerer (our own client id for outgoing files) */
  peerId: string;
  /** incoming: the offerer has an open link right now */
  peerOnline: boolean;
  state: TransferState;
  /** incoming: bytes received and kept; outgoing: bytes hashed while preparing */
  bytes: number;
  /** bytes per second, moving average; null while no bytes arrive or no holder is connected */
  speed: number | null;
  /** incoming, receiving from a connected holder: bytes flowed once and none for a few seconds */
  stalled: boolean;
  etaSeconds: number | null;
  /** plain-language reason for failed/cancelled, or a note while waiting */
  error: string | null;
  /** incoming, failed: the sender could no longer read its file (the UI names the sender) */
  failure?: 'unreadable';
  /** incoming: peers we are fetching from right now (more than one = swarm) */
  sources: number;
  /** outgoing: one entry per peer that answered the offer */
  receivers: ReceiverView[];
  /** incoming offer: bytes an earlier session of ours kept ("Resume"); checked again on accept */
  resumeBytes?: number;
}

export function isFinal(state: TransferState): boolean {
  return state === 'done' || state === 'declined' || state === 'failed' || state === 'cancelled';
}
