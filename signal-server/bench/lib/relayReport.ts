/** Rows measured by the relay benchmark and how they are printed. */
import { fmt, formatTable } from '@peerboard/bench-kit';

export type Mode = 'closed' | 'rate';

export interface LoadRow {
  server: string;
  mode: Mode;
  msgsPerSec: number;
  /** Round trip (two relayed messages), ms. */
  p50: number;
  p99: number;
  /** Rate mode: p99 measured from the scheduled send time (includes load-generator lag). */
  p99Scheduled: number;
  /** Server utime + stime per relayed message, us. */
  cpuUsPerMsg: number;
  /** The kernel part (stime) of cpuUsPerMsg. */
  sysUsPerMsg: number;
  serverCpuPct: number;
  loadCpuPct: number;
  /** Worst event-loop delay p99 among the load processes: their own scheduling noise. */
  loadLoopLagP99: number;
  rssMiB: number;
  anomalies: string;
}

export interface IdleRow {
  server: string;
  /** Server processes holding the connections (more than one where the file limit is low). */
  processes: number;
  connections: number;
  rssBeforeMiB: number;
  rssHeldMiB: number;
  perConnKiB: number;
  /** RSS added by the second half of the connections, per connection */
  secondHalfKiB: number;
  /** Connections opened, greeted and joined per second while setting the idle test up. */
  joinsPerSec: number;
  /** The machine's 1-minute load average once the connections were held. */
  loadAverage: number;
}

export interface ReportContext {
  inFlight: number;
  rate: number;
  /** Server labels in the order given by --servers; ratios compare each with "ws" if it runs,
   * else the first with the second. */
  servers: string[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const userUs = (r: LoadRow): number => r.cpuUsPerMsg - r.sysUsPerMsg;

export function formatRelayReport(ctx: ReportContext, rows: LoadRow[], idle: IdleRow[]): string {
  if (rows.length === 0) return formatIdle(idle);
  const out: string[] = [];
  const modeLabel = (m: Mode): string =>
    m === 'closed' ? `max, ${ctx.inFlight} in flight/pair` : `fixed ${fmt(ctx.rate, 0)} msgs/s`;
  const modes = (['closed', 'rate'] as const).filter((m) => rows.some((r) => r.mode === m));

  out.push('Every run (CPU = server utime+stime over the window / messages relayed):\n');
  out.push(
    formatTable(
      [
        'server',
        'load',
        'msgs/s',
        'p50 ms',
        'p99 ms',
        'p99 sched ms',
        'CPU us/msg',
        'user',
        'sys',
        'server CPU %',
        'load CPU %',
        'load lag p99 ms',
        'RSS MiB',
        'anomalies',
      ],
      rows.map((r) => [
        r.server,
        modeLabel(r.mode),
        fmt(r.msgsPerSec, 0),
        fmt(r.p50, 2),
        fmt(r.p99, 2),
        fmt(r.p99Scheduled, 2),
        fmt(r.cpuUsPerMsg, 2),
        fmt(userUs(r), 2),
        fmt(r.sysUsPerMsg, 2),
        fmt(r.serverCpuPct, 0),
        fmt(r.loadCpuPct, 0),
        fmt(r.loadLoopLagP99, 1),
        fmt(r.rssMiB, 1),
        r.anomalies,
      ]),
    ),
  );

  const med = (server: string, mode: Mode, f: (r: LoadRow) => number): number =>
    median(rows.filter((r) => r.server === server && r.mode === mode).map(f));
  out.push('\nMedians over rounds:\n');
  out.push(
    formatTable(
      ['server', 'load', 'msgs/s', 'p50 ms', 'p99 ms', 'CPU us/msg', 'user us/msg', 'sys us/msg'],
      modes.flatMap((mode) =>
        ctx.servers.map((s) => [
          s,
          modeLabel(mode),
          fmt(
            med(s, mode, (r) => r.msgsPerSec),
            0,
          ),
          fmt(
            med(s, mode, (r) => r.p50),
            2,
          ),
          fmt(
            med(s, mode, (r) => r.p99),
            2,
          ),
          fmt(
            med(s, mode, (r) => r.cpuUsPerMsg),
            2,
          ),
          fmt(med(s, mode, userUs), 2),
          fmt(
            med(s, mode, (r) => r.sysUsPerMsg),
            2,
          ),
        ]),
      ),
    ),
  );

  const reference = ctx.servers.includes('ws') ? 'ws' : ctx.servers[1];
  for (const a of ctx.servers) {
    if (reference === undefined || a === reference || (reference !== 'ws' && a !== ctx.servers[0]))
      continue;
    const b = reference;
    const adv = (mode: Mode, f: (r: LoadRow) => number, higherIsBetter: boolean): string => {
      const x = med(a, mode, f);
      const y = med(b, mode, f);
      return fmt(higherIsBetter ? x / y : y / x, 2);
    };
    out.push(`\nAdvantage of ${a} over ${b} (x; > 1 means ${a} is better; from the medians):\n`);
    out.push(
      formatTable(
        ['load', 'msgs/s', 'CPU per msg', 'user CPU per msg', 'p99'],
        modes.map((mode) => [
          modeLabel(mode),
          adv(mode, (r) => r.msgsPerSec, true),
          adv(mode, (r) => r.cpuUsPerMsg, false),
          adv(mode, userUs, false),
          adv(mode, (r) => r.p99, false),
        ]),
      ),
    );
  }

  out.push(formatIdle(idle));
  return out.join('\n');
}

function formatIdle(idle: IdleRow[]): string {
  const out: string[] = [];
  if (idle.length > 0) {
    out.push('\nIdle joined connections (each pair in its own room):\n');
    out.push(
      formatTable(
        [
          'server',
          'processes',
          'connections',
          'RSS before MiB',
          'RSS held MiB',
          'KiB per connection',
          'KiB per conn, 2nd half',
          'joins/s',
          'load avg',
        ],
        idle.map((r) => [
          r.server,
          r.processes,
          r.connections,
          fmt(r.rssBeforeMiB),
          fmt(r.rssHeldMiB),
          fmt(r.perConnKiB, 2),
          fmt(r.secondHalfKiB, 2),
          fmt(r.joinsPerSec, 0),
          fmt(r.loadAverage, 1),
        ]),
      ),
    );
    // compared at the same size only
    for (const x of idle) {
      const same = idle.filter((r) => r.connections === x.connections);
      const y = same.find((r) => r.server === 'ws') ?? same[1];
      if (y && x !== y && (y.server === 'ws' || x === same[0]))
        out.push(
          `\n${x.server} holds an idle connection in ${fmt(y.secondHalfKiB / x.secondHalfKiB, 2)}x ` +
            `less memory than ${y.server} at ${x.connections} connections (second half).`,
        );
    }
  }
  return out.join('\n');
}
