/**
 * The data path of an incoming file (incoming.ts), with its verification and finish: each
 * chunk checked and put into its block, each complete block checked against its entry in the
 * hash list, the verified blocks written to the sink in order (feeding the whole-file SHA-256),
 * then the whole file checked against the announced SHA-256 and the sink closed.
 */
import type { ActiveBlock } from './blockRequests';
import type { IncomingCore } from './incomingCore';
import { blockOf, blockSpan, chunkSpan, type Layout } from './layout';
import type { FileControl } from './messages';
import type { ReceivedFile } from './sink';
import type { TransferState } from './types';

export const DAMAGED =
  'The file arrived damaged: its SHA-256 fingerprint does not match the one the sender announced, so it was thrown away.';

export interface IncomingDataCtx {
  sendControl(peerId: string, msg: FileControl): boolean;
  log(msg: string): void;
  /** progress changed (IncomingCtx.changed) */
  changed(): void;
  /** verified and saved (IncomingCtx.completed) */
  completed(id: string, result: ReceivedFile, layout: Layout): void;
  setState(s: TransferState): void;
  /** a holder sent a bad block: stop asking it (`last`: the error if it was the last holder) */
  distrust(holder: string, why: string, last?: string): void;
  /** asks holders for blocks, if it is time */
  schedule(): void;
  sendAck(): void;
  scheduleAck(): void;
  fail(why: string): void;
}

export interface IncomingData {
  /** returns why the chunk was dropped, or null (Incoming.onData) */
  onData(peer: string, index: number, data: Uint8Array): string | null;
  /** writes the verified blocks that are next in order; finishes after the last one */
  flush(): Promise<void>;
}

export function makeIncomingData(c: IncomingCore, ctx: IncomingDataCtx): IncomingData {
  const { list, verified, layout, requests, stalls } = c;
  const { setState, fail } = ctx;
  let writing = false;

  function completeBlock(blk: ActiveBlock, holder: string) {
    // the offerer's blocks too: a re-announced offer makes any holder the "offerer"
    if (!list.bytes()) return;
    if (!list.matches(c.hashers!.block, blk.b, blk.buf))
      return ctx.distrust(holder, `block ${blk.b} failed its SHA-256 check`, DAMAGED);
    requests.finished(blk);
    verified.set(blk.b, blk.buf);
    void flush();
    ctx.schedule();
  }

  async function flush() {
    if (writing) return;
    writing = true;
    try {
      while (c.state === 'receiving' && verified.has(c.written)) {
        const buf = verified.get(c.written)!;
        verified.delete(c.written);
        c.hashers!.whole.update(buf);
        await c.sink!.write(buf);
        c.written++;
        ctx.scheduleAck();
        ctx.schedule();
      }
    } catch (e) {
      return fail(`The file could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      writing = false;
    }
    if (c.state === 'receiving' && c.written === layout.blocks && list.complete()) await finish();
  }

  async function finish() {
    clearInterval(c.stallTimer);
    setState('verifying');
    const digest = c.hashers!.whole.digest('hex');
    if (digest !== list.sha256()) {
      ctx.log(`transfer ${c.id}: SHA-256 mismatch (got ${digest}, announced ${list.sha256()})`);
      return fail(DAMAGED);
    }
    try {
      const result = await c.sink!.close();
      if (c.state !== 'verifying') return;
      setState('done');
      ctx.sendAck();
      ctx.sendControl(c.from, { type: 'done', id: c.id });
      ctx.completed(c.id, result, layout);
    } catch (e) {
      fail(`The file could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  function onData(peer: string, index: number, data: Uint8Array): string | null {
    const state = c.state;
    if (state === 'verifying' || state === 'done') return 'chunk after the file was complete';
    if (state !== 'receiving') return `chunk while ${state}`;
    if (index >= layout.chunks) return `chunk index ${index} out of range`;
    const blk = requests.get(blockOf(layout, index));
    if (!blk || blk.holder !== peer) return `chunk ${index} was not requested from this peer`;
    const span = blockSpan(layout, blk.b);
    const expected = span.from + blk.got;
    const cs = chunkSpan(layout, index);
    let why: string | null = null;
    if (index !== expected) why = `wrong chunk index ${index} (expected ${expected})`;
    else if (data.length !== cs.length)
      why = `chunk ${index} has ${data.length} bytes (expected ${cs.length})`;
    if (why) {
      ctx.distrust(peer, why);
      return why;
    }
    blk.buf.set(data, cs.offset - span.offset);
    blk.got++;
    blk.filled += data.length;
    c.bytes += data.length;
    stalls.progress(peer, Date.now(), data.length);
    ctx.scheduleAck();
    ctx.changed();
    if (span.from + blk.got === span.to) completeBlock(blk, peer);
    return null;
  }

  return { onData, flush };
}
