import { describe, expect, it, vi } from 'vitest';
import { defaultYield, makeYieldingQueue } from './yieldingQueue';

/** tasks the queue asked for, run one at a time by the test; a clock the handler advances */
function harness(opts: { maxBytes?: number; budgetMs?: number; costMs?: number } = {}) {
  const tasks: (() => void)[] = [];
  let clock = 0;
  const handled: number[] = [];
  const overflow = vi.fn();
  const q = makeYieldingQueue({
    handle: (m) => {
      handled.push(m[0]!);
      clock += opts.costMs ?? 3;
    },
    maxBytes: opts.maxBytes ?? 1024,
    onOverflow: overflow,
    budgetMs: opts.budgetMs ?? 4,
    yieldTo: (fn) => tasks.push(fn),
    now: () => clock,
  });
  const runTask = () => tasks.shift()!();
  return { q, tasks, handled, overflow, runTask };
}

const msg = (tag: number, size = 10) => new Uint8Array(size).fill(tag);

describe('makeYieldingQueue', () => {
  it('handles nothing inside push: one task is asked for, however many messages arrive', () => {
    const h = harness();
    for (let i = 0; i < 5; i++) h.q.push(msg(i));
    expect(h.handled).toEqual([]);
    expect(h.tasks).toHaveLength(1);
    expect(h.q.queuedBytes()).toBe(50);
  });

  it('handles in order, stops a task once its budget is spent, and asks for the next task', () => {
    const h = harness({ budgetMs: 4, costMs: 3 });
    for (let i = 0; i < 5; i++) h.q.push(msg(i));
    h.runTask();
    // 3 ms, then 6 ms >= 4: two per task
    expect(h.handled).toEqual([0, 1]);
    expect(h.tasks).toHaveLength(1);
    h.runTask();
    h.runTask();
    expect(h.handled).toEqual([0, 1, 2, 3, 4]);
    expect(h.tasks).toHaveLength(0);
    expect(h.q.queuedBytes()).toBe(0);
  });

  it('handles one message per task when each costs more than the budget', () => {
    const h = harness({ budgetMs: 4, costMs: 50 });
    for (let i = 0; i < 3; i++) h.q.push(msg(i));
    h.runTask();
    expect(h.handled).toEqual([0]);
    // what runs between the tasks (a control frame's event) comes before message 1
    h.runTask();
    expect(h.handled).toEqual([0, 1]);
  });

  it('past maxBytes tells the owner once and handles nothing more', () => {
    const h = harness({ maxBytes: 100 });
    for (let i = 0; i < 10; i++) h.q.push(msg(i));
    expect(h.overflow).not.toHaveBeenCalled();
    h.q.push(msg(10));
    h.q.push(msg(11));
    expect(h.overflow).toHaveBeenCalledTimes(1);
    h.runTask();
    expect(h.handled).toEqual([]);
  });

  it('drops what is queued on destroy', () => {
    const h = harness();
    h.q.push(msg(1));
    h.q.destroy();
    h.runTask();
    h.q.push(msg(2));
    expect(h.handled).toEqual([]);
    expect(h.q.queuedBytes()).toBe(0);
  });

  it('defaultYield runs the function in a later task, never inside the call', async () => {
    const order: string[] = [];
    defaultYield()(() => order.push('yielded'));
    order.push('sync');
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['sync', 'yielded']);
  });
});
