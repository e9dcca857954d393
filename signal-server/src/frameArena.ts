/**
 * Copies of forwarded frames that wait for the end of the loop turn (delivery.ts). uWS's message
 * ArrayBuffer is only valid during the handler, so a frame queued past it must be copied; one
 * reused slab makes that a memcpy plus a view instead of an ArrayBuffer and its backing store per
 * frame. The views are only valid until `reset()`, which the flush calls once everything queued
 * has been handed to uWS (ws.send copies the bytes).
 */
export const ARENA_BYTES = 256 * 1024;

export class FrameArena {
  private readonly slab: Uint8Array;
  private used = 0;

  constructor(bytes = ARENA_BYTES) {
    this.slab = new Uint8Array(bytes);
  }

  /** A copy of `frame` that stays valid until reset(). */
  copy(frame: Uint8Array): Uint8Array {
    const end = this.used + frame.length;
    // A turn that queues more than the slab (rare: a burst of large signals) pays an allocation.
    if (end > this.slab.length) return frame.slice();
    const view = this.slab.subarray(this.used, end);
    view.set(frame);
    this.used = end;
    return view;
  }

  reset(): void {
    this.used = 0;
  }
}
