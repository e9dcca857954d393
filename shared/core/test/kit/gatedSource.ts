/**
 * Test helper (not used by the app): a FileSource over bytes whose reads ending past `openBytes`
 * wait while the gate is shut. A test holds a transfer mid-stream for as long as it needs and so
 * orders events by cause, not by speed (a small file over the in-memory network, or a fast
 * receiver over wrtc, would otherwise finish before the test got to act).
 */
import type { FileSource } from '../../src/transfer/source';

export interface GatedSource {
  source: FileSource;
  /** from now on, reads past openBytes wait (shut it after the sender has hashed the file) */
  shut(): void;
  /** lets waiting and later reads through; idempotent */
  open(): void;
}

export function makeGatedSource(data: Uint8Array, name: string, openBytes: number): GatedSource {
  let shut = false;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return {
    source: {
      name,
      size: data.length,
      type: '',
      async read(offset, length) {
        if (shut && offset + length > openBytes) await gate;
        return data.subarray(offset, offset + length);
      },
    },
    shut: () => void (shut = true),
    open() {
      shut = false;
      release();
    },
  };
}
