/**
 * The identity exchange at the start of every link (identity/proofs.ts "link proof"): each side
 * signs the DTLS fingerprints of the connection it actually has and checks the other side's
 * statement against its own. Kept apart from the mesh so the mesh only decides what a result
 * means (open the link, or drop it and log an attack).
 */
import { err, type Result } from '@peerboard/protocol';
import type { WireFrame } from '@peerboard/protocol/wire';
import type { Identity, ProofError } from '../identity';
import { checkLink, signLink } from '../identity';
import type { Link } from './link';

type IdentityFrame = Extract<WireFrame, { type: 'identity' }>;

/** Signs and sends our statement for `link`; false if the link has no fingerprints to bind. */
export async function sendLinkProof(identity: Identity, roomId: string, link: Link) {
  const fps = link.fingerprints();
  if (!fps) return false;
  const proof = await signLink(identity, link.cid, {
    roomId,
    gen: link.gen,
    localFp: fps.local,
    remoteFp: fps.remote,
  });
  return link.sendIdentity({ type: 'identity', ...proof });
}

/** Checks the remote's statement; ok carries its public key. */
export async function checkLinkProof(
  selfId: string,
  roomId: string,
  link: Link,
  frame: IdentityFrame,
): Promise<Result<Uint8Array, ProofError | 'ERR_NO_FINGERPRINT'>> {
  const fps = link.fingerprints();
  if (!fps) return err('ERR_NO_FINGERPRINT', 'this connection has no DTLS fingerprint to check');
  return checkLink(frame, link.cid, selfId, {
    roomId,
    gen: link.gen,
    localFp: fps.local,
    remoteFp: fps.remote,
  });
}
