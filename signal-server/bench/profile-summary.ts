/**
 * Where the time goes in a V8 CPU profile (`node --cpu-prof`, or `pnpm bench relay --profile`
 * which writes bench/.profiles/*.cpuprofile): self time per function and per file.
 *
 *   node --import tsx bench/profile-summary.ts bench/.profiles/CPU.*.cpuprofile [--top 30]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, formatTable } from '@peerboard/bench-kit';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function isCpuProfile(v: unknown): v is CpuProfile {
  const p = v as Partial<CpuProfile> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    Array.isArray(p.nodes) &&
    Array.isArray(p.samples) &&
    Array.isArray(p.timeDeltas)
  );
}

const where = (url: string): string => {
  if (url === '') return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  return nm >= 0 ? url.slice(nm + 13) : url.startsWith('node:') ? url : basename(url);
};

function summarizeProfile(file: string, top: number): void {
  const profile: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isCpuProfile(profile)) throw new Error(`${file} is not a V8 CPU profile`);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const name = `${functionName || '(anonymous)'} ${where(url)}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const f = functionName.startsWith('(') ? functionName : where(url);
    byFile.set(f, (byFile.get(f) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, fmt(us / 1000, 0), fmt((100 * us) / busy, 1)]);
  console.log(`\n${file}: ${fmt(busy / 1000, 0)} ms busy (idle excluded)\n`);
  console.log(formatTable(['function (self time)', 'ms', '%'], rows(byFunction)));
  console.log();
  console.log(formatTable(['file / category (self time)', 'ms', '%'], rows(byFile)));
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '30' } },
  allowPositionals: true,
});
for (const file of positionals) summarizeProfile(file, Number(values.top));
