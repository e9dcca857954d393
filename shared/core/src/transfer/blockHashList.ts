/**
 * The per-block SHA-256 list an incoming file is checked against (incoming.ts): it arrives in
 * `meta` pages of FILE_HASHES_PER_META hashes from the holder we asked, and every received block
 * (and every block an earlier session kept) must match its entry before it is written.
 */
import { FILE_HASHES_PER_META } from '@peerboard/protocol';
import type { IHasher } from 'hash-wasm';
import { listDigest } from './hashing';
import type { Layout } from './layout';
import { base64ToBytes, type FileControl } from './messages';

export interface BlockHashList {
  /** the list (32 bytes a block), null before `allocate` */
  bytes(): Uint8Array | null;
  /** on accept: never allocated for an offer nobody took */
  allocate(): void;
  /** the whole file's SHA-256 the pages announced, null before the first page */
  sha256(): string | null;
  /** every page is in */
  complete(): boolean;
  /** Takes a page, or says why it is refused (`offerSha`: the offer's own SHA-256, if any). */
  take(msg: Extract<FileControl, { type: 'meta' }>, offerSha: string | null): string | null;
  /** the pages are not to be believed (another holder is asked for them) */
  forget(): void;
  /** SHA-256 (hex) of the whole list, as an offer's `list` commits to it */
  digest(hasher: IHasher): string;
  /** block `b`'s bytes match its entry (false while the list is not allocated) */
  matches(hasher: IHasher, b: number, data: Uint8Array): boolean;
}

export function makeBlockHashList(layout: Layout): BlockHashList {
  const pages = Math.ceil(layout.blocks / FILE_HASHES_PER_META);
  const pagesSeen = new Set<number>();
  let hashes: Uint8Array | null = null;
  let sha: string | null = null;

  return {
    bytes: () => hashes,
    allocate() {
      hashes = new Uint8Array(layout.blocks * 32);
    },
    sha256: () => sha,
    complete: () => sha !== null && pagesSeen.size === pages,
    take(msg, offerSha) {
      if (!hashes) return 'meta before the file was accepted';
      const list = base64ToBytes(msg.hashes);
      const count = Math.min(FILE_HASHES_PER_META, layout.blocks - msg.first);
      const why =
        offerSha !== null && msg.sha256 !== offerSha
          ? 'meta disagrees with offer'
          : sha !== null && msg.sha256 !== sha
            ? 'meta changed its sha256'
            : (
                  layout.blocks === 0
                    ? msg.first !== 0
                    : msg.first % FILE_HASHES_PER_META !== 0 || msg.first >= layout.blocks
                )
              ? `bad meta page ${msg.first}`
              : !list || list.length !== count * 32
                ? 'meta hash list has the wrong length'
                : null;
      if (why !== null || !list) return why ?? 'bad hash list';
      hashes.set(list, msg.first * 32);
      sha = msg.sha256;
      if (layout.blocks > 0) pagesSeen.add(msg.first);
      return null;
    },
    forget() {
      sha = null;
      pagesSeen.clear();
    },
    digest: (hasher) => listDigest(hasher, hashes!),
    matches(hasher, b, data) {
      hasher.init();
      hasher.update(data);
      const got = hasher.digest('binary');
      const want = hashes?.subarray(b * 32, b * 32 + 32);
      return want !== undefined && got.every((v, i) => v === want[i]);
    },
  };
}
