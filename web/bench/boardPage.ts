/** The board page of the board benchmarks (board.ts, boardLoadPairs.ts): its debug hook, opening it. */
import type { Page } from 'playwright-core';
import { NAME_SHIM } from './core-browser';

export interface Hook {
  count(): number;
  setViewport(v: { x: number; y: number; zoom: number }): void;
  viewport(): { x: number; y: number; zoom: number };
  renderNow(): number;
  setRenderMode(m: 'fast' | 'naive' | 'exact'): void;
  applyUpdate(u: Uint8Array): void;
  decodeOnly(u: Uint8Array): number;
  zoomToFit(): void;
  trackArrivals(on: boolean): void;
  arrival(id: string): number | null;
  addElement(draft: unknown): string | null;
  persistence(): Promise<unknown>;
  stats(): unknown;
  loadTimings(): { persisted: number; firstContentFrame: number };
}
export type W = {
  __peerboard?: {
    board?: Hook;
    room?: { openPeers(): string[]; ping(id: string): Promise<number> };
  };
};

export const INIT = (name: string) =>
  `${NAME_SHIM}; try { localStorage.setItem('peerboard.name', ${JSON.stringify(name)}) } catch {}`;

export async function openBoard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () => (window as unknown as W).__peerboard?.board !== undefined,
    null,
    // the app's first load can take this long on a machine busy with other jobs
    { timeout: 120_000 },
  );
  await page.evaluate(() => (window as unknown as W).__peerboard!.board!.persistence());
  // A person's page is idle a while before a peer's board can reach it (relay, ICE, DTLS): its
  // idle work (the load warm-up, render/loadWarmUp.ts) has run by then, so it runs here too.
  await page.evaluate(
    () =>
      new Promise<void>((done) =>
        requestIdleCallback(() => requestIdleCallback(() => done(), { timeout: 3_000 }), {
          timeout: 3_000,
        }),
      ),
  );
}
