/** What every room subcommand shares: its flags, their parsing, and how a run ends. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './errors';
import type { JoinOptions } from './join';

export const ROOM_FLAGS = {
  name: { type: 'string' },
  relay: { type: 'string' },
  'connect-timeout': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const ROOM_FLAGS_HELP = `  --name NAME              what the others see (default: the command's name)
  --relay URL              ws(s)://host/ws instead of the link's own server
  --connect-timeout SECS   give up on the relay after this long (default 15)
  -v, --verbose            log peer and transfer events to stderr
  -h, --help               this help`;

/** parseArgs with plain-language errors (exit 2) instead of Node's TypeError. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: O,
): ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message.split('\n')[0]}. See --help.`, EXIT.usage);
  }
}

export function seconds(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0)
    throw new CliError(`${flag} takes a number of seconds, got "${raw}"`, EXIT.usage);
  return v;
}

export function joinOptions(
  values: { name?: string; 'connect-timeout'?: string; verbose?: boolean },
  defaultName: string,
): JoinOptions {
  return {
    name: values.name ?? defaultName,
    connectTimeoutMs: seconds(values['connect-timeout'], '--connect-timeout', 15) * 1000,
    verbose: values.verbose === true,
  };
}

/** A peer's display name for progress lines (its id when it has not said hello yet). */
export function peerName(names: ReadonlyMap<string, string>, id: string): string {
  return names.get(id) ?? id.slice(0, 8);
}
