export {
  clientIdOfKey,
  isPublicKey,
  makeIdentity,
  verificationCode,
  verifySignature,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  type Identity,
} from './identity';
export { checkHello, checkLink, sdpFingerprint, signHello, signLink } from './proofs';
export type { LinkContext, LinkProof, ProofError } from './proofs';
