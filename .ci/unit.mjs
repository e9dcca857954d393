// The unit/integration projects (`pnpm test:unit`). A test file whose worker process died in
// the middle of it (a native crash: @roamhq/wrtc's libwebrtc runs in the test process) is run
// once more, alone, and only when nothing else failed; each of its tests that then passed is
// reported as "passed only on its retry" by .ci/run's closing line, as a retried test is.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import fs from 'node:fs';
import process from 'node:process';

const args = process.argv.slice(2);
const projects = args.length > 0 ? args : ['protocol', 'server', 'core', 'yjs', 'web', 'pack'];
const report = 'test-results/vitest/unit.json';
const rerunReport = 'test-results/vitest/unit-rerun.json.tmp';

function vitest(args, json) {
  const r = spawnSync(
    'vitest',
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    { stdio: 'inherit', shell: false },
  );
  return r.status ?? 1;
}

const status = vitest(
  projects.flatMap((p) => ['--project', p]),
  report,
);
if (status === 0 || !fs.existsSync(report)) process.exit(status);

const first = JSON.parse(fs.readFileSync(report, 'utf8'));
// A test still 'pending' in a file with no `.skip` (this suite has none) never finished.
const cut = first.testResults.filter((f) => f.assertionResults.some((t) => t.status === 'pending'));
if (first.numFailedTests > 0 || cut.length === 0) process.exit(status);

const files = cut.map((f) => f.name);
console.log(`\nunit: a worker died during ${files.join(', ')}; running it once more, alone\n`);
const again = vitest(
  [...projects.flatMap((p) => ['--project', p]), '--maxWorkers=1', ...files],
  rerunReport,
);
if (!fs.existsSync(rerunReport)) process.exit(again || 1);

const second = JSON.parse(fs.readFileSync(rerunReport, 'utf8'));
fs.rmSync(rerunReport);
const byName = new Map(second.testResults.map((f) => [f.name, f]));
first.testResults = first.testResults.map((f) => {
  const redo = byName.get(f.name);
  if (!redo) return f;
  for (const t of redo.assertionResults)
    t.failureMessages.unshift('first run: the worker process running this file died');
  return redo;
});
const all = first.testResults.flatMap((f) => f.assertionResults);
first.numPassedTests = all.filter((t) => t.status === 'passed').length;
first.numFailedTests = all.filter((t) => t.status === 'failed').length;
first.numPendingTests = all.filter((t) => t.status === 'pending').length;
first.numTotalTests = all.length;
first.success = again === 0;
fs.writeFileSync(report, JSON.stringify(first));
process.exit(again);
