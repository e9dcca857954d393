/**
 * Pure relay decisions: (registry, sender session, message) -> outbound actions.
 * No sockets: server.ts executes the actions. The binary `signal` hot path has its own
 * allocation-free entry point (routeSignalFrame) that returns the target session or a code.
 */
import { type ClientMessage, type ErrorCode, type IceServer, type PeerId } from '@peerboard/shared';
import type { Room, RoomRegistry } from './rooms';
/** Per-connection protocol state. `S` is the concrete session type the caller stores. */
export interface Session<S> {
  readonly id: PeerId;
  greeted: boolean;
  name: string;
  room: Room<S> | null;
}
/** Why the server closed a connection; also the `reason` label of the close metric. */
export type CloseLabel = 'version_mismatch' | 'rate_limited' | 'server_full' | 'shutdown';
export type Action<S> =
  /** a JSON control frame to one session (the sender or another member) */
  | {
      type: 'send';
      to: S;
      text: string;
    }
  /** forward the sender's signal frame, sender id already written into it */
  | {
      type: 'forward';
      to: S;
    }
  /** an error message to the sender; counted as a rejected message */
  | {
      type: 'reject';
      code: ErrorCode;
      message: string;
    }
  | {
      type: 'close';
      code: number;
      reason: string;
      label: CloseLabel;
    };
export interface RelayContext<S extends Session<S>> {
  rooms: RoomRegistry<S>;
  iceServers: IceServer[];
}
/** Fixed texts so the hot path never builds a string per rejected message. */
export declare const REJECT_TEXT: Record<ErrorCode, string>;
/** Reads the 12-byte ASCII peer id after the tag with one string allocation, or null. */
export declare function envelopePeerId(f: Uint8Array): PeerId | null;
/**
 * Hot path for a binary frame: checks the envelope header and returns the target session in the
 * sender's room, or the error code to report. Never parses or copies the payload.
 */
export declare function routeSignalFrame<S extends Session<S>>(
  s: S,
  frame: Uint8Array,
): S | ErrorCode;
/** Decides what a validated client message does. Mutates the session and the registry. */
export declare function handleMessage<S extends Session<S>>(
  ctx: RelayContext<S>,
  s: S,
  msg: ClientMessage,
): Action<S>[];
/** The connection is gone: tell the rest of its room. */
export declare function handleDisconnect<S extends Session<S>>(
  ctx: RelayContext<S>,
  s: S,
): Action<S>[];
