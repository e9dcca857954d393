/**
 * A peer assembled from the lower-level core modules (signaling client + mesh) with a chosen
 * identity (kit/identities.ts), so a test can play a malicious or failing peer: write raw bytes
 * into the data channel, kill its RTCPeerConnection, control which side initiates, or claim a
 * client id it holds no key for.
 */
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '@peerboard/protocol';
import { encodeWireFrame, type WireFrame } from '@peerboard/protocol/wire';
import { makeIdentity, type Identity } from '../../src/identity';
import { makeMesh, type Mesh, type MeshOptions } from '../../src/peers/mesh';
import { makeSealedSignaling, makeSignalCipher } from '../../src/secret';
import {
  makeSignalingClient,
  type SignalingClient,
  type WebSocketCtor,
} from '../../src/signaling/signalingClient';
import { wrtc } from './relay';

export interface RawPeer {
  clientId: string;
  sig: SignalingClient;
  mesh: Mesh;
  logs: string[];
  frames: { from: string; frame: WireFrame }[];
  /** raw bytes into the data channel to `to`, bypassing encoding (control priority) */
  sendRaw(to: string, bytes: Uint8Array | string): boolean;
  send(to: string, frame: WireFrame): boolean;
  destroy(): void;
}

export interface RawPeerOptions {
  /** the page's protocol version, in its relay hello and its link hello (an older or newer
   * page: only a relay of that version lets it in, see rollingDeploy.ts) */
  version?: number;
  /** a forged version in the link hello only, the relay hello naming `version` (the attack
   * on "your Peerboard is out of date") */
  linkHelloVersion?: number;
  /** mesh options over the defaults below */
  mesh?: Partial<MeshOptions>;
}

export function rawPeer(
  url: string,
  roomId: string,
  name: string,
  identity: Identity = makeIdentity(),
  /** a protected room's secret: signals are sealed like a member's */
  secret?: string,
  options: RawPeerOptions = {},
): RawPeer {
  const pageVersion = options.version ?? PROTOCOL_VERSION;
  const clientId = identity.clientId;
  const logs: string[] = [];
  const frames: RawPeer['frames'] = [];
  const plain = makeSignalingClient({
    url,
    roomId,
    name,
    WebSocket: WebSocket as unknown as WebSocketCtor,
    retryBaseMs: 100,
    retryMaxMs: 800,
    protocolVersion: pageVersion,
    log: (m) => logs.push(m),
  });
  const sig =
    secret === undefined
      ? plain
      : makeSealedSignaling(plain, makeSignalCipher(secret, roomId), (m) => logs.push(m));
  const mesh = makeMesh({
    identity,
    roomId,
    name,
    signaling: sig,
    wrtc,
    retryBaseMs: 200,
    retryMaxMs: 2000,
    statsIntervalMs: 500,
    log: (m) => logs.push(m),
    protocolVersion: options.linkHelloVersion ?? pageVersion,
    ...options.mesh,
  });
  mesh.on('frame', (f) => frames.push(f));
  return {
    clientId,
    sig,
    mesh,
    logs,
    frames,
    sendRaw(to, bytes) {
      const link = mesh.link(to);
      if (!link?.isOpen()) return false;
      if (typeof bytes === 'string') {
        return link.sendUnframed(bytes);
      }
      return link.queue()!.sendControl(bytes);
    },
    send: (to, frame) => mesh.link(to)?.queue()?.sendControl(encodeWireFrame(frame)) ?? false,
    destroy() {
      mesh.destroy();
      sig.destroy();
    },
  };
}
