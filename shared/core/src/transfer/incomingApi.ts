/**
 * The shape of one incoming file (incoming.ts): the context makeIncoming is given by
 * makeTransfers and the object it returns.
 */
import type { Layout } from './layout';
import type { FileControl, FileOffer } from './messages';
import type { FileSink, ReceivedFile } from './sink';
import type { TransferState, TransferView } from './types';

export interface IncomingCtx {
  sendControl(peerId: string, msg: FileControl): boolean;
  isOpen(peerId: string): boolean;
  log(msg: string): void;
  /** progress changed (the owner throttles UI updates) */
  changed(): void;
  /** the state changed (immediate) */
  stateChanged(inc: Incoming): void;
  /** verified and saved; `result.source`, if any, can be served to others (swarm) */
  completed(id: string, result: ReceivedFile, layout: Layout): void;
  /** the sink's surviving prefix grew to `bytes` (a resume record is worth updating) */
  durable?(inc: Incoming, bytes: number, place: unknown): void;
  windowBlocks?: number;
  perHolderBlocks?: number;
  /** a holder that sends nothing for at least this long (adaptive above it) is dropped */
  stallMs?: number;
}

export interface Incoming {
  /** both change when a re-shared copy of the same file takes over (continueFrom) */
  readonly id: string;
  readonly from: string;
  state(): TransferState;
  /** destroyed with its session (not cancelled by anyone): what it kept stays for a resume */
  suspended(): boolean;
  /**
   * The sender came back (or someone else shared the same file) as a new offer: carry on
   * downloading from it under its id, keeping every block we have. False if it does not fit.
   */
  continueFrom(offer: FileOffer, peer: string): boolean;
  /** our SHA-256 (from the offer or its metadata), null until known */
  sha256(): string | null;
  /**
   * Done and verified: the offer as we can re-announce it (any holder serves the file) and the
   * block-hash list we checked against its `list`; null before that, or if it had no `list`.
   */
  holding(): { offer: FileOffer & { sha256: string }; hashes: Uint8Array } | null;
  /** the offer's hash-list digest, null if it had none */
  listDigest(): string | null;
  updateOffer(offer: FileOffer): void;
  /** an earlier session kept `bytes` of this file (shown as "Resume"; checked on accept) */
  setResumable(bytes: number): void;
  accept(sink: FileSink): Promise<void>;
  decline(): void;
  cancel(): void;
  onMeta(from: string, msg: Extract<FileControl, { type: 'meta' }>): string | null;
  onHave(peerId: string): void;
  /** returns why the chunk was dropped, or null */
  onData(from: string, index: number, data: Uint8Array): string | null;
  onRemoteCancel(from: string, reason: string): void;
  onPeerOpen(peerId: string): void;
  onPeerClose(peerId: string): void;
  view(now: number): TransferView;
  destroy(): void;
}
