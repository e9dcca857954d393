/**
 * Progress in the terminal: on a TTY one bar per line, redrawn in place (ANSI: cursor up, clear
 * line); otherwise (a pipe, a log file, a test) one plain line whenever a line's text changes
 * apart from its numbers, so logs show each state once rather than a flood of percentages.
 */
export interface ProgressLine {
  key: string;
  label: string;
  bytes: number;
  total: number;
  /** e.g. "receiving", "done", "failed: reason" */
  state: string;
  speed: number | null;
}

export interface Progress {
  render(lines: readonly ProgressLine[]): void;
  /** prints a message above the bars */
  note(msg: string): void;
  /** leaves the last frame on screen */
  finish(): void;
}

const WIDTH = 24;

export const formatBytes = (n: number): string => {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
};

function bar(line: ProgressLine): string {
  const frac = line.total === 0 ? 1 : Math.min(1, line.bytes / line.total);
  const filled = Math.round(frac * WIDTH);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const speed = line.speed ? ` ${formatBytes(Math.round(line.speed))}/s` : '';
  return (
    `${line.label}  [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${pct} ` +
    `${formatBytes(line.bytes)}/${formatBytes(line.total)}${speed}  ${line.state}`
  );
}

export function makeProgress(out: NodeJS.WriteStream = process.stdout): Progress {
  const tty = out.isTTY === true;
  let drawn = 0;
  const lastState = new Map<string, string>();
  let last: readonly ProgressLine[] = [];
  const clear = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A`);
    for (let i = 0; i < drawn; i++) out.write('\x1b[2K\n');
    if (drawn > 0) out.write(`\x1b[${drawn}A`);
    drawn = 0;
  };
  const draw = () => {
    for (const l of last) out.write(`\x1b[2K${bar(l)}\n`);
    drawn = last.length;
  };
  return {
    render(lines) {
      last = lines;
      if (tty) {
        clear();
        draw();
        return;
      }
      for (const l of lines) {
        if (lastState.get(l.key) === l.state) continue;
        lastState.set(l.key, l.state);
        out.write(`${l.label}: ${l.state} (${formatBytes(l.bytes)} of ${formatBytes(l.total)})\n`);
      }
    },
    note(msg) {
      if (tty) clear();
      out.write(`${msg}\n`);
      if (tty) draw();
    },
    finish() {
      drawn = 0;
    },
  };
}
