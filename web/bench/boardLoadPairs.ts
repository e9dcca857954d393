/**
 * `pnpm bench board --parts load --vs DIR`: this checkout's board load against another build's,
 * in one Chromium, a fresh page of each in turn (A B, then B A, ...), each pair read as a ratio.
 * On this machine the same build's load swings by a third from one run to the next, and runs of
 * two builds one after the other compared the machine's moods as much as the code; a pair of
 * pages a second apart sees the same machine. DIR is a checkout whose client is built
 * (DIR/web/dist), e.g. `git worktree add DIR <commit>`, `pnpm install --frozen-lockfile
 * --offline` in it, `pnpm --filter @peerboard/web build`. Its own install: a DIR whose
 * node_modules are links into this checkout builds this checkout's engine into its client.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { fmt, formatTable, summary } from '@peerboard/bench-kit';
import { startApp } from '../e2e/harness';
import { INIT, openBoard, type W } from './boardPage';
import { randomRoomId } from './core-browser';

interface Load {
  apply: number;
  first: number;
  total: number;
  /**
   * from the apply to the board painted exactly on screen: a big board's first frame paints its
   * strokes as drafts (render/drafts.ts), painted again exactly once their outlines are built
   */
  exact: number;
  /** `Y.applyUpdate` of the same update into a document nobody observes, same page */
  decode: number;
}

/**
 * In the page: the update as a peer's, then one frame at 100% (painted and rasterised), then
 * frames until the renderer holds no drafts.
 */
async function loadInPage(data: string): Promise<Load> {
  const board = (window as unknown as W).__peerboard!.board!;
  const u = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const canvas = document.querySelector<HTMLCanvasElement>('[data-board-layer="elements"]')!;
  const decode = board.decodeOnly(u);
  board.setViewport({ x: 2000, y: 1500, zoom: 1 });
  const a = performance.now();
  board.applyUpdate(u);
  const apply = performance.now() - a;
  const t = performance.now();
  board.renderNow();
  // reading a pixel makes the canvas rasterise now
  canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
  const first = performance.now() - t;
  if (board.count() < 1) throw new Error('board did not load');
  const nextFrame = () => new Promise((done) => requestAnimationFrame(done));
  while ((board.stats() as { drafted?: boolean }).drafted) await nextFrame();
  // the exact repaint is the frame asked for as the drafts were dropped
  await nextFrame();
  canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
  const exact = performance.now() - a;
  return { apply, first, total: apply + first, exact, decode };
}

/**
 * DIR's client must have been built from DIR's own packages: with node_modules linked from
 * another checkout, `@peerboard/core` resolves there, and the pair compares one engine with
 * itself (an earlier A/B here did, unnoticed).
 */
function ownEngine(dir: string): void {
  const own = realpathSync(path.resolve(dir, 'shared/core'));
  let used: string;
  try {
    used = realpathSync(path.resolve(dir, 'web/node_modules/@peerboard/core'));
  } catch {
    throw new Error(`${dir} has no install: run pnpm install --frozen-lockfile --offline in it`);
  }
  if (used !== own)
    throw new Error(
      `${dir}'s client builds the engine in ${used}, not its own ${own}: ` +
        'remove its linked node_modules, run pnpm install --frozen-lockfile --offline and build it again',
    );
}

export async function boardLoadPairs(
  browser: Browser,
  b64: string,
  strokes: number,
  pairs: number,
  dir: string,
): Promise<void> {
  ownEngine(dir);
  const other = await startApp({ staticDir: path.resolve(dir, 'web/dist') });
  const self = await startApp();
  try {
    const sides = [
      { name: 'vs', origin: other.origin, loads: [] as Load[] },
      { name: 'this', origin: self.origin, loads: [] as Load[] },
    ];
    const contexts = await Promise.all(
      sides.map(async () => {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await ctx.addInitScript(INIT('Bench'));
        return ctx;
      }),
    );
    for (let i = 0; i < pairs; i++) {
      for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const page = await contexts[k]!.newPage();
        await openBoard(page, `${sides[k]!.origin}/r/${randomRoomId()}?debug`);
        sides[k]!.loads.push(await page.evaluate(loadInPage, b64));
        await page.close();
      }
    }
    const med = (xs: number[]) => summary(xs).p50;
    const [vs, own] = sides as [(typeof sides)[0], (typeof sides)[0]];
    const row = (f: keyof Load) => [
      f,
      fmt(med(vs.loads.map((l) => l[f]))),
      fmt(med(own.loads.map((l) => l[f]))),
    ];
    const ratios = (f: keyof Load) => own.loads.map((l, i) => l[f] / vs.loads[i]![f]);
    console.log(
      `\nload of ${strokes} strokes, this build vs ${dir}, ${pairs} pairs of fresh pages in turn (medians, ms):`,
    );
    console.log(
      formatTable(
        ['step', 'vs', 'this', 'this / vs, per pair (median)'],
        (['apply', 'first', 'total', 'exact', 'decode'] as const).map((f) => [
          ...row(f),
          fmt(med(ratios(f)), 2),
        ]),
      ),
    );
    console.log(
      `load total / Y.applyUpdate alone, medians of the pages: vs ${fmt(med(vs.loads.map((l) => l.total / l.decode)), 2)}x, ` +
        `this ${fmt(med(own.loads.map((l) => l.total / l.decode)), 2)}x`,
    );
    console.log(
      `this / vs, load total per pair: ${ratios('total')
        .map((r) => fmt(r, 2))
        .join(' ')}`,
    );
    await Promise.all(contexts.map((c) => c.close()));
  } finally {
    await other.stop();
    await self.stop();
  }
}
