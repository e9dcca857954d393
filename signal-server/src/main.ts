/**
 * Entry point of `node dist/main.js`: env (+ `--lan`) -> runServer (serveMain.ts). The
 * `peerboard serve` command (cli/) runs the same server with flags.
 */
import { fail, runServer } from './serveMain';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--lan');
if (unknown.length > 0) fail(`unknown argument ${unknown[0]} (the only flag is --lan)`);
void runServer(args.includes('--lan') ? { ...process.env, LAN: '1' } : process.env);
