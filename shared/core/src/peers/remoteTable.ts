/**
 * Who is who: the mesh's remotes by stable client id, and which relay peer id (a socket, new on
 * every reconnect) currently carries each (routes.ts). A peer id is bound to a client id only by
 * a relay hello whose key hashes to that id and whose proof signs "cid is on this peer id"
 * (signalIo.ts checks it before `bind`), so a member can never move another member's client id
 * onto its own socket.
 */
import type { PeerId } from '@peerboard/protocol';
import type { PeerSignal } from './peerSignal';
import type { Remote } from './remote';
import { makeRouteTable } from './routes';

type ProvedHello = Extract<PeerSignal, { t: 'hello' }>;

export interface RemoteTableOptions {
  log: (msg: string) => void;
  changed: () => void;
  /** r lost its relay route (its socket now proves another client id) */
  unrouted: (r: Remote) => void;
}

export interface RemoteTable {
  get(cid: string): Remote | undefined;
  has(cid: string): boolean;
  all(): Remote[];
  /** the client id a peer id proved, if it still routes to it */
  cidOf(peerId: PeerId): string | undefined;
  /**
   * Binds a relay peer id to the client id whose hello proof it just presented: a new client,
   * or a known one on a new socket (a reconnect: the proof names the new peer id). `attested`
   * is the version the relay vouches for on that socket (null: none).
   */
  bind(peerId: PeerId, hello: ProvedHello, attested: number | null): Remote;
  /** the relay says `peerId` left: the remote it carried, if that still was its route */
  leave(peerId: PeerId): Remote | undefined;
  /** a new relay socket: every route is void (they come back with the hellos) */
  clearRoutes(): void;
  /** r is forgotten: its route and record go */
  remove(r: Remote): void;
}

const newRemote = (hello: ProvedHello): Remote => ({
  cid: hello.cid,
  name: hello.name,
  code: null,
  key: hello.key,
  route: null,
  link: null,
  attempts: 0,
  retryTimer: undefined,
  failed: false,
  turnFailed: false,
  leaving: null,
  otherVersion: null,
  attested: null,
});

export function makeRemoteTable(o: RemoteTableOptions): RemoteTable {
  const remotes = new Map<string, Remote>();
  const routes = makeRouteTable();
  return {
    get: (cid) => remotes.get(cid),
    has: (cid) => remotes.has(cid),
    all: () => [...remotes.values()],
    cidOf: (peerId) => routes.cidOf(peerId),
    bind(peerId, hello, attested) {
      const { cid } = hello;
      let r = remotes.get(cid);
      if (!r) remotes.set(cid, (r = newRemote(hello)));
      r.attested = attested;
      const previous = routes.cidOf(peerId);
      if (previous !== undefined && previous !== cid) {
        // One socket now proves another identity: the first one no longer lives there.
        const old = remotes.get(previous);
        routes.unbind(peerId, previous);
        if (old?.route === peerId) {
          old.route = null;
          o.unrouted(old);
        }
      }
      if (r.route !== peerId) {
        if (r.route !== null)
          o.log(`client ${cid} moved from peer ${r.route} to ${peerId} (proved)`);
        routes.bind(peerId, cid, r.route);
        r.route = peerId;
        o.changed();
      }
      if (r.link?.isOpen() !== true && r.name !== hello.name) {
        r.name = hello.name;
        o.changed();
      }
      return r;
    },
    leave(peerId) {
      const cid = routes.leave(peerId);
      const r = cid === undefined ? undefined : remotes.get(cid);
      return r?.route === peerId ? r : undefined;
    },
    clearRoutes() {
      routes.clear();
      for (const r of remotes.values()) r.route = null;
    },
    remove(r) {
      if (r.route !== null) routes.unbind(r.route, r.cid);
      remotes.delete(r.cid);
    },
  };
}
