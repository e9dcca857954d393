/** Start-up checks and graceful shutdown, in-process and as a spawned `main.ts` process. */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '@peerboard/protocol';
import { connect, joinedClient, startTestServer } from './helpers';
import { killServers, spawnServer } from './kit/serverProcess';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function spawnMain(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function listeningPort(p: Spawned, timeoutMs = 15_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const line of p.stdout().split('\n')) {
      if (!line.startsWith('{')) continue;
      const rec = JSON.parse(line) as { msg?: string; port?: number };
      if (rec.msg === 'listening' && typeof rec.port === 'number') return rec.port;
    }
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  p.child.kill('SIGKILL');
  throw new Error(`no listening line; stdout=${p.stdout()} stderr=${p.stderr()}`);
}

describe('graceful shutdown (in process)', () => {
  it('closes every client with 1001, stops listening and resolves', async () => {
    const s = await startTestServer();
    const a = await joinedClient(s.wsUrl, 'down');
    const b = await joinedClient(s.wsUrl, 'down');
    const lobby = await connect(s.wsUrl);
    await s.close();
    for (const c of [a.c, b.c, lobby]) {
      const closed = await c.closed;
      expect(closed).toEqual({ code: CLOSE.goingAway, reason: 'server shutting down' });
    }
    // everyone was told at once: no peer_left storm before the close
    expect(a.c.all('peer_left')).toEqual([]);
    await expect(connect(s.wsUrl)).rejects.toThrow();
    await s.close(); // idempotent
  });
});

describe('main.ts process', () => {
  it('logs a JSON "listening" line, serves, and exits 0 on SIGTERM after telling clients', async () => {
    const p = spawnMain({ LOG_LEVEL: 'info' });
    const port = await listeningPort(p);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const a = await joinedClient(`ws://127.0.0.1:${port}/ws`, 'proc');
    p.child.kill('SIGTERM');
    expect(await a.c.closed).toEqual({ code: CLOSE.goingAway, reason: 'server shutting down' });
    expect(await p.exited).toBe(0);
  });

  it('exits 0 on SIGINT too', async () => {
    const p = spawnMain({});
    await listeningPort(p);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });

  it('refuses to start on the uWS JavaScript fallback with a clear message', async () => {
    const p = spawnMain({ UWS_USE_FALLBACK: '1' });
    const code = await p.exited;
    expect(code).not.toBe(0);
    expect(p.stderr()).toContain('uWebSockets.js native binding did not load');
    expect(p.stderr()).toContain(`Node ABI ${process.versions.modules}`);
    expect(p.stderr()).toContain('use Node 20');
    expect(p.stdout()).not.toContain('"msg":"listening"');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ MAX_PEERS_PER_ROOM: '0' }, 'MAX_PEERS_PER_ROOM must be between'],
    [{ IDLE_TIMEOUT_S: '5' }, 'IDLE_TIMEOUT_S must be 0 or at least 8'],
    [{ RATE_PER_SEC: '-1' }, 'RATE_PER_SEC must be a positive number'],
    [{ ALLOWED_ORIGINS: 'not a url' }, 'ALLOWED_ORIGINS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
  ])('exits 1 on invalid configuration %o', async (env, message) => {
    const p = spawnMain(env);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('invalid configuration');
    expect(p.stderr()).toContain(message);
  });
});

describe('compiled server (what `pnpm start` runs)', () => {
  afterEach(killServers);
  beforeAll(() => {
    // the same build as `pnpm --filter @peerboard/signal-server build`
    execFileSync(path.join(serverDir, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
      cwd: serverDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }, 120_000);

  it('runs as plain `node dist/main.js` (no TypeScript loader): serves, relays, stops on SIGTERM', async () => {
    const p = spawnServer({ entry: 'dist', env: { LOG_LEVEL: 'info' } });
    expect(p.child.spawnargs.slice(1)).toEqual(['dist/main.js']);
    const { port, urls } = await p.listening();
    expect(urls).toEqual([`http://127.0.0.1:${port}`]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const a = await joinedClient(`ws://127.0.0.1:${port}/ws`, 'compiled');
    const b = await joinedClient(`ws://127.0.0.1:${port}/ws`, 'compiled');
    expect(b.joined.members.map((m) => m.id)).toEqual([a.id]);
    expect(await p.stop()).toBe(0);
    expect(await a.c.closed).toEqual({ code: CLOSE.goingAway, reason: 'server shutting down' });
  });

  it('still refuses invalid configuration with exit 1', async () => {
    const p = spawnServer({ entry: 'dist', env: { PORT: 'eighty' } });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('PORT must be an integer');
  });
});
