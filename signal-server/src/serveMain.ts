/**
 * The relay's life as a process: env -> config -> startServer. Logs one JSON line with msg
 * "listening", the bound port and the URLs (benchmarks and tests parse it); at a terminal it also
 * prints where to open the app (banner.ts). SIGTERM/SIGINT -> graceful close -> exit 0. Any
 * problem before listening (configuration, certificate files, native binding) -> a message on
 * stderr, exit 1.
 */
import { pino } from 'pino';
import { startupBanner } from './banner';
import { configFromEnv, type ServerConfig } from './config';
import { ensureLanCertificate } from './lan';
import { startServer } from './server';
import { lanAddresses, listenUrls } from './urls';

export function fail(message: string): never {
  // stderr directly: the message must be seen even with LOG_LEVEL=silent
  process.stderr.write(`peerboard signal-server: ${message}\n`);
  process.exit(1);
}

/**
 * Starts the relay from environment variables (config.ts) and runs until SIGTERM/SIGINT.
 * `node dist/main.js` and `peerboard serve` both end up here.
 */
export async function runServer(env: NodeJS.ProcessEnv): Promise<void> {
  let config: ServerConfig;
  try {
    config = configFromEnv(env);
  } catch (e) {
    fail(`invalid configuration: ${(e as Error).message}`);
  }
  const log = pino({ level: config.logLevel });
  const addresses = lanAddresses();
  let server;
  try {
    if (config.lan !== null) {
      const lan = await ensureLanCertificate(config.lan.dataDir, addresses);
      config = { ...config, tls: lan.tls };
      log.info(
        {
          certFile: lan.tls.certFile,
          created: lan.created,
          altNames: lan.certificate.subjectAltName,
        },
        'lan certificate',
      );
    }
    server = await startServer(config, log);
  } catch (e) {
    log.fatal({ err: e }, 'failed to start');
    fail((e as Error).message);
  }
  // before the "listening" line: a supervisor may signal as soon as it reads it, and a
  // signal with no handler yet ends the process at once, without the graceful close
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const scheme = config.tls === null ? 'http' : 'https';
  const urls = listenUrls(config.host, server.port, scheme, addresses);
  log.info(
    {
      port: server.port,
      host: config.host,
      urls,
      tls: config.tls !== null,
      staticDir: config.staticDir,
      limits: config.limits,
    },
    'listening',
  );
  if (process.stdout.isTTY)
    process.stdout.write(await startupBanner({ urls, lan: config.lan !== null }));
}
