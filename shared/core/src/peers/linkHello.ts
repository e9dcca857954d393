/**
 * The link `hello`: the first frame each side sends once a link is open (after `identity`),
 * naming its client id, display name and protocol version; sent again on a rename.
 *
 * Versions: another version would refuse this page's document updates (or we its), so a link
 * hello naming another version ends the link on both sides (each sent its own hello on opening,
 * before it read the other's, and the cutting side closes only once its hello has left and the
 * data channel closed after it, link.closeAfterSent: so both can say which page is out of
 * date), `peer_close` reason 'version' with the other's version and name; the remote is
 * forgotten as after a `bye`: no re-dial until a new relay hello.
 *
 * Attestation: the relay greets only pages of its own version and attests it for each member
 * (`joined`, `peer_joined`: Member.version; per instance across Redis). A link hello naming
 * another version than the one attested for the remote's proved peer id is a lie (a member
 * cannot make the others believe their page is out of date): the link ends, reason
 * 'misbehaved', forgotten likewise, and no version is reported. Without an attestation (older
 * relay code) the link hello is believed, as before.
 */
import type { Member, PeerId } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import type { PeerClose, Remote } from './remote';

/** The versions the relay attests, by peer id, for the room of the current relay socket. */
export interface VersionAttestations {
  /** a new socket's `joined`: its member list replaces everything known */
  reset(members: Member[]): void;
  /** `peer_joined` */
  joined(m: Member): void;
  /** `peer_left` */
  left(peerId: PeerId): void;
  /** the version attested for a peer id; null = none (an older relay) */
  of(peerId: PeerId): number | null;
}

export function makeVersionAttestations(): VersionAttestations {
  const attested = new Map<PeerId, number>();
  const joined = (m: Member) => {
    if (m.version === undefined) attested.delete(m.id);
    else attested.set(m.id, m.version);
  };
  return {
    reset(members) {
      attested.clear();
      for (const m of members) joined(m);
    },
    joined,
    left: (peerId) => void attested.delete(peerId),
    of: (peerId) => attested.get(peerId) ?? null,
  };
}

type HelloFrame = Extract<WireFrame, { type: 'hello' }>;

/** What a link hello from `r` means for its link. */
export type LinkHelloVerdict =
  /** not about this link (another client id): logged and ignored */
  | { t: 'ignore'; why: string }
  /** the link ends: `leaving` says how it is reported, `why` is the link's close reason */
  | { t: 'cut'; leaving: 'misbehaved' | 'version'; why: string; attack?: string }
  /** the same version: the hello names the remote (maybe anew) */
  | { t: 'ok'; name: string };

export function judgeLinkHello(r: Remote, frame: HelloFrame, ours: number): LinkHelloVerdict {
  if (frame.clientId !== r.cid) return { t: 'ignore', why: `hello with a foreign client id` };
  if (r.attested !== null && frame.version !== r.attested)
    return {
      t: 'cut',
      leaving: 'misbehaved',
      why: 'link hello contradicts the relay-attested version',
      attack:
        `${r.cid} names protocol ${frame.version} on its link, its relay attests ` +
        `${r.attested}: link cut`,
    };
  if (frame.version !== ours)
    return {
      t: 'cut',
      leaving: 'version',
      why: `speaks protocol ${frame.version}, this peer ${ours}`,
    };
  return { t: 'ok', name: frame.name };
}

/** How a remote that is leaving (not 'lost') is reported when its open link ends. */
export function leavingClose(
  r: Remote,
  reason: Exclude<PeerClose['reason'], 'lost'>,
  ours: number,
): PeerClose {
  return reason === 'version'
    ? { id: r.cid, reason, version: r.otherVersion ?? ours, name: r.name }
    : { id: r.cid, reason };
}
