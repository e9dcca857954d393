/** The mesh's record of one remote client, and how the UI sees it (PeerInfo). */
import type { PeerId } from '@peerboard/protocol';
import type { PeerInfo } from '../types';
import type { Link } from './link';

export interface Remote {
  cid: string;
  name: string;
  /** the verification code of our two keys, once a link proved the remote's key */
  code: string | null;
  /** its public key (hashes to cid), from the hello that proved it */
  key: Uint8Array;
  route: PeerId | null;
  link: Link | null;
  attempts: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  failed: boolean;
  /** a relay-only attempt failed since the last open link (PeerInfo.turnFailed) */
  turnFailed: boolean;
  /** it said goodbye, left the relay and went silent, or speaks another protocol version: its
   * link's end is no failure and nothing re-dials it */
  leaving: Exclude<PeerCloseReason, 'lost'> | null;
  /** the protocol version its link hello named, when that was not ours (leaving 'version') */
  otherVersion: number | null;
  /** the protocol version its relay attests for the peer id it proved (Member.version); null =
   * a relay that attests none: its link hello is taken at its word, as before attestation */
  attested: number | null;
}

/**
 * Why a peer's link closed: 'bye' = it left the room and said so; 'left' = the relay says it
 * left and its link went silent; 'lost' = the link failed or closed (it may come back);
 * 'version' = it speaks another protocol version (one of the two pages is out of date);
 * 'misbehaved' = its link hello named a version its relay does not attest for it (a forged
 * "your page is out of date"): cut, not re-dialled, and no page is called out of date.
 */
export type PeerCloseReason = 'bye' | 'left' | 'lost' | 'version' | 'misbehaved';

/** A link's end as the mesh and the room report it (`peer_close`). */
export type PeerClose =
  | { id: string; reason: Exclude<PeerCloseReason, 'version'> }
  | {
      id: string;
      reason: 'version';
      /** the protocol version the remote speaks: above ours, this page is the outdated one */
      version: number;
      /** its name from its proved relay hello (its link hello was not taken) */
      name: string;
    };

export function peerInfo(r: Remote): PeerInfo {
  const link = r.link?.isOpen() ? r.link : null;
  const path = link?.path();
  return {
    id: r.cid,
    signalingId: r.route,
    name: r.name,
    state: link ? (path === 'relayed' ? 'relayed' : 'direct') : r.failed ? 'failed' : 'connecting',
    rttMs: link?.rttMs() ?? null,
    // a link is open only once the remote proved its key on it (linkIdentity.ts)
    verification: link ? r.code : null,
    turnFailed: r.turnFailed,
  };
}
