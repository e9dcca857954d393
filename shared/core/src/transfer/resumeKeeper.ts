/**
 * What makeTransfers keeps in a ResumeStore (resumeStore.ts): a record per download as it
 * becomes durable, the record an earlier session kept for an offer of the same content (shown as
 * "Resume" and checked again on accept), and the drop once a download ends for good.
 */
import type { Incoming } from './incoming';
import type { ResumeRecord, ResumeStore } from './resumeStore';

export interface ResumeKeeperCtx {
  /** none: nothing is kept */
  store: ResumeStore | undefined;
  log: (msg: string) => void;
  shapeOf(inc: Incoming): { chunk: number; block: number };
  /** the session is over: nothing new is recorded */
  stopped(): boolean;
}

export interface ResumeKeeper {
  /** looks for a record of this offer's content (once its SHA-256 is known) */
  look(inc: Incoming): void;
  /** drops the record of a download that ended for good (not one merely suspended) */
  stateChanged(inc: Incoming): void;
  /** `bytes` of this download are on disk at `place` */
  durable(inc: Incoming, bytes: number, place: ResumeRecord['place']): void;
  recordOf(inc: Incoming): ResumeRecord | null;
  /** "Forget": the offer downloads afresh */
  forget(inc: Incoming): void;
}

export function makeResumeKeeper(ctx: ResumeKeeperCtx): ResumeKeeper {
  /** resume records found for offers, by SHA-256 */
  const kept = new Map<string, ResumeRecord>();
  /** store writes, one after another: a drop never overtakes the last put */
  let storeQueue = Promise.resolve();
  const store = (what: string, fn: (r: ResumeStore) => Promise<void>) => {
    const r = ctx.store;
    if (!r) return;
    storeQueue = storeQueue.then(() => fn(r)).catch((e) => ctx.log(`resume ${what}: ${String(e)}`));
  };

  return {
    look(inc) {
      const sha = inc.sha256();
      const r = ctx.store;
      if (!r || !sha || inc.state() !== 'offered') return;
      const shape = ctx.shapeOf(inc);
      void r
        .find(sha)
        .then((rec) => {
          if (!rec || inc.state() !== 'offered') return;
          const v = inc.view(Date.now());
          if (rec.size !== v.size || rec.chunk !== shape.chunk || rec.block !== shape.block) return;
          kept.set(sha, rec);
          inc.setResumable(rec.bytes);
        })
        .catch((e) => ctx.log(`resume lookup: ${String(e)}`));
    },
    stateChanged(inc) {
      const sha = inc.sha256();
      const s = inc.state();
      if (
        sha &&
        !inc.suspended() &&
        (s === 'done' || s === 'declined' || s === 'cancelled' || s === 'failed')
      ) {
        kept.delete(sha);
        store('drop', (r) => r.drop(sha, s !== 'done'));
      }
    },
    durable(inc, bytes, place) {
      const sha = inc.sha256();
      if (!sha || ctx.stopped()) return;
      const v = inc.view(Date.now());
      const rec: ResumeRecord = {
        sha256: sha,
        ...ctx.shapeOf(inc),
        size: v.size,
        name: v.name,
        mime: v.mime,
        sender: inc.from,
        bytes,
        place,
      };
      store('put', (r) => r.put(rec));
    },
    recordOf(inc) {
      const sha = inc.sha256();
      return (sha && kept.get(sha)) || null;
    },
    forget(inc) {
      const sha = inc.sha256();
      if (!sha || !kept.delete(sha)) return;
      inc.setResumable(0);
      store('forget', (r) => r.drop(sha, true));
    },
  };
}
