/**
 * The way in for a peer's document update: schema (docSchema.ts), then budgets (docBudget.ts),
 * then apply. An update that hangs off content we do not have yet is not an attack by itself:
 * in a full mesh, B's edit of A's new element can overtake A's own update on another link. Such
 * an update is held (a few per peer, bounded in bytes) and tried again after each update that
 * applies; one that still cannot be placed when the hold is full is dropped, and anti-entropy
 * (the periodic SyncStep1) brings it back once its parent is here.
 */
import type * as Y from 'yjs';
import type { PeerId } from '@peerboard/protocol';
import type { Unsubscribe } from '../types';
import { makeDocBudget, type DocBudgetCode, type DocBudgetOptions } from './docBudget';
import {
  checkDocUpdate,
  type DocSchemaCode,
  type DocUpdateCheck,
  type StructsCheck,
} from './docSchema';
import { applyRecorded, UpdateRefusal, type StructRecord } from './structRecords';
import { RemoteOrigin, type DocUpdates } from './docUpdates';

/** A peer's update that was not applied, and why. */
export interface RefusedUpdate {
  peer: PeerId;
  code: DocSchemaCode | DocBudgetCode;
  message: string;
}

export const HOLD_LIMITS = { updatesPerPeer: 32, bytesPerPeer: 1024 * 1024 } as const;

export interface UpdateGate {
  /** true if applied now or held for later; false if refused (reported) */
  offer(peer: PeerId, update: Uint8Array, solicited: boolean): boolean;
  /** a local update of `bytes` (counts against the document's ceiling) */
  added(bytes: number): void;
  forgetPeer(peer: PeerId): void;
  full(): boolean;
  onRefused(fn: (refused: RefusedUpdate) => void): Unsubscribe;
  destroy(): void;
}

interface Held {
  update: Uint8Array;
  solicited: boolean;
}

export function makeUpdateGate(
  doc: Y.Doc,
  updates: DocUpdates,
  budgetOptions?: DocBudgetOptions,
  check: DocUpdateCheck = checkDocUpdate,
): UpdateGate {
  const budget = makeDocBudget(doc, budgetOptions);
  const listeners = new Set<(refused: RefusedUpdate) => void>();
  const held = new Map<PeerId, Held[]>();

  const refuse = (refused: RefusedUpdate): false => {
    for (const fn of listeners) fn(refused);
    return false;
  };

  /** 'applied', 'unresolved', or the refusal */
  function tryApply(peer: PeerId, h: Held): 'applied' | 'unresolved' | RefusedUpdate {
    const structs = check.structs;
    if (structs) return applyOnce(peer, h, structs);
    const checked = check(doc, h.update);
    if (!checked.ok && checked.code === 'ERR_DOC_UNRESOLVED') return 'unresolved';
    const admitted = checked.ok ? budget.admit(peer, checked.value.newBytes, h.solicited) : checked;
    if (!admitted.ok) return { peer, code: admitted.code, message: admitted.message };
    updates.applyRemote(h.update, new RemoteOrigin(peer));
    return 'applied';
  }

  /**
   * Check and apply from one decode (structRecords.ts): the check runs on what Yjs has read,
   * before it integrates anything, and a refusal leaves the document as it was.
   */
  function applyOnce(
    peer: PeerId,
    h: Held,
    structs: StructsCheck,
  ): 'applied' | 'unresolved' | RefusedUpdate {
    const onRead = (records: StructRecord[]): void => {
      const checked = structs.check(doc, records, h.update.length);
      const admitted = checked.ok
        ? budget.admit(peer, checked.value.newBytes, h.solicited)
        : checked;
      if (!admitted.ok) throw new UpdateRefusal(admitted.code, admitted.message);
    };
    try {
      updates.applyRemote(h.update, new RemoteOrigin(peer), (d, u, origin) =>
        applyRecorded(d, u, origin, { root: structs.root, onRead }),
      );
      return 'applied';
    } catch (e) {
      if (!(e instanceof UpdateRefusal))
        return { peer, code: 'ERR_DOC_MALFORMED', message: `unreadable update: ${String(e)}` };
      if (e.code === 'ERR_DOC_UNRESOLVED') return 'unresolved';
      return { peer, code: e.code as RefusedUpdate['code'], message: e.message };
    }
  }

  /** Held updates whose parents may have arrived: try again until nothing more applies. */
  function retryHeld(): void {
    for (let progress = true; progress;) {
      progress = false;
      for (const [peer, list] of held) {
        for (const h of [...list]) {
          const r = tryApply(peer, h);
          if (r === 'unresolved') continue;
          list.splice(list.indexOf(h), 1);
          if (r === 'applied') progress = true;
          else refuse(r);
        }
        if (list.length === 0) held.delete(peer);
      }
    }
  }

  return {
    offer(peer, update, solicited) {
      const h = { update, solicited };
      const r = tryApply(peer, h);
      if (r === 'applied') {
        if (held.size > 0) retryHeld();
        return true;
      }
      if (r !== 'unresolved') return refuse(r);
      const list = held.get(peer) ?? [];
      const bytes = list.reduce((n, x) => n + x.update.length, update.length);
      if (list.length >= HOLD_LIMITS.updatesPerPeer || bytes > HOLD_LIMITS.bytesPerPeer)
        return refuse({
          peer,
          code: 'ERR_DOC_UNRESOLVED',
          message: 'refers to content this document does not have (too many such updates held)',
        });
      list.push(h);
      held.set(peer, list);
      return true;
    },
    added: (bytes) => budget.added(bytes),
    forgetPeer(peer) {
      held.delete(peer);
      budget.forgetPeer(peer);
    },
    full: () => budget.full(),
    onRefused(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    destroy() {
      held.clear();
      listeners.clear();
    },
  };
}
