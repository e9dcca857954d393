/**
 * Test helper (not used by the CLI): what the keeper tests share — the compiled CLI, a real relay,
 * a scratch directory and in-test sessions, all torn down after each test or the file.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Session } from '@peerboard/core';
import { quietSession, startRelay, type Relay } from '../../../shared/core/test/kit/relay';
import { buildCli, killClis } from '../kit/cliProcess';

export interface KeeperRoom {
  relay(): Relay;
  /** the scratch directory of this test file */
  tmp(): string;
  origin(): string;
  session(roomId: string, name: string, secret?: string): Session;
}

export function useKeeperRoom(tmpPrefix: string): KeeperRoom {
  let relay: Relay;
  let tmp: string;
  const sessions: Session[] = [];
  beforeAll(async () => {
    buildCli();
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), tmpPrefix));
    relay = await startRelay();
  }, 120_000);
  afterEach(() => {
    killClis();
    for (const s of sessions.splice(0)) s.destroy();
  });
  afterAll(async () => {
    await relay?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });
  return {
    relay: () => relay,
    tmp: () => tmp,
    origin: () => `http://127.0.0.1:${relay.port}`,
    session(roomId, name, secret) {
      const s = quietSession(relay.url, roomId, name, { secret });
      sessions.push(s);
      return s;
    },
  };
}
