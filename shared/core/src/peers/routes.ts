/**
 * The mesh's view of the relay: which relay peer id (a socket, new on every reconnect) currently
 * carries which client id (stable per tab session). A peer id is bound only by a hello that
 * proves its client id (mesh.ts).
 */
import type { PeerId } from '@peerboard/protocol';

export interface RouteTable {
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
  const unbind = (peerId: PeerId, cid: string) => {
    if (routes.get(peerId) === cid) routes.delete(peerId);
  };
  return {
    cidOf: (peerId) => routes.get(peerId),
    bind(peerId, cid, previous) {
      if (previous !== null) unbind(previous, cid);
      routes.set(peerId, cid);
    },
    unbind,
    leave(peerId) {
      const cid = routes.get(peerId);
      routes.delete(peerId);
      return cid;
    },
    clear() {
      routes.clear();
    },
  };
}
