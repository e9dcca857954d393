/**
 * The mesh's view of the relay: which relay peer id (a socket, new on every reconnect) currently
 * carries which client id (stable per tab session), and the display name the relay announced
 * for each peer id until that peer's own hello arrives over the data channel.
 */
import type { PeerId } from '@peerboard/protocol';

export interface RouteTable {
  /** the relay announced `peerId` (joined / peer_joined) under `name` */
  announce(peerId: PeerId, name: string): void;
  nameOf(peerId: PeerId): string | undefined;
  cidOf(peerId: PeerId): string | undefined;
  /** `peerId` now carries `cid`; `previous` (that cid's old peer id) stops routing to it */
  bind(peerId: PeerId, cid: string, previous: PeerId | null): void;
  /** forgets `peerId` if it still routes to `cid` */
  unbind(peerId: PeerId, cid: string): void;
  /** the relay says `peerId` left: returns the client id it carried, if any */
  leave(peerId: PeerId): string | undefined;
  /** a new relay socket: every old peer id is void */
  clear(): void;
}

export function makeRouteTable(): RouteTable {
  const routes = new Map<PeerId, string>();
  const names = new Map<PeerId, string>();
  const unbind = (peerId: PeerId, cid: string) => {
    if (routes.get(peerId) === cid) routes.delete(peerId);
  };
  return {
    announce: (peerId, name) => void names.set(peerId, name),
    nameOf: (peerId) => names.get(peerId),
    cidOf: (peerId) => routes.get(peerId),
    bind(peerId, cid, previous) {
      if (previous !== null) unbind(previous, cid);
      routes.set(peerId, cid);
    },
    unbind,
    leave(peerId) {
      names.delete(peerId);
      const cid = routes.get(peerId);
      routes.delete(peerId);
      return cid;
    },
    clear() {
      routes.clear();
      names.clear();
    },
  };
}
