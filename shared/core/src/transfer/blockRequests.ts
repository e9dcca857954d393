/**
 * Which block of an incoming file is asked of which holder (incoming.ts): the blocks in flight,
 * how many each holder owes, the blocks to ask again, and the next block of the window.
 *
 * At most `perHolder` blocks are outstanding per holder, and new blocks are asked for only
 * inside a window of `windowBlocks` past the last written block. A block taken back from a
 * holder (it closed, stalled or lied) keeps the chunks it received and is asked again, first,
 * from the first missing chunk.
 */
import { blockSpan, type Layout } from './layout';
import type { StallWatch } from './stall';

/** A block being received: from one holder at a time, its chunks in order. */
export interface ActiveBlock {
  b: number;
  holder: string | null;
  /** chunks received, in order */
  got: number;
  filled: number;
  buf: Uint8Array;
}

export interface BlockRequests {
  /** the block in flight (asked, or taken back with what it had), if any */
  get(b: number): ActiveBlock | undefined;
  /** the block is verified: it leaves the books and its holder owes one block less */
  finished(blk: ActiveBlock): void;
  /**
   * Asks `holders` for blocks while the window and their quotas allow: blocks to ask again
   * first, then new ones. `preferred` (the offerer) gets the blocks at the window's head.
   */
  assign(
    written: number,
    holders: string[],
    preferred: string,
    want: (holder: string, from: number, to: number) => void,
  ): void;
  /** new blocks start at `b` (the blocks before it were kept from an earlier session) */
  startAt(b: number): void;
  /** the holder is gone: its blocks are asked again, keeping their chunks */
  holderClosed(holder: string): void;
  /** the holder is not trusted: its blocks are asked again from scratch; the bytes dropped */
  discardFrom(holder: string): number;
  /** every block is asked again (a new offerer takes over), keeping their chunks */
  requeueAll(): void;
  /** bytes `holder` still owes for the blocks asked of it */
  owedBy(holder: string): number;
  /** how many holders are sending blocks now */
  sources(): number;
  clear(): void;
}

export function makeBlockRequests(
  layout: Layout,
  o: { windowBlocks: number; perHolder: number; stalls: StallWatch },
): BlockRequests {
  const active = new Map<number, ActiveBlock>();
  const outstanding = new Map<string, number>();
  let retry: number[] = [];
  let nextBlock = 0;

  const release = (blk: ActiveBlock) => {
    if (blk.holder === null) return;
    const n = (outstanding.get(blk.holder) ?? 1) - 1;
    if (n > 0) outstanding.set(blk.holder, n);
    else {
      outstanding.delete(blk.holder);
      o.stalls.forget(blk.holder);
    }
    blk.holder = null;
  };
  const requeue = (blk: ActiveBlock) => {
    release(blk);
    if (!retry.includes(blk.b)) retry = [...retry, blk.b].sort((a, b) => a - b);
  };

  return {
    get: (b) => active.get(b),
    finished(blk) {
      release(blk);
      active.delete(blk.b);
    },
    assign(written, candidates, preferred, want) {
      const perHolder = o.perHolder;
      const pick = (b: number) => {
        // the head of the window gates every write: the offerer has it when it can, since a
        // swarm holder is the one more likely to be slow or lying
        const head = b < written + perHolder;
        if (head && candidates.includes(preferred) && (outstanding.get(preferred) ?? 0) < perHolder)
          return preferred;
        let best: string | null = null;
        let least = perHolder;
        for (const h of candidates) {
          const n = outstanding.get(h) ?? 0;
          if (n < least) [best, least] = [h, n];
        }
        return best;
      };
      for (;;) {
        const fromRetry = retry.length > 0;
        const b = fromRetry ? retry[0]! : nextBlock;
        if (!fromRetry && (nextBlock >= layout.blocks || nextBlock >= written + o.windowBlocks))
          break;
        const h = pick(b);
        if (h === null) break;
        if (fromRetry) retry.shift();
        else nextBlock++;
        const span = blockSpan(layout, b);
        let blk = active.get(b);
        if (!blk) {
          blk = { b, holder: null, got: 0, filled: 0, buf: new Uint8Array(span.length) };
          active.set(b, blk);
        }
        blk.holder = h;
        const owed = outstanding.get(h) ?? 0;
        if (owed === 0) o.stalls.progress(h, Date.now(), 0);
        outstanding.set(h, owed + 1);
        want(h, span.from + blk.got, span.to);
      }
    },
    startAt(b) {
      nextBlock = b;
    },
    holderClosed(holder) {
      for (const blk of active.values()) if (blk.holder === holder) requeue(blk);
      outstanding.delete(holder);
    },
    discardFrom(holder) {
      let dropped = 0;
      for (const blk of active.values()) {
        if (blk.holder !== holder) continue;
        dropped += blk.filled;
        blk.got = blk.filled = 0;
        requeue(blk);
      }
      return dropped;
    },
    requeueAll() {
      for (const blk of active.values()) requeue(blk);
      outstanding.clear();
    },
    owedBy(holder) {
      let n = 0;
      for (const blk of active.values())
        if (blk.holder === holder) n += blockSpan(layout, blk.b).length - blk.filled;
      return n;
    },
    sources: () => new Set([...active.values()].map((b) => b.holder).filter(Boolean)).size,
    clear() {
      active.clear();
      retry = [];
      outstanding.clear();
    },
  };
}
