#!/usr/bin/env node
/**
 * The `peerboard` command: one small module per subcommand. Each throws CliError (a message
 * that says what to do, and an exit code from errors.ts); anything else is a bug and exits 1
 * with its stack.
 */
import { CliError, EXIT, EXIT_CODES_HELP } from './errors';
import { runExport } from './export';
import { runKeep } from './keep';
import { runReceive } from './receive';
import { runSend } from './send';
import { runServe } from './serve';

const HELP = `Usage: peerboard <command> [options]

Commands:
  serve                              run the relay and the app
  send <files or folders...> <link>  offer files to everyone in a room
  receive <link> [--dir D] [--yes]   receive the files offered in a room
  keep <link...> --data DIR          keep rooms' boards and chat on disk and serve them
  export <link> --format svg|png|json -o FILE
                                     write a room's board to a file

A link is what the app shares: https://host/r/<room> (protected rooms: ...#k=<key>).
"peerboard <command> --help" tells more.

${EXIT_CODES_HELP}`;

const COMMANDS: Record<string, (args: string[]) => Promise<number | null>> = {
  serve: runServe,
  send: (a) => runSend(a),
  receive: (a) => runReceive(a),
  keep: (a) => runKeep(a),
  export: (a) => runExport(a),
};

async function main(argv: string[]): Promise<number | null> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`Unknown command "${command}". Run peerboard --help.`, EXIT.usage);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // null: a server that runs until a signal stops it
    if (code !== null) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof CliError) {
      process.stderr.write(`peerboard: ${e.message}\n`);
      process.exit(e.code);
    }
    process.stderr.write(`peerboard: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(EXIT.failed);
  },
);
