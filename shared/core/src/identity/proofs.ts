/**
 * The two signed statements of the identity protocol (PROTOCOL.md "Identity"):
 *
 * - hello proof (over the relay): "client id C, key K, is on relay peer id P in room R". The relay
 *   stamps the sender's peer id on every signal and no member can choose it, so a proof is only
 *   accepted from P itself: a member cannot move another member's client id onto its own socket,
 *   while the real client proves its new socket after a reconnect.
 * - link proof (first frame on a new data channel): "I am C on link generation G in room R, to
 *   D; my DTLS certificate has fingerprint F1 and yours, as I see it, F2". The receiver accepts
 *   only if F1 is the remote fingerprint of its own connection and F2 its own local one: someone
 *   relaying between two peers holds two DTLS sessions with other certificates, and cannot sign
 *   for either peer's key.
 *
 * Checks return Result with a reason; the mesh logs failures as attacks.
 */
import { err, ok, utf8Encode, type PeerId, type Result } from '@peerboard/protocol';
import { clientIdOfKey, isPublicKey, verifySignature, type Identity } from './identity';

export type ProofError = 'ERR_KEY' | 'ERR_SIGNATURE' | 'ERR_FINGERPRINT' | 'ERR_GEN';

const helloStatement = (roomId: string, peerId: PeerId, cid: string) =>
  utf8Encode(`peerboard-hello-v1\n${roomId}\n${peerId}\n${cid}`);

export interface LinkContext {
  roomId: string;
  gen: number;
  /** DTLS fingerprints of this side's connection (see sdpFingerprint) */
  localFp: string;
  remoteFp: string;
}

export interface LinkProof {
  gen: number;
  key: Uint8Array;
  sig: Uint8Array;
  /** the sender's own fingerprint and the one it sees for the recipient */
  ownFp: string;
  peerFp: string;
}

const linkStatement = (ctx: {
  roomId: string;
  gen: number;
  from: string;
  to: string;
  ownFp: string;
  peerFp: string;
}) =>
  utf8Encode(
    `peerboard-link-v1\n${ctx.roomId}\n${ctx.from}\n${ctx.to}\n${ctx.gen}\n${ctx.ownFp}\n${ctx.peerFp}`,
  );

export const signHello = (id: Identity, roomId: string, peerId: PeerId): Promise<Uint8Array> =>
  id.sign(helloStatement(roomId, peerId, id.clientId));

/** `key` must certify `cid` and have signed that `cid` sits on relay peer id `from`. */
export async function checkHello(
  roomId: string,
  from: PeerId,
  cid: string,
  key: Uint8Array,
  sig: Uint8Array,
): Promise<Result<true, ProofError>> {
  if (!isPublicKey(key) || clientIdOfKey(key) !== cid)
    return err('ERR_KEY', `its key does not hash to client id ${cid}`);
  if (!(await verifySignature(key, sig, helloStatement(roomId, from, cid))))
    return err('ERR_SIGNATURE', `bad hello signature for client id ${cid}`);
  return ok(true);
}

export async function signLink(id: Identity, to: string, ctx: LinkContext): Promise<LinkProof> {
  const statement = { ...ctx, from: id.clientId, to, ownFp: ctx.localFp, peerFp: ctx.remoteFp };
  return {
    gen: ctx.gen,
    key: id.publicKey,
    sig: await id.sign(linkStatement(statement)),
    ownFp: ctx.localFp,
    peerFp: ctx.remoteFp,
  };
}

/** A link proof from `from` to `self` (client ids), checked against this side's connection. */
export async function checkLink(
  proof: LinkProof,
  from: string,
  self: string,
  ctx: LinkContext,
): Promise<Result<Uint8Array, ProofError>> {
  if (!isPublicKey(proof.key) || clientIdOfKey(proof.key) !== from)
    return err('ERR_KEY', `link proof key does not hash to client id ${from}`);
  if (proof.gen !== ctx.gen)
    return err('ERR_GEN', `link proof for generation ${proof.gen}, not ${ctx.gen}`);
  if (proof.ownFp !== ctx.remoteFp || proof.peerFp !== ctx.localFp)
    return err(
      'ERR_FINGERPRINT',
      `DTLS fingerprints differ: it signed own ${proof.ownFp} / ours ${proof.peerFp}, ` +
        `this connection has theirs ${ctx.remoteFp} / ours ${ctx.localFp} (someone in between)`,
    );
  const statement = linkStatement({
    ...ctx,
    from,
    to: self,
    ownFp: proof.ownFp,
    peerFp: proof.peerFp,
  });
  if (!(await verifySignature(proof.key, proof.sig, statement)))
    return err('ERR_SIGNATURE', `bad link signature from client id ${from}`);
  return ok(proof.key);
}

const FINGERPRINT_RE = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/;

/**
 * The DTLS certificate fingerprint(s) an SDP announces (`a=fingerprint:sha-256 AB:..`),
 * normalised and sorted so both ends derive the same string from the same description; null if
 * there is none. WebRTC aborts the DTLS handshake unless the remote certificate matches the
 * remote description's fingerprint, so the remote description names the certificate in use.
 */
export function sdpFingerprint(sdp: string | undefined | null): string | null {
  if (!sdp) return null;
  const found = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    const m = FINGERPRINT_RE.exec(line);
    if (m) found.add(`${m[1]!.toLowerCase()} ${m[2]!.toUpperCase()}`);
  }
  return found.size === 0 ? null : [...found].sort().join(',');
}
