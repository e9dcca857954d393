/**
 * Resume across sessions for an incoming file (incoming.ts): on accept into a sink that kept a
 * prefix from an earlier session, that prefix is read back and checked (keptPrefix.ts) before
 * anything is requested; downloading carries on after the blocks that verify.
 */
import type { IncomingCore } from './incomingCore';
import { verifyKeptPrefix } from './keptPrefix';

export interface IncomingRestoreCtx {
  log(msg: string): void;
  /** the sink's surviving prefix is `bytes` (IncomingCtx.durable) */
  durable(bytes: number, place: unknown): void;
  changed(): void;
  sendAck(): void;
  flush(): Promise<void>;
  /** asks holders for blocks, if it is time */
  schedule(): void;
  fail(why: string): void;
}

export function makeIncomingRestore(c: IncomingCore, ctx: IncomingRestoreCtx): () => Promise<void> {
  const { layout, list, requests, rate } = c;
  const { flush, fail } = ctx;

  /** Reads back what an earlier session kept and keeps the prefix whose blocks verify. */
  async function restore() {
    c.restoring = 'running';
    const kept = c.sink!.resume!;
    try {
      const prefix = await verifyKeptPrefix(kept, layout, list, c.hashers!, {
        receiving: () => c.state === 'receiving',
        counted: (n) => (c.bytes += n),
        mismatch: (b) =>
          ctx.log(
            `transfer ${c.id}: kept block ${b} does not match its SHA-256; fetching from there`,
          ),
      });
      if (prefix === null || c.state !== 'receiving') return;
      c.written = prefix.blocks;
      requests.startAt(prefix.blocks);
      c.resumable = 0;
      rate.reset(c.bytes, Date.now());
      c.restoring = 'no';
      ctx.durable(prefix.bytes, kept.place);
      ctx.sendAck();
      ctx.changed();
      if (c.written === layout.blocks) return void flush();
      ctx.schedule();
    } catch (e) {
      fail(
        `The saved part of this file could not be read: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  return restore;
}
