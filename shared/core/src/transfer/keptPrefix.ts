/**
 * Resume across sessions (incoming.ts): the part of a file an earlier session kept is read back
 * once the hash list is complete, each block checked against its SHA-256 and fed to the
 * whole-file hash; the first block that fails ends the kept prefix, and the sink is told to
 * keep only what verified. The blocks after it are then asked of holders as usual.
 */
import type { IHasher } from 'hash-wasm';
import type { BlockHashList } from './blockHashList';
import { blockSpan, type Layout } from './layout';
import type { SinkResume } from './sink';

export interface KeptPrefix {
  /** blocks that verified, from the file's start */
  blocks: number;
  /** bytes the sink keeps (those blocks) */
  bytes: number;
}

/**
 * Checks what `kept` holds; null if the transfer stopped meanwhile (`receiving` false after a
 * read). `counted` hears each verified block's length as it is (progress), `mismatch` the block
 * that failed.
 */
export async function verifyKeptPrefix(
  kept: SinkResume,
  layout: Layout,
  list: BlockHashList,
  hashers: { whole: IHasher; block: IHasher },
  o: { receiving(): boolean; counted(bytes: number): void; mismatch(b: number): void },
): Promise<KeptPrefix | null> {
  let b = 0;
  for (; b < layout.blocks; b++) {
    const span = blockSpan(layout, b);
    if (span.offset + span.length > kept.existing) break;
    const data = await kept.read(span.offset, span.length);
    if (!o.receiving()) return null;
    if (!list.matches(hashers.block, b, data) || data.length !== span.length) {
      o.mismatch(b);
      break;
    }
    hashers.whole.update(data);
    o.counted(data.length);
  }
  const bytes = b === 0 ? 0 : blockSpan(layout, b - 1).offset + blockSpan(layout, b - 1).length;
  await kept.keep(bytes);
  return { blocks: b, bytes };
}
