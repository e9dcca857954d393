/**
 * Entry point: env -> config -> startServer. Logs one JSON line with msg "listening" and the
 * bound port (benchmarks and tests parse it). SIGTERM/SIGINT -> graceful close -> exit 0.
 */
import { pino } from 'pino';
import { configFromEnv, type ServerConfig } from './config';
import { startServer } from './server';

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = configFromEnv(process.env);
  } catch (e) {
    process.stderr.write(
      `peerboard signal-server: invalid configuration: ${(e as Error).message}\n`,
    );
    process.exit(1);
  }
  const log = pino({ level: config.logLevel });
  let server;
  try {
    server = await startServer(config, log);
  } catch (e) {
    // Written to stderr directly as well: the message must be seen even with LOG_LEVEL=silent.
    process.stderr.write(`peerboard signal-server: ${(e as Error).message}\n`);
    log.fatal({ err: e }, 'failed to start');
    process.exit(1);
  }
  log.info(
    { port: server.port, host: config.host, staticDir: config.staticDir, limits: config.limits },
    'listening',
  );

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
}

void main();
