// `npm run mutate [group…]`: StrykerJS over the code issue #14 names, one group at a time
// (see groups.mjs), then the mutation score per folder against each group's threshold.
// Not in CI: it takes a while. Reports land in test-artifacts/mutation/<group>/.
// Exit code 1 when a group misses its threshold.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { GROUPS, groupNamed } from './groups.mjs';

const require = createRequire(import.meta.url);
const strykerBin = path.join(path.dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');
const config = 'test/mutation/stryker.config.mjs';

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const summaryOnly = process.argv.includes('--summary');
// `--dry-run`: only each group's initial test run (checks the groups and their test lists work,
// e.g. on a fresh clone, in a minute or two instead of an hour).
const dryRun = process.argv.includes('--dry-run');
const groups = only.length ? only.map(groupNamed) : GROUPS;

function runStryker(group) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [strykerBin, 'run', config, ...(dryRun ? ['--dryRunOnly'] : [])], {
      stdio: 'inherit',
      env: { ...process.env, S2V_MUTATE_GROUP: group.name, S2V_MUTATE_TESTS: group.tests.join(',') },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`stryker exited ${code} for group "${group.name}"`))));
  });
}

/** Counts per status for every folder in a Stryker JSON report (mutation-testing-report-schema). */
export function folderScores(report) {
  const folders = new Map();
  for (const [file, data] of Object.entries(report.files)) {
    const dir = path.posix.dirname(file.split(path.sep).join('/'));
    const f = folders.get(dir) ?? { killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, survivors: [] };
    for (const m of data.mutants) {
      if (m.status === 'Killed') f.killed++;
      else if (m.status === 'Timeout') f.timeout++;
      else if (m.status === 'Survived') f.survived++;
      else if (m.status === 'NoCoverage') f.noCoverage++;
      else f.errors++;
      if (m.status === 'Survived' || m.status === 'NoCoverage') f.survivors.push(`${file}:${m.location.start.line} ${m.mutatorName}${m.replacement ? ` → ${m.replacement.replace(/\s+/g, ' ').slice(0, 60)}` : ''}`);
    }
    folders.set(dir, f);
  }
  return folders;
}

const score = (c) => {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage;
  return valid ? (100 * (c.killed + c.timeout)) / valid : 100;
};

const rows = [];
let failed = false;
for (const group of groups) {
  const reportPath = path.join('test-artifacts', 'mutation', group.name, 'mutation.json');
  if (!summaryOnly) await runStryker(group);
  if (dryRun) continue;
  if (!fs.existsSync(reportPath)) {
    console.error(`error: no report for group "${group.name}" at ${reportPath}`);
    failed = true;
    continue;
  }
  const folders = folderScores(JSON.parse(fs.readFileSync(reportPath, 'utf8')));
  const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0 };
  for (const [dir, c] of folders) {
    for (const k of Object.keys(total)) total[k] += c[k];
    rows.push({ group: group.name, folder: dir, ...c, score: score(c) });
  }
  const s = score(total);
  const ok = s >= group.threshold;
  failed ||= !ok;
  rows.push({ group: group.name, folder: `${group.folder} (all)`, ...total, score: s, threshold: group.threshold, ok });
}

if (dryRun) {
  console.log(`\nInitial test runs passed for: ${groups.map((g) => g.name).join(', ')}`);
  process.exit(0);
}
console.log('\nMutation score per folder (killed + timeout) / (killed + timeout + survived + no coverage):');
console.log('group            folder                                   killed timeout survived nocov  score  target');
for (const r of rows) {
  const target = r.threshold === undefined ? '' : `≥ ${r.threshold} % ${r.ok ? 'ok' : 'MISSED'}`;
  console.log(`${r.group.padEnd(16)} ${r.folder.padEnd(40)} ${String(r.killed).padStart(6)} ${String(r.timeout).padStart(7)} ${String(r.survived).padStart(8)} ${String(r.noCoverage).padStart(5)} ${r.score.toFixed(1).padStart(6)}  ${target}`);
}
const survivors = rows.filter((r) => r.survivors?.length);
if (survivors.length) {
  console.log('\nSurviving mutants (line, mutator → replacement):');
  for (const r of survivors) for (const s of r.survivors) console.log(`  ${s}`);
}
process.exit(failed ? 1 : 0);
