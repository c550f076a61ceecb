/**
 * The one way tests start programs (ffmpeg fixtures, unzip, node sub-processes). Production
 * code goes through src/media/run-process.ts; tests need a looser tool (they read raw stdout,
 * expect failures, kill children), so they come here instead of importing child_process each.
 * Every call has a timeout, and a failure is one line: program, how it ended, stderr tail.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface ProcessOptions {
  cwd?: string;
  /** Replaces the environment (as child_process does); inherited when absent. */
  env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long; 120 s by default so a stuck fixture fails instead of hanging. */
  timeoutMs?: number;
}

/** How a program ended; `code` is null when a signal (or the timeout) ended it. */
export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;
// Decoded PCM and raw frames are read whole from stdout; 256 MB covers every fixture.
const MAX_BUFFER = 1 << 28;

/** One line: `ffmpeg exited 1: <last stderr line>`, for a program that did not exit 0. */
export function describeFailure(bin: string, o: Outcome, timeoutMs?: number): string {
  const how = o.code !== null ? `exited ${o.code}` : timeoutMs ? `timed out after ${timeoutMs} ms (${o.signal})` : `was killed by ${o.signal}`;
  const tail = o.stderr.trim().split('\n').at(-1)?.slice(-300) ?? '';
  return `${path.basename(bin)} ${how}${tail ? `: ${tail}` : ''}`;
}

/** Runs to the end and reports how it ended, whatever the exit code (for tests that expect failure). */
export function outcomeSync(bin: string, args: readonly string[], opts: ProcessOptions = {}): Outcome {
  const r = spawnSync(bin, args, { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: MAX_BUFFER });
  if (r.error && !r.signal) throw new Error(`${path.basename(bin)} could not run: ${r.error.message}`);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** Runs to the end and returns stdout; throws one line unless it exited 0. */
export function runSync(bin: string, args: readonly string[], opts: ProcessOptions = {}): Buffer {
  const o = outcomeSync(bin, args, opts);
  if (o.code !== 0) throw new Error(describeFailure(bin, o, o.code === null ? (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) : undefined));
  return o.stdout;
}

/** Starts a program and hands back the live process (to read its streams, signal or kill it). */
export function spawnChild(bin: string, args: readonly string[], opts: Omit<ProcessOptions, 'timeoutMs'> & { stdio?: StdioOptions } = {}): ChildProcess {
  return spawn(bin, args, { cwd: opts.cwd, env: opts.env, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
}

/** Async outcomeSync: never rejects for a non-zero exit, only when the program cannot start. */
export function outcome(bin: string, args: readonly string[], opts: ProcessOptions = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(bin, args, opts);
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(bin)} could not run: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

/** Async runSync: resolves stdout (and stderr, where programs such as ffmpeg report) when it exits 0. */
export async function run(bin: string, args: readonly string[], opts: ProcessOptions = {}): Promise<{ stdout: Buffer; stderr: string }> {
  const o = await outcome(bin, args, opts);
  if (o.code !== 0) throw new Error(describeFailure(bin, o, o.code === null ? (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) : undefined));
  return { stdout: o.stdout, stderr: o.stderr };
}

/**
 * Makes a named pipe at `pipe` and settles what `open(pipe)` gives — the error it rejects with, or
 * undefined if it resolved. Were the open to wait for a writer, one comes after 3 s, so a test
 * fails (`waitedForWriter` true) instead of hanging.
 */
export async function openNamedPipe(pipe: string, open: (p: string) => Promise<unknown>): Promise<{ error: unknown; waitedForWriter: boolean }> {
  runSync('mkfifo', [pipe]);
  let waitedForWriter = false;
  const writer = setTimeout(() => {
    waitedForWriter = true;
    void fsp.open(pipe, 'w').then((fh) => fh.close());
  }, 3000);
  try {
    const error = await open(pipe).then(
      () => undefined,
      (x: unknown) => x,
    );
    return { error, waitedForWriter };
  } finally {
    clearTimeout(writer);
  }
}
