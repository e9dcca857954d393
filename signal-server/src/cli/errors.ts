/**
 * Exit codes of the `peerboard` command (documented in `peerboard --help` and the README), and
 * the one error type subcommands throw: its message is printed as is, so it says what to do.
 */
export const EXIT = {
  ok: 0,
  /** a transfer failed, a file could not be written, a hash did not match */
  failed: 1,
  /** bad arguments or a bad room link */
  usage: 2,
  /** the relay named by the link cannot be reached */
  unreachable: 3,
  /** the relay refused us: the room is full (or the server has too many rooms) */
  full: 4,
  /** nobody in the room had what we waited for (export, receive --wait) */
  timeout: 5,
  /** Ctrl-C: we said goodbye and left */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
  ) {
    super(message);
  }
}

export const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    a transfer failed or a file could not be written
  2    bad arguments or a bad room link
  3    the relay cannot be reached
  4    the room is full (or the relay has too many rooms)
  5    timed out waiting for someone in the room
  130  interrupted (Ctrl-C): left the room cleanly`;
