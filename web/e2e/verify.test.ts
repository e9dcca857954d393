/**
 * Verification codes in the People list, in Chromium: two browser contexts in one protected room
 * connect (each proves its identity key over the DTLS connection, shared/core identity/) and each
 * shows a 12-digit code for the other, the same on both screens, with the explanation of what to
 * do with it. A third person gets a different code with each of them.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  DESKTOP,
  eventually,
  joinRoom,
  openInNewContext,
  openPair,
  screenshot,
  useBrowserSession,
} from './harness';

const CONNECT_TIMEOUT_MS = 45_000;
const CODE = /^\d{3} \d{3} \d{3} \d{3}$/;

/** name -> { state, code } of every other person in the People panel */
const people = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('#panel-people li.peer:not(.peer-self)')].map(
        (li) => [
          li.querySelector('.peer-name')?.textContent?.trim() ?? '',
          {
            state: li.dataset.state ?? '',
            code:
              li.querySelector<HTMLElement>('[data-verification]')?.dataset.verification ?? null,
          },
        ],
      ),
    ),
  );

describe('verification codes', () => {
  const session = useBrowserSession();

  test('two people see the same code for each other; a third gets other codes', async () => {
    const pair = await openPair(session, { names: ['Ann', 'Vic'] });
    const [ann, vic] = [pair.alice.page, pair.bob.page];
    const errors = [pair.alice.errors, pair.bob.errors];

    const codes = await eventually(
      'Ann and Vic verified',
      async () => {
        const [a, v] = [await people(ann), await people(vic)];
        const ready = a.Vic?.state === 'direct' && v.Ann?.state === 'direct';
        return ready && a.Vic!.code && v.Ann!.code ? { ann: a.Vic!.code, vic: v.Ann!.code } : null;
      },
      { timeoutMs: CONNECT_TIMEOUT_MS },
    );
    expect(codes.ann).toMatch(CODE);
    expect(codes.vic).toBe(codes.ann);
    await ann.getByText('Compare this code with them over another channel').waitFor();
    await screenshot(ann, 'verify-code-ann');
    await screenshot(vic, 'verify-code-vic');

    const { page: cy, errors: cyErrors } = await openInNewContext(session.browser, pair.roomLink, {
      contexts: session.contexts,
      viewport: DESKTOP,
    });
    errors.push(cyErrors);
    await joinRoom(cy, 'Cy');
    const third = await eventually(
      'Cy verified with both',
      async () => {
        const c = await people(cy);
        return c.Ann?.code && c.Vic?.code ? c : null;
      },
      { timeoutMs: CONNECT_TIMEOUT_MS },
    );
    expect(new Set([codes.ann, third.Ann!.code, third.Vic!.code]).size).toBe(3);
    await eventually('Ann shows Cy with the same code', async () => {
      const a = await people(ann);
      return a.Cy?.code === third.Ann!.code;
    });
    await screenshot(cy, 'verify-code-cy');
    for (const e of errors) expect(e).toEqual([]);
  });
});
