/**
 * Chunk and block arithmetic of one file. A file of `size` bytes is cut into chunks of `chunk`
 * bytes (the last one shorter, a 0-byte file has no chunks); `blockChunks` consecutive chunks
 * form a block, the unit of per-block SHA-256 verification and of swarm scheduling.
 */
export interface Layout {
  readonly size: number;
  readonly chunk: number;
  readonly blockChunks: number;
  readonly chunks: number;
  readonly blocks: number;
}

export function makeLayout(size: number, chunk: number, blockChunks: number): Layout {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad file size ${size}`);
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new RangeError(`bad chunk size ${chunk}`);
  if (!Number.isSafeInteger(blockChunks) || blockChunks < 1)
    throw new RangeError(`bad block size ${blockChunks}`);
  const chunks = Math.ceil(size / chunk);
  return { size, chunk, blockChunks, chunks, blocks: Math.ceil(chunks / blockChunks) };
}

/** Byte offset and length of chunk `index` (0 <= index < chunks). */
export function chunkSpan(l: Layout, index: number): { offset: number; length: number } {
  const offset = index * l.chunk;
  return { offset, length: Math.max(0, Math.min(l.chunk, l.size - offset)) };
}

/** Chunk range [from, to) and byte span of block `b`. */
export function blockSpan(
  l: Layout,
  b: number,
): { from: number; to: number; offset: number; length: number } {
  const from = b * l.blockChunks;
  const to = Math.min(l.chunks, from + l.blockChunks);
  const offset = from * l.chunk;
  return { from, to, offset, length: Math.max(0, Math.min(l.size, to * l.chunk) - offset) };
}

export const blockOf = (l: Layout, index: number) => Math.floor(index / l.blockChunks);

/** Bytes in chunks [0, upto). */
export const bytesBefore = (l: Layout, upto: number) => Math.min(l.size, upto * l.chunk);
