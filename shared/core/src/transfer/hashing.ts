/**
 * Streaming SHA-256 (hash-wasm: WebCrypto cannot hash incrementally) of a whole file plus one
 * SHA-256 per block, read block by block so memory stays at one block.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import { blockSpan, type Layout } from './layout';
import type { FileSource } from './source';

export const makeHasher = (): Promise<IHasher> => createSHA256();

export interface FileHashes {
  sha256: string;
  /** 32 bytes per block */
  blocks: Uint8Array;
  /** SHA-256 of `blocks` (the offer's `list`) */
  list: string;
}

/** SHA-256 (hex) of a block-hash list: what an offer's `list` commits to. */
export function listDigest(hasher: IHasher, blocks: Uint8Array): string {
  hasher.init();
  hasher.update(blocks);
  return hasher.digest('hex');
}

export async function hashSource(
  source: FileSource,
  layout: Layout,
  onProgress?: (bytes: number) => void,
  isCancelled: () => boolean = () => false,
): Promise<FileHashes | null> {
  const whole = await makeHasher();
  const block = await makeHasher();
  whole.init();
  const blocks = new Uint8Array(layout.blocks * 32);
  let done = 0;
  // One read ahead, so disk reads overlap hashing.
  let next: Promise<Uint8Array> | null =
    layout.blocks > 0 ? source.read(0, blockSpan(layout, 0).length) : null;
  for (let b = 0; b < layout.blocks; b++) {
    const bytes = await next!;
    if (isCancelled()) return null;
    const span = blockSpan(layout, b);
    if (bytes.length !== span.length) throw new Error('the file changed while it was being read');
    next = b + 1 < layout.blocks ? source.read(...spanArgs(layout, b + 1)) : null;
    whole.update(bytes);
    block.init();
    block.update(bytes);
    blocks.set(block.digest('binary'), b * 32);
    done += bytes.length;
    onProgress?.(done);
  }
  return { sha256: whole.digest('hex'), blocks, list: listDigest(block, blocks) };
}

function spanArgs(layout: Layout, b: number): [number, number] {
  const s = blockSpan(layout, b);
  return [s.offset, s.length];
}
