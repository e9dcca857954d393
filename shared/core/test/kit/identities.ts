/**
 * Identities for attack and ordering tests: real keys whose client id sorts on a chosen side of
 * another id (the lower id initiates), and impostors that claim a client id they hold no key for.
 */
import { makeIdentity, type Identity } from '../../src/identity';

/** A real identity whose client id sorts before (initiator) or after (answerer) `other`. */
export function identityOrdered(other: string, side: 'initiator' | 'answerer'): Identity {
  for (;;) {
    const id = makeIdentity();
    if (side === 'initiator' ? id.clientId < other : id.clientId > other) return id;
  }
}

/**
 * Claims `clientId` while signing with a key of its own. `publicKey` is what it shows: its own
 * key (which hashes elsewhere) or the victim's real key, copied from the victim's hello.
 */
export function impostor(clientId: string, publicKey?: Uint8Array): Identity {
  const own = makeIdentity();
  return { clientId, publicKey: publicKey ?? own.publicKey, sign: (m) => own.sign(m) };
}
