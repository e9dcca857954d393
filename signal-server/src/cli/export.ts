/**
 * `peerboard export <room link> --format svg|png|json -o FILE`: joins, syncs the board from the
 * first peer that answers, writes it and leaves. SVG comes from the app's own export
 * (web/src/board/exportBoard.ts: board elements -> SVG string, no DOM), PNG is that SVG rendered
 * by resvg, JSON is the validated elements in paint order.
 */
import fs from 'node:fs/promises';
import { readBoard } from '@peerboard/core/collab';
import { Resvg } from '@resvg/resvg-js';
import { boardToSvg } from '../../../web/src/board/exportBoard';
import { joinOptions, parse, ROOM_FLAGS, ROOM_FLAGS_HELP, seconds } from './common';
import { CliError, EXIT, EXIT_CODES_HELP } from './errors';
import { admitted, onInterrupt, openSession, type JoinOptions } from './join';
import { parseRoomLink } from './link';

export const EXPORT_HELP = `Usage: peerboard export <room link> --format svg|png|json -o FILE [options]

Joins the room, gets the board from someone there (a browser or a keeper), writes it to FILE
and leaves.

Options:
  --format F               svg, png or json (default: from FILE's extension)
  -o, --output FILE        where to write (required)
  --wait SECS              how long to wait for someone to share the board (default 30)
${ROOM_FLAGS_HELP}

${EXIT_CODES_HELP}`;

const FLAGS = {
  ...ROOM_FLAGS,
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  wait: { type: 'string' },
} as const;

const FORMATS = ['svg', 'png', 'json'] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (v: string): v is Format => (FORMATS as readonly string[]).includes(v);

export async function runExport(
  args: readonly string[],
  join?: Partial<JoinOptions>,
): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  if (values.help) {
    process.stdout.write(`${EXPORT_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new CliError('Give exactly one room link. See --help.', EXIT.usage);
  const output = values.output;
  if (output === undefined)
    throw new CliError('Say where to write the board: -o FILE.', EXIT.usage);
  const format = values.format ?? output.split('.').pop() ?? '';
  if (!isFormat(format))
    throw new CliError(`--format must be svg, png or json, got "${format}"`, EXIT.usage);
  const waitMs = seconds(values.wait, '--wait', 30) * 1000;
  const link = await parseRoomLink(positionals[0]!, values.relay);
  const o = { ...joinOptions(values, 'peerboard export'), ...join };
  const session = openSession(link, o);
  const stopInterrupt = onInterrupt(() => session.destroy());
  try {
    await admitted(session, link, o.connectTimeoutMs);
    const { provider, doc } = session.doc;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new CliError(
              `Nobody in ${link.display} shared the board within ${waitMs / 1000} s: open the board in a browser (or run peerboard keep) and try again.`,
              EXIT.timeout,
            ),
          ),
        waitMs,
      );
      const done = () => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const off = provider.onSynced(done);
      if (provider.syncedPeers().length > 0) done();
    });
    const elements = readBoard(doc);
    const data =
      format === 'json'
        ? JSON.stringify({ format: 'peerboard-board', version: 1, elements }, null, 2) + '\n'
        : format === 'svg'
          ? boardToSvg(elements)
          : new Resvg(boardToSvg(elements), { fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
    await fs.writeFile(output, data).catch((e: Error) => {
      throw new CliError(`Cannot write ${output}: ${e.message}`, EXIT.failed);
    });
    process.stdout.write(
      `Wrote ${elements.length} element${elements.length === 1 ? '' : 's'} to ${output}.\n`,
    );
    return EXIT.ok;
  } finally {
    stopInterrupt();
    session.destroy();
  }
}
