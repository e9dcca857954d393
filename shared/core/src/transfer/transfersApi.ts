/**
 * The public shape of makeTransfers (transfers.ts): its options, events and the object the UI
 * and tests call.
 */
import type { Unsubscribe } from '../types';
import type { FolderSource, FolderView } from './folders';
import type { ImageBlobs, ImageBlobStore } from './imageBlobs';
import type { ResumeRecord, ResumeStore } from './resumeStore';
import type { TransferRoom } from './room';
import type { FileSink, ReceivedFile } from './sink';
import type { FileSource } from './source';
import type { TransferState, TransferView } from './types';

export interface TransfersOptions {
  room: TransferRoom;
  log?: (msg: string) => void;
  /** data bytes per chunk (default FILE_CHUNK_BYTES: one chunk frame = one wire message) */
  chunkBytes?: number;
  blockChunks?: number;
  windowBlocks?: number;
  perHolderBlocks?: number;
  /** least time a swarm holder may owe requested data without sending any (default 4 s) */
  stallMs?: number;
  /** a source read that takes longer fails that file's request (default 30 s, server.ts) */
  readTimeoutMs?: number;
  /** accept() without a sink assembles in memory up to this size */
  memorySinkMaxBytes?: number;
  /** every chunk handed to the channel (tests count resends) */
  onChunkSent?: (peerId: string, id: string, index: number, bytes: number) => void;
  /** remembers unfinished downloads across sessions (resumeStore.ts); none: nothing is kept */
  resume?: ResumeStore;
  /** where board images are kept across reloads (imageBlobs.ts); none: memory only */
  imageStore?: ImageBlobStore;
}

export type TransfersEvents = {
  /** something changed; at most every 100 ms */
  change: null;
  /** a transfer (or one receiver of an outgoing file) changed state; immediate */
  state: { id: string; direction: 'in' | 'out'; state: TransferState; peerId: string };
};

export interface Transfers {
  offer(source: FileSource): string;
  /** Offers a folder as one item: a manifest of its tree, then one offer per file. */
  offerFolder(folder: FolderSource): string;
  /** shared folders, ours and offered to us (their files are in list() too) */
  folders(): FolderView[];
  folder(id: string): FolderView | null;
  /** Sender: stops sharing the folder (every file, offered or still waiting to be hashed). */
  cancelFolder(id: string): void;
  /**
   * Receiver: declines a folder: its files offered so far, and those its sender offers later
   * (a folder's files come a few at a time as the sender hashes them). Files being received
   * are cancelled.
   */
  declineFolder(id: string): void;
  /** Forgets a folder (its files stay transfers: cancel or remove them first). */
  forgetFolder(id: string): void;
  /** Starts receiving. Rejects with a plain-language Error if the file needs a streaming sink. */
  accept(id: string, sink?: FileSink): Promise<void>;
  decline(id: string): void;
  /** Sender: withdraws the file for everyone. Receiver: stops this download. */
  cancel(id: string): void;
  /** Forgets a finished transfer (removes it from the list). */
  remove(id: string): void;
  list(): TransferView[];
  get(id: string): TransferView | null;
  received(id: string): ReceivedFile | null;
  /** what an earlier session kept of this incoming offer (open the sink from its place) */
  resumeOf(id: string): ResumeRecord | null;
  /** "Forget": drops what an earlier session kept of this offer; it downloads afresh */
  forgetResume(id: string): void;
  /**
   * where unfinished downloads are remembered (a folder keeps its record there), if anywhere;
   * null once destroyed: a session that ends (a closed tab) forgets nothing it kept
   */
  readonly resumeStore: ResumeStore | null;
  on<K extends keyof TransfersEvents>(e: K, fn: (p: TransfersEvents[K]) => void): Unsubscribe;
  /** diagnostics: requests being served, frames dropped */
  stats(): { serving: number; dropped: number };
  /** board image bytes by SHA-256 (never in list(): they are not files anyone offered) */
  readonly images: ImageBlobs;
  destroy(): void;
}
