/**
 * `peerboard receive <room link> [--dir D] [--yes]`: accepts the files offered in the room
 * (asking y/N for each on a terminal, unless --yes), streams each to D through a disk sink, and
 * checks the SHA-256 of the file on disk against the offer once core has verified it. Exits when
 * every offer is answered, the accepted files are final and nothing new came for a second.
 *
 * Resume: an interrupted download leaves `<name>.part` and its `.peerboard-partial` record. Core
 * cannot yet fetch a file from a given offset in a new session (its resume works within one
 * session, across dropped links), so a rerun restarts that file from byte 0 and says so.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import readline from 'node:readline/promises';
import type { Session } from '@peerboard/core';
import { isFinal, type TransferView } from '@peerboard/core/transfer';
import { joinOptions, parse, peerName, ROOM_FLAGS, ROOM_FLAGS_HELP, seconds } from './common';
import { CliError, EXIT, EXIT_CODES_HELP } from './errors';
import { makeFsSink, readPartial, targetPath } from './files';
import { admitted, onInterrupt, openSession, type JoinOptions } from './join';
import { parseRoomLink } from './link';
import { formatBytes, makeProgress, type ProgressLine } from './progress';

export const RECEIVE_HELP = `Usage: peerboard receive <room link> [--dir D] [--yes] [options]

Receives the files offered in the room into D (default: the current folder), checking each
against its SHA-256. Asks before each file on a terminal; --yes accepts everything (needed when
the input is not a terminal). Exits once every offer is answered and the accepted files are in.

Options:
  --dir D                  where to write (created if missing)
  -y, --yes                accept every offer without asking
  --wait SECS              give up if nothing is offered within this long (default: wait)
${ROOM_FLAGS_HELP}

${EXIT_CODES_HELP}`;

const FLAGS = {
  ...ROOM_FLAGS,
  dir: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  wait: { type: 'string' },
} as const;

/** How long everything must stay settled before we exit (a second offer may be on its way). */
const QUIET_MS = 1000;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function runReceive(
  args: readonly string[],
  join?: Partial<JoinOptions>,
): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  if (values.help) {
    process.stdout.write(`${RECEIVE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new CliError('Give exactly one room link. See --help.', EXIT.usage);
  const ask = values.yes !== true;
  if (ask && !process.stdin.isTTY)
    throw new CliError(
      'The input is not a terminal, so nobody can answer y/N: pass --yes to accept every offer.',
      EXIT.usage,
    );
  const waitMs = values.wait === undefined ? null : seconds(values.wait, '--wait', 0) * 1000;
  const link = await parseRoomLink(positionals[0]!, values.relay);
  const dir = values.dir ?? '.';
  await fs.mkdir(dir, { recursive: true }).catch((e: Error) => {
    throw new CliError(`Cannot create ${dir}: ${e.message}`, EXIT.failed);
  });
  const o = { ...joinOptions(values, 'peerboard receive'), ...join };
  const session = openSession(link, o);
  const stopInterrupt = onInterrupt(() => session.destroy());
  try {
    await admitted(session, link, o.connectTimeoutMs);
    process.stdout.write(`Joined ${link.display}. Waiting for files (Ctrl-C to stop).\n`);
    return await receiveAll(session, dir, ask, waitMs);
  } finally {
    stopInterrupt();
    session.destroy();
  }
}

function receiveAll(
  session: Session,
  dir: string,
  ask: boolean,
  waitMs: number | null,
): Promise<number> {
  const progress = makeProgress();
  const names = new Map<string, string>();
  /** offers we answered (or are asking about) -> where the file goes (null: declined) */
  const handled = new Map<string, string | null>();
  /** our own SHA-256 check of the file on disk, after core verified it */
  const checked = new Map<string, 'checking' | 'ok' | 'bad'>();
  let asking: Promise<unknown> = Promise.resolve();
  /** no redraw while a y/N question is on screen: the bars would move the cursor over it */
  let questionOpen = false;
  const held: string[] = [];
  /** a message now, or after the question on screen is answered */
  const say = (msg: string) => (questionOpen ? held.push(msg) : progress.note(msg));
  const rl = ask
    ? readline.createInterface({ input: process.stdin, output: process.stdout })
    : null;

  return new Promise<number>((resolve) => {
    let quietSince: number | null = null;
    const startedAt = Date.now();

    const answer = async (v: TransferView) => {
      if (rl) {
        const from = peerName(names, v.peerId);
        questionOpen = true;
        let reply = '';
        try {
          reply = await rl.question(
            `${from} offers ${v.name} (${formatBytes(v.size)}). Accept? [y/N] `,
          );
        } catch {
          // input closed (Ctrl-D): no answer is a no
        } finally {
          questionOpen = false;
          for (const msg of held.splice(0)) progress.note(msg);
        }
        if (!/^y(es)?$/i.test(reply.trim())) {
          handled.set(v.id, null);
          return session.transfers.decline(v.id);
        }
      }
      const target = await targetPath(dir, v.name);
      const partial = await readPartial(target);
      if (partial && partial.sha256 === v.sha256)
        progress.note(
          `${v.name}: an interrupted copy has ${formatBytes(partial.bytes)}; this version cannot resume from there yet, so it restarts from the beginning.`,
        );
      handled.set(v.id, target);
      const sink = await makeFsSink(target, { sha256: v.sha256 ?? '', size: v.size, name: v.name });
      await session.transfers
        .accept(v.id, sink)
        .catch((e: Error) => say(`${v.name}: ${e.message}`));
    };

    const verify = async (v: TransferView, target: string) => {
      checked.set(v.id, 'checking');
      const actual = await sha256File(target).catch(() => 'unreadable');
      const ok = actual === v.sha256;
      checked.set(v.id, ok ? 'ok' : 'bad');
      say(
        ok
          ? `${target}: SHA-256 ${actual} verified`
          : `${target}: SHA-256 mismatch (got ${actual})`,
      );
      render();
    };

    const render = () => {
      for (const p of session.room.snapshot().peers) names.set(p.id, p.name);
      const incoming = session.transfers.list().filter((v) => v.direction === 'in');
      for (const v of incoming) {
        // the hash comes with a later copy of the offer: accept once it is known
        if (!handled.has(v.id) && v.state === 'offered' && v.sha256 !== null) {
          handled.set(v.id, '');
          asking = asking
            .then(() => answer(v))
            .catch((e: Error) => {
              progress.note(`${v.name}: ${e.message}`);
              handled.set(v.id, null);
              session.transfers.decline(v.id);
            });
        }
        const target = handled.get(v.id);
        if (v.state === 'done' && target && !checked.has(v.id)) void verify(v, target);
      }
      const lines: ProgressLine[] = incoming
        .filter((v) => handled.get(v.id))
        .map((v) => ({
          key: v.id,
          label: `${v.name} <- ${peerName(names, v.peerId)}`,
          bytes: v.bytes,
          total: v.size,
          state: v.error && v.state !== 'done' ? `${v.state}: ${v.error}` : v.state,
          speed: v.speed,
        }));
      if (!questionOpen) progress.render(lines);

      const accepted = incoming.filter((v) => handled.get(v.id));
      const settled =
        incoming.length > 0 &&
        incoming.every((v) => handled.has(v.id) && handled.get(v.id) !== '') &&
        accepted.every(
          (v) =>
            isFinal(v.state) &&
            (v.state !== 'done' || (checked.get(v.id) ?? 'checking') !== 'checking'),
        );
      const now = Date.now();
      if (!settled) quietSince = null;
      else if (quietSince === null) quietSince = now;
      else if (now - quietSince >= QUIET_MS)
        return finish(accepted.every((v) => checked.get(v.id) === 'ok') ? EXIT.ok : EXIT.failed);
      if (waitMs !== null && incoming.length === 0 && now - startedAt > waitMs) {
        progress.note('Nothing was offered in time.');
        finish(EXIT.timeout);
      }
    };

    const offs = [session.transfers.on('change', render), session.room.on('change', render)];
    const tick = setInterval(render, 250);
    function finish(code: number) {
      clearInterval(tick);
      for (const off of offs) off();
      rl?.close();
      progress.finish();
      resolve(code);
    }
  });
}
