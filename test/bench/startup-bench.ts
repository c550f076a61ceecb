/**
 * Start-up and `s2v analyze` in fresh processes, each as a ratio to a reference run in the
 * same loop (so a loaded machine slows both alike): `s2v --version` against bare `node`,
 * and `s2v analyze` of a 30 s clip, plain and with --json, against aubio's beat tracker on
 * the same file; and `s2v analyze` with its early start (ffmpeg's decode started before the CLI
 * loads, bin/early-decode.js, and the VAD's worker with it, bin/early-vad.js)
 * against without (S2V_NO_EARLY=1). Wall time and CPU time (the child and its children, from
 * /proc on Linux), median of RUNS, plus the peak RSS of the analysing process and its minor
 * page faults (memory touched for the first time: on the 2-core VM this is measured on, each
 * MB of it costs ≈ 5–10 ms, and the count hardly moves with the load).
 *
 * Where NODE_EXTRA_CA_CERTS is set (this sandbox sets it to the system's whole CA bundle), Node
 * parses every certificate in that file before running any JavaScript: a quarter of bare node's
 * start-up CPU in a profile, ≈ 40 ms of wall per process on this VM. Every `s2v` command pays it and
 * aubio does not, so the bench also shows bare node and `s2v analyze` without it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIP = '/work/shared/eval-dev/t03_last_trip.wav';
const CLIP_SEC = 30;
const RUNS = 5;

/** CPU seconds of every child this process has reaped so far (utime+stime of children). */
function childCpu(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
  faults: number;
}

function run(cmd: string, args: string[], env?: Record<string, string | undefined>): Run {
  const c0 = childCpu();
  const t0 = performance.now();
  // GNU time reports the child's peak RSS and minor page faults on stderr's last line.
  const r = spawnSync('/usr/bin/time', ['-f', '%M %R', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: env ? { ...process.env, ...env } : undefined });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-2)[0]}`);
  const [rssKb, faults] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: childCpu() - c0, rssMb: rssKb! / 1024, faults: faults! };
}

const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;

function pair(a: [string, string[], Record<string, string | undefined>?], b: [string, string[], Record<string, string | undefined>?]): { a: Run; b: Run } {
  const ra: Run[] = [];
  const rb: Run[] = [];
  // Interleaved, so both see the same neighbours on a shared machine.
  for (let i = 0; i < RUNS; i++) {
    ra.push(run(...a));
    rb.push(run(...b));
  }
  const m = (rs: Run[]): Run => ({ wall: med(rs.map((r) => r.wall)), cpu: med(rs.map((r) => r.cpu)), rssMb: Math.max(...rs.map((r) => r.rssMb)), faults: med(rs.map((r) => r.faults)) });
  return { a: m(ra), b: m(rb) };
}

export async function benchStartup(): Promise<void> {
  const s2v = path.join(root, 'bin/s2v.js');
  run(process.execPath, [s2v, '--version']); // build the CLI bundle outside the measurement
  const start = pair([process.execPath, [s2v, '--version']], [process.execPath, ['-e', '0']]);
  console.log(
    `start-up (s2v --version vs bare node, median of ${RUNS}): wall ${start.a.wall.toFixed(2)} s vs ${start.b.wall.toFixed(2)} s = ${(start.a.wall / start.b.wall).toFixed(1)}×, ` +
      `CPU ${start.a.cpu.toFixed(2)} s vs ${start.b.cpu.toFixed(2)} s = ${(start.a.cpu / Math.max(0.01, start.b.cpu)).toFixed(1)}×`,
  );
  // Both forms a user runs: the summary, and --json (adds the curves at fps and the per-frame visemes).
  for (const [form, extra] of [['s2v analyze', []], ['s2v analyze --json', ['--json']]] as const) {
    const an = pair([process.execPath, [s2v, 'analyze', CLIP, ...extra]], ['aubio', ['beat', '-i', CLIP]]);
    console.log(
      `${form}, ${CLIP_SEC} s clip, fresh process, vs aubio beat (median of ${RUNS}, interleaved): ` +
        `wall ${an.a.wall.toFixed(2)} s = ${(CLIP_SEC / an.a.wall).toFixed(0)}× real time vs aubio ${an.b.wall.toFixed(2)} s = ${(CLIP_SEC / an.b.wall).toFixed(0)}× (ours/aubio ${(an.a.wall / an.b.wall).toFixed(2)}); ` +
        `CPU ${an.a.cpu.toFixed(2)} s = ${(CLIP_SEC / an.a.cpu).toFixed(0)}× vs ${an.b.cpu.toFixed(2)} s = ${(CLIP_SEC / Math.max(0.01, an.b.cpu)).toFixed(0)}×; ` +
        `peak RSS ${an.a.rssMb.toFixed(0)} MB vs ${an.b.rssMb.toFixed(0)} MB; minor page faults ${an.a.faults} vs ${an.b.faults} (target ≥ 60× real time)`,
    );
  }
  // The decode and the VAD's worker started while the CLI loads (bin/early-decode.js, src/cli/analyze-early.ts) against started with the analysis.
  const early = pair([process.execPath, [s2v, 'analyze', CLIP]], [process.execPath, [s2v, 'analyze', CLIP], { S2V_NO_EARLY: '1' }]);
  console.log(
    `s2v analyze, decode and VAD worker started while the CLI loads vs with the analysis (S2V_NO_EARLY=1), median of ${RUNS}, interleaved: ` +
      `wall ${early.a.wall.toFixed(2)} s vs ${early.b.wall.toFixed(2)} s (${(early.a.wall / early.b.wall).toFixed(2)}×), CPU ${early.a.cpu.toFixed(2)} s vs ${early.b.cpu.toFixed(2)} s, ` +
      `minor page faults ${early.a.faults} vs ${early.b.faults}`,
  );
  // An undefined value leaves the variable out of the child's environment.
  const certs = process.env.NODE_EXTRA_CA_CERTS;
  if (certs) {
    const without = { NODE_EXTRA_CA_CERTS: undefined };
    const bare = pair([process.execPath, ['-e', '0']], [process.execPath, ['-e', '0'], without]);
    const an = pair([process.execPath, [s2v, 'analyze', CLIP]], [process.execPath, [s2v, 'analyze', CLIP], without]);
    console.log(
      `NODE_EXTRA_CA_CERTS=${certs} is set: node parses it at every start. Bare node ${bare.a.wall.toFixed(2)} s vs ${bare.b.wall.toFixed(2)} s without it; ` +
        `s2v analyze ${an.a.wall.toFixed(2)} s vs ${an.b.wall.toFixed(2)} s without it = ${(CLIP_SEC / an.b.wall).toFixed(0)}× real time (median of ${RUNS}, interleaved)`,
    );
  }
  console.log(`load average during the runs: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchStartup();
