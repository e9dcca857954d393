/**
 * Joins a room from Node: a full session (room + doc + transfers + chat) over the `ws` WebSocket
 * and @roamhq/wrtc, resolved once the relay has let us in. A relay that cannot be reached or a
 * full room becomes a CliError with its exit code, instead of retrying forever in silence.
 */
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import { makeSession, type Session, type SessionOptions } from '@peerboard/core';
import type { ResumeStore } from '@peerboard/core/transfer';
import { CliError, EXIT } from './errors';
import type { RoomLink } from './link';

const require = createRequire(import.meta.url);

export interface JoinOptions {
  name: string;
  /** how long to wait for the relay to let us in (ms) */
  connectTimeoutMs: number;
  verbose: boolean;
  /** extra session options (tests pass fast timing) */
  session?: Partial<SessionOptions>;
}

/** `resume`: where unfinished downloads are remembered (receive); none: nothing is kept */
export function openSession(link: RoomLink, o: JoinOptions, resume?: ResumeStore): Session {
  const log = o.verbose ? (msg: string) => process.stderr.write(`[peerboard] ${msg}\n`) : () => {};
  return makeSession({
    roomId: link.roomId,
    name: o.name,
    signalingUrl: link.signalingUrl,
    secret: link.secret ?? undefined,
    WebSocket,
    wrtc: require('@roamhq/wrtc') as unknown,
    log,
    call: { log },
    ...o.session,
    transfers: { log, ...o.session?.transfers, ...(resume ? { resume } : {}) },
  });
}

/** Resolves once the relay has admitted us; rejects with unreachable / full after the timeout. */
export function admitted(session: Session, link: RoomLink, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let full = false;
    const check = () => {
      const s = session.room.snapshot();
      if (s.signalingDetail?.includes('full') || s.signalingDetail?.includes('busy')) full = true;
      if (s.signaling === 'open') done(null);
      else if (s.signaling === 'version_mismatch')
        done(
          new CliError(
            `The relay at ${link.signalingUrl} speaks another protocol version: update the peerboard command.`,
            EXIT.unreachable,
          ),
        );
    };
    const timer = setTimeout(
      () =>
        done(
          full
            ? new CliError(
                `The room ${link.display} is full (or the relay has too many rooms). Try again later.`,
                EXIT.full,
              )
            : new CliError(
                `Cannot reach the relay at ${link.signalingUrl}. Check the link and that the server is running.`,
                EXIT.unreachable,
              ),
        ),
      timeoutMs,
    );
    const off = session.room.on('change', check);
    function done(error: CliError | null) {
      clearTimeout(timer);
      off();
      if (error) reject(error);
      else resolve();
    }
    check();
  });
}

/** Ctrl-C / SIGTERM: runs `leave` once (it says goodbye), then exits with 130. */
export function onInterrupt(leave: () => void | Promise<void>): () => void {
  let leaving = false;
  const handler = () => {
    if (leaving) return;
    leaving = true;
    process.stderr.write('\nLeaving the room...\n');
    void Promise.resolve(leave()).finally(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
