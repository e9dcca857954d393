/**
 * Short-lived TURN credentials, the coturn "REST API" scheme (draft-uberti-behave-turn-rest,
 * coturn `use-auth-secret` + `static-auth-secret`):
 *
 *   username   = "<expiry unix seconds>:<peer id>"
 *   credential = base64(HMAC-SHA1(static-auth-secret, username))
 *
 * coturn recomputes the HMAC with the same secret and refuses the username once its expiry has
 * passed, so a leaked credential is useless after the TTL and the relay never stores any.
 */
import { createHmac } from 'node:crypto';
import type { IceServer, PeerId } from '@peerboard/protocol';

export interface TurnConfig {
  /** coturn's static-auth-secret */
  secret: string;
  /** turn:/turns:/stun: URLs handed to clients */
  urls: string[];
  /** how long a credential stays valid */
  ttlSeconds: number;
}

export const DEFAULT_TURN_TTL_S = 3600;

export function turnCredential(
  secret: string,
  peerId: PeerId,
  expiresAtSeconds: number,
): { username: string; credential: string } {
  const username = `${Math.floor(expiresAtSeconds)}:${peerId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/** The ICE server entry for one peer's `joined` reply. */
export function turnIceServer(turn: TurnConfig, peerId: PeerId, nowMs = Date.now()): IceServer {
  const { username, credential } = turnCredential(
    turn.secret,
    peerId,
    nowMs / 1000 + turn.ttlSeconds,
  );
  return { urls: turn.urls, username, credential };
}
