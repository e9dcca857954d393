/**
 * Bulk messages received, handled in tasks of their own (issue 18, "small frames behind bulk").
 *
 * A received file block is hashed and written on the receiving page's main thread. Handled
 * inside its message event, every bulk message that arrived before a control frame ran in
 * full before that frame was looked at: 28 ms p50 / ~390 ms p99 for a room ping under a
 * saturating transfer in Chromium. Here the bulk channel's message event only queues the
 * message; the queue drains in separate tasks with a small time budget each, so a control
 * message event that arrives meanwhile runs before the next slice of bulk work.
 *
 * Bounded: an honest sender only sends what the receiver asked for (the transfer's receive
 * window), so the queue stays far below `maxBytes`; past it the owner is told (the link ends).
 */

/** Runs `fn` in a later task, after pending I/O and message events (not a microtask). */
export type Yield = (fn: () => void) => void;

/**
 * Node: setImmediate (after the poll phase, where WebRTC events arrive). Browsers: a
 * MessageChannel task (setTimeout(0) is clamped to 4 ms once nested, and hidden tabs throttle
 * timers; scheduler.postTask at background priority could starve a transfer in a busy page).
 */
export function defaultYield(): Yield {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const si = g.setImmediate;
    return (fn) => void si(fn);
  }
  if (typeof MessageChannel === 'function') {
    const mc = new MessageChannel();
    const waiting: (() => void)[] = [];
    mc.port1.onmessage = () => waiting.shift()?.();
    return (fn) => {
      waiting.push(fn);
      mc.port2.postMessage(null);
    };
  }
  return (fn) => void setTimeout(fn, 0);
}

export interface YieldingQueueOptions {
  handle(message: Uint8Array): void;
  /** queued bytes past which `onOverflow` is called once and the queue stops */
  maxBytes: number;
  onOverflow(): void;
  /** work per task, ms: at least one message is handled per task */
  budgetMs?: number;
  yieldTo?: Yield;
  now?: () => number;
}

export interface YieldingQueue {
  push(message: Uint8Array): void;
  queuedBytes(): number;
  /** drops what is queued; nothing is handled afterwards */
  destroy(): void;
}

export function makeYieldingQueue(o: YieldingQueueOptions): YieldingQueue {
  const budget = o.budgetMs ?? 4;
  const yieldTo = o.yieldTo ?? defaultYield();
  const now = o.now ?? (() => performance.now());
  let items: Uint8Array[] = [];
  let head = 0;
  let bytes = 0;
  let scheduled = false;
  let stopped = false;

  const drain = () => {
    scheduled = false;
    const start = now();
    while (!stopped && head < items.length) {
      const m = items[head]!;
      items[head++] = EMPTY;
      bytes -= m.length;
      o.handle(m);
      if (now() - start >= budget) break;
    }
    if (head === items.length) {
      items = [];
      head = 0;
    } else if (!stopped) schedule();
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    yieldTo(drain);
  };

  return {
    push(message) {
      if (stopped) return;
      bytes += message.length;
      if (bytes > o.maxBytes) {
        stopped = true;
        items = [];
        o.onOverflow();
        return;
      }
      items.push(message);
      schedule();
    },
    queuedBytes: () => bytes,
    destroy() {
      stopped = true;
      items = [];
      head = 0;
      bytes = 0;
    },
  };
}

const EMPTY = new Uint8Array(0);
