/**
 * Where a sender (or a swarm holder) reads file bytes from, slice by slice, so a file is never
 * held in memory whole: a browser File/Blob (Blob.slice reads lazily from disk), or bytes.
 * Node code can implement FileSource over a file handle (see the tests).
 */
export interface FileSource {
  readonly name: string;
  readonly size: number;
  /** MIME type, '' if unknown */
  readonly type: string;
  /** a File's modification time (ms), if known: tells two same-named same-sized files apart */
  readonly lastModified?: number;
  /** Reads `length` bytes at `offset` (never past the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function blobSource(blob: Blob, name = (blob as File).name ?? 'file'): FileSource {
  return {
    name,
    size: blob.size,
    type: blob.type,
    lastModified:
      typeof (blob as File).lastModified === 'number' ? (blob as File).lastModified : undefined,
    read: async (offset, length) =>
      new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

export function bytesSource(bytes: Uint8Array, name: string, type = ''): FileSource {
  return {
    name,
    size: bytes.length,
    type,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}
