/**
 * Pages of a multi-page build (web/examples/editor -> dist/examples/editor/index.html) are served
 * at their folder path, and only they get the example policy (inline styles for stock editors);
 * the app and the SPA fallback, under /examples/ too, keep the strict CSP.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, EXAMPLE_CONTENT_SECURITY_POLICY } from '../src/securityHeaders';
import { httpRequest, startTestServer, type TestServer } from './helpers';

const APP = '<!doctype html><title>app</title>';
const EDITOR = '<!doctype html><title>editor</title>';
let tmp: string;
let srv: TestServer;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'peerboard-examples-'));
  mkdirSync(path.join(tmp, 'examples', 'editor'), { recursive: true });
  writeFileSync(path.join(tmp, 'index.html'), APP);
  writeFileSync(path.join(tmp, 'examples', 'editor', 'index.html'), EDITOR);
  srv = await startTestServer({ staticDir: tmp });
});
afterAll(async () => {
  await srv?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('example pages', () => {
  it.each(['/examples/editor/', '/examples/editor', '/examples/editor/index.html'])(
    '%s is the editor page, with inline styles allowed and scripts still self only',
    async (p) => {
      const res = await httpRequest(srv.server.port, p);
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe(EDITOR);
      const csp = res.headers['content-security-policy'];
      expect(csp).toBe(EXAMPLE_CONTENT_SECURITY_POLICY);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    },
  );

  it.each(['/', '/r/some-room', '/examples/', '/examples/nothing-here'])(
    '%s is the app with the strict policy',
    async (p) => {
      const res = await httpRequest(srv.server.port, p);
      expect(res.body.toString()).toBe(APP);
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    },
  );
});
