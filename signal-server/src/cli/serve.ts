/** `peerboard serve`: the relay and the app (the same server as `node dist/main.js`). */
import { runServer } from '../serveMain';
import { parse } from './common';
import { CliError, EXIT } from './errors';

export const SERVE_HELP = `Usage: peerboard serve [--port N] [--host H] [--lan]

Runs the relay and serves the app (web/dist when built) on http://localhost:8080.
Every setting of the server's environment variables applies (PORT, HOST, TURN_SECRET,
REDIS_URL, ...: see the README); the flags override them.

Options:
  --port N      port to listen on (default 8080; 0 picks a free one)
  --host H      address to bind (default 0.0.0.0)
  --lan         HTTPS with a self-signed certificate for this machine's LAN addresses
  -h, --help    this help

Exit codes:
  0    stopped with Ctrl-C or SIGTERM
  1    could not start (configuration, port in use, certificate)
  2    bad arguments`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  lan: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Resolves when the server is listening; the process then lives until a signal stops it. */
export async function runServe(args: readonly string[]): Promise<number | null> {
  const { values, positionals } = parse(args, FLAGS);
  if (values.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new CliError(`serve takes no ${positionals[0]}. See --help.`, EXIT.usage);
  const env = { ...process.env };
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535)
      throw new CliError(`--port takes a number from 0 to 65535, got "${values.port}"`, EXIT.usage);
    env.PORT = values.port;
  }
  if (values.host !== undefined) env.HOST = values.host;
  if (values.lan) env.LAN = '1';
  await runServer(env);
  return null;
}
