/**
 * The state of one incoming file (incoming.ts), kept in one object that the pieces of the
 * receiver share (incomingHashList.ts, incomingData.ts, incomingRestore.ts, incomingView.ts):
 * its offer and sender, where it stands, its holders, the blocks in flight and verified, and
 * what an earlier session kept. Each piece reads and changes this same object, never a copy.
 */
import { FILE_HOLDER_OUTSTANDING_BLOCKS, FILE_RECEIVE_WINDOW_BLOCKS } from '@peerboard/protocol';
import type { IHasher } from 'hash-wasm';
import { makeBlockHashList, type BlockHashList } from './blockHashList';
import { makeBlockRequests, type BlockRequests } from './blockRequests';
import { makeLayout, type Layout } from './layout';
import type { FileOffer } from './messages';
import { makeRate, type Rate } from './rate';
import { makeStallWatch, type StallWatch } from './stall';
import type { FileSink } from './sink';
import type { TransferState } from './types';

export interface IncomingCore {
  offer: FileOffer;
  /** id and from both change when a re-shared copy of the same file takes over (continueFrom) */
  id: string;
  from: string;
  readonly layout: Layout;
  state: TransferState;
  error: string | null;
  failure: 'unreadable' | null;
  sink: FileSink | null;
  hashers: { whole: IHasher; block: IHasher } | null;
  /** the holder we asked for the hash list (the offerer unless its list was refused) */
  metaFrom: string;
  readonly list: BlockHashList;
  readonly holders: Set<string>;
  readonly bad: Set<string>;
  readonly verified: Map<number, Uint8Array>;
  written: number;
  bytes: number;
  readonly rate: Rate;
  readonly stalls: StallWatch;
  readonly requests: BlockRequests;
  stallTimer: ReturnType<typeof setInterval> | undefined;
  /** bytes an earlier session kept (claimed by its record until restore() has checked them) */
  resumable: number;
  /** a kept prefix is being read back and checked: nothing is requested meanwhile */
  restoring: 'no' | 'waiting' | 'running';
}

export interface IncomingCoreOptions {
  windowBlocks?: number;
  perHolderBlocks?: number;
  stallMs?: number;
}

export function makeIncomingCore(
  initial: FileOffer,
  sender: string,
  o: IncomingCoreOptions,
): IncomingCore {
  const offer = initial;
  const from = sender;
  const layout = makeLayout(offer.size, offer.chunk, offer.block);
  const list = makeBlockHashList(layout);
  const rate = makeRate();
  const stalls = makeStallWatch(o.stallMs);
  const requests = makeBlockRequests(layout, {
    windowBlocks: o.windowBlocks ?? FILE_RECEIVE_WINDOW_BLOCKS,
    perHolder: o.perHolderBlocks ?? FILE_HOLDER_OUTSTANDING_BLOCKS,
    stalls,
  });
  return {
    offer,
    id: offer.id,
    from,
    layout,
    state: 'offered',
    error: null,
    failure: null,
    sink: null,
    hashers: null,
    metaFrom: from,
    list,
    holders: new Set<string>([from]),
    bad: new Set<string>(),
    verified: new Map<number, Uint8Array>(),
    written: 0,
    bytes: 0,
    rate,
    stalls,
    requests,
    stallTimer: undefined,
    resumable: 0,
    restoring: 'no',
  };
}
