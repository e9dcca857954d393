/**
 * Following someone from outside the board: the People list and the header avatars name people
 * by room peer (PeerInfo.id), the board follows presences. The room page makes one link, the
 * board plugs itself in while mounted, and the lists ask through it (nothing to follow until
 * the board is there).
 */
import { createSignal, type Accessor } from 'solid-js';

export interface FollowTarget {
  followPeer(peerId: string): void;
  canFollowPeer(peerId: string): boolean;
  followedPeers: Accessor<readonly string[]>;
}

export interface FollowLink {
  /** follow that peer's person (all their tabs); again to stop */
  toggle(peerId: string): void;
  /** they are on the board sharing their view */
  canFollow(peerId: string): boolean;
  /** we follow that peer's person now */
  isFollowed(peerId: string): boolean;
  /** the board plugs itself in; the returned function unplugs it */
  attach(target: FollowTarget): () => void;
}

export function makeFollowLink(): FollowLink {
  const [target, setTarget] = createSignal<FollowTarget | null>(null);
  return {
    toggle: (peerId) => target()?.followPeer(peerId),
    canFollow: (peerId) => target()?.canFollowPeer(peerId) ?? false,
    isFollowed: (peerId) => target()?.followedPeers().includes(peerId) ?? false,
    attach(t) {
      setTarget(() => t);
      return () => setTarget((now) => (now === t ? null : now));
    },
  };
}
