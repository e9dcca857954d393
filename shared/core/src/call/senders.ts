/**
 * Our outgoing call media on each peer's connection: at most one sender per kind (audio, video)
 * per peer for the lifetime of that connection, resumed and paused with replaceTrack.
 *
 * Why never removeTrack: a removed sender leaves its m= section in the SDP for good (only a
 * stopped transceiver's section can be recycled), and a new addTrack opens another one. Each
 * leave/rejoin added an audio and a video section (~5 KB of SDP in Chromium); after four cycles
 * the offer passed the 32 KiB signal limit, the receiver dropped it, simple-peer waited for an
 * answer that never came, and every later renegotiation queued behind it: the peer's video
 * never arrived again. With replaceTrack the SDP stays the size of one call, and rejoining
 * needs no renegotiation at all (nor does a device switch or screen share).
 *
 * simple-peer finds a sender by (track, stream). The stream here is `key`, one stream object
 * kept for the whole life of makeCall (not the getUserMedia stream of one join, which changes
 * on every join): replacing or pausing a sender added during an earlier join then still finds
 * it. It is also the msid the remote groups our tracks under, so the remote keeps one stream
 * object for us across our rejoins.
 */
import type { RoomMedia } from '../room';

const KINDS = ['audio', 'video'] as const;

interface Slot {
  /** the track simple-peer knows this sender by (the last non-null track set on it) */
  key: MediaStreamTrack;
  /** what it sends now; null = paused */
  current: MediaStreamTrack | null;
}

export interface CallSenders {
  /**
   * Make `peer` receive exactly `tracks` (at most one per kind; empty pauses everything).
   * Idempotent: only differences touch the connection. Returns false if an operation failed
   * (peer not open, or simple-peer refused); a later sync retries.
   */
  sync(peer: string, tracks: readonly MediaStreamTrack[], key: MediaStream): boolean;
  /** the peer's connection is gone or was re-created: its senders are gone with it */
  forget(peer: string): void;
  /** peers we hold senders for */
  peers(): string[];
}

export function makeCallSenders(media: RoomMedia): CallSenders {
  const byPeer = new Map<string, Map<MediaStreamTrack['kind'], Slot>>();

  return {
    sync(peer, tracks, key) {
      let slots = byPeer.get(peer);
      if (!slots) byPeer.set(peer, (slots = new Map()));
      let ok = true;
      for (const kind of KINDS) {
        const want = tracks.find((t) => t.kind === kind) ?? null;
        const slot = slots.get(kind);
        if (slot) {
          if (slot.current === want) continue;
          if (!media.replaceTrack(peer, slot.key, want, key)) {
            ok = false;
            continue;
          }
          slot.current = want;
          if (want) slot.key = want;
        } else if (want) {
          if (media.addTrack(peer, want, key)) slots.set(kind, { key: want, current: want });
          else ok = false;
        }
      }
      return ok;
    },
    forget: (peer) => void byPeer.delete(peer),
    peers: () => [...byPeer.keys()],
  };
}
