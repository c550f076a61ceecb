/**
 * The one place in S2V Studio that starts another program (ffmpeg/ffprobe through
 * run-ffmpeg.ts, the speech engine, `s2v doctor`'s version probes, `s2v studio`'s browser).
 * Every caller gets the same guarantees: cancelling the signal SIGKILLs the process and
 * rejects with E121, stdin write errors never crash us (the exit status carries the real
 * error), and a failure is mapped by the caller to one line from the tail of stderr.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { S2VError, cancelledError } from '../engine/errors.js';

/** How a program ended when it did not exit 0 (killed by us is reported as E121 instead). */
export interface ProcessExit {
  stderrTail: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnProcessOptions {
  /** Program to run: an absolute path, or a name looked up on PATH. */
  bin: string;
  args: readonly string[];
  signal?: AbortSignal;
  /** What this job is about (a file, a node); named in the cancel error. */
  where?: string;
  /** Name used in messages; the program's file name by default. */
  name?: string;
  /** `true` opens stdin for `write()`; a string is written to stdin and closed; default closed. */
  stdin?: boolean | string;
  /** 'collect' buffers stdout into `result.stdout`; 'stream' exposes `job.stdout`; default 'ignore'. */
  stdout?: 'collect' | 'stream' | 'ignore';
  /** The error for a non-zero exit; default: E120 "<name> failed (exit N): <last stderr line>". */
  failure?: (exit: ProcessExit) => Error;
  /** The error when the program cannot start; default: E122 "<name> not found" for ENOENT, else E120. */
  cannotStart?: (e: NodeJS.ErrnoException) => Error;
}

export interface ProcessResult {
  stdout: Buffer;
  stderrTail: string;
}

export interface ProcessJob {
  /** Readable stdout when `stdout: 'stream'`; reading it applies backpressure to the program. */
  readonly stdout: Readable | null;
  /** Write to stdin; resolves once the program has taken the bytes (waits for 'drain'). */
  write(chunk: Uint8Array): Promise<void>;
  /** Close stdin so the program sees end of input. */
  endInput(): void;
  /** SIGKILL the process; `done` then rejects with E121. Safe to call twice. */
  kill(): void;
  /** Settles when the process exits: resolves on exit 0, rejects with an S2VError otherwise. */
  readonly done: Promise<ProcessResult>;
}

const STDERR_TAIL_BYTES = 8192;

/** The last non-empty stderr line, for a one-line message. */
export function lastStderrLine(stderr: string): string {
  return stderr.trim().split(/\r?\n/).pop()?.trim() ?? '';
}

/** How a started process ended: it could not start, or it closed (exited, its output read to the end). */
export type ProcessEnd = { error: NodeJS.ErrnoException } | { code: number | null; signal: NodeJS.Signals | null };

/**
 * A program already started, watched from its start: the tail of its stderr, and its end (given
 * at once to a late `onEnd`). bin/early-decode.js keeps the same record for the decode it starts
 * before the CLI loads; adoptProcess puts it under spawnProcess' guarantees.
 */
export interface StartedProcess {
  child: ChildProcess;
  stderrTail(): string;
  onEnd(f: (end: ProcessEnd) => void): void;
}

function watchProcess(child: ChildProcess): StartedProcess {
  let stderrTail = '';
  let end: ProcessEnd | undefined;
  const waiting: Array<(e: ProcessEnd) => void> = [];
  const ended = (e: ProcessEnd) => {
    if (end) return;
    end = e;
    for (const f of waiting.splice(0)) f(e);
  };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    stderrTail = (stderrTail + s).slice(-STDERR_TAIL_BYTES);
  });
  child.once('error', (error: NodeJS.ErrnoException) => ended({ error }));
  child.once('close', (code, signal) => ended({ code, signal }));
  return {
    child,
    stderrTail: () => stderrTail,
    onEnd(f) {
      if (end) f(end);
      else waiting.push(f);
    },
  };
}

export function spawnProcess(opts: SpawnProcessOptions): ProcessJob {
  if (opts.signal?.aborted) throw cancelledError(opts.where);
  const child = spawn(opts.bin, [...opts.args], {
    stdio: [opts.stdin ? 'pipe' : 'ignore', opts.stdout && opts.stdout !== 'ignore' ? 'pipe' : 'ignore', 'pipe'],
    windowsHide: true,
  });
  return superviseProcess(watchProcess(child), opts);
}

/**
 * A process someone else started (`started`, watched since its start) as if spawnProcess had
 * started it with `opts` (whose bin and args it must already be running; stdin closed).
 */
export function adoptProcess(started: StartedProcess, opts: SpawnProcessOptions): ProcessJob {
  if (opts.signal?.aborted) {
    started.child.kill('SIGKILL');
    throw cancelledError(opts.where);
  }
  return superviseProcess(started, opts);
}

function superviseProcess(started: StartedProcess, opts: SpawnProcessOptions): ProcessJob {
  const { child } = started;
  const name = opts.name ?? path.basename(opts.bin);
  const collected: Buffer[] = [];
  if (opts.stdout === 'collect') child.stdout!.on('data', (b: Buffer) => collected.push(b));
  // A program exiting early makes stdin writes fail with EPIPE; the exit status carries the real error.
  child.stdin?.on('error', () => {});
  if (typeof opts.stdin === 'string') child.stdin?.end(opts.stdin);

  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const onAbort = () => kill();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const failure =
    opts.failure ??
    ((x: ProcessExit) => {
      const last = lastStderrLine(x.stderrTail);
      const status = x.signal ? `killed by ${x.signal}` : `exit ${x.code}`;
      return new S2VError('E120', `${name} failed (${status})${last ? `: ${last}` : ''}`, { where: opts.where, exitCode: 1 });
    });
  const cannotStart =
    opts.cannotStart ??
    ((e: NodeJS.ErrnoException) =>
      e.code === 'ENOENT'
        ? new S2VError('E122', `${name} not found`, { where: opts.bin, exitCode: 1 })
        : new S2VError('E120', `cannot start ${name} (${e.code ?? e.message})`, { where: opts.bin, exitCode: 1 }));

  const done = new Promise<ProcessResult>((resolve, reject) => {
    started.onEnd((end) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if ('error' in end) return reject(killed ? cancelledError(opts.where) : cannotStart(end.error));
      if (killed) return reject(cancelledError(opts.where));
      const stderrTail = started.stderrTail();
      if (end.code === 0) return resolve({ stdout: Buffer.concat(collected), stderrTail });
      reject(failure({ stderrTail, code: end.code, signal: end.signal }));
    });
  });
  // Callers await `done` eventually; this keeps an early failure from counting as unhandled.
  done.catch(() => {});

  return {
    stdout: opts.stdout === 'stream' ? child.stdout : null,
    done,
    kill,
    endInput() {
      child.stdin?.end();
    },
    async write(chunk) {
      const stdin = child.stdin;
      if (!stdin || typeof opts.stdin === 'string') throw new Error(`spawnProcess(${name}): stdin was not requested`);
      if (killed) throw cancelledError(opts.where);
      // Resolve only once the bytes are in the pipe (write callback), not merely queued: the
      // caller may then reuse its buffer, and at most one chunk is ever held in memory.
      const err = await new Promise<Error | null | undefined>((resolve) => {
        if (child.exitCode !== null || stdin.destroyed || stdin.writableEnded) return resolve(new Error('stdin closed'));
        stdin.write(chunk, resolve);
      });
      if (!err) return;
      await done; // a dead program rejects here with its own (more useful) error
      throw new S2VError('E120', `${name} stopped reading input`, { where: opts.where, exitCode: 1 });
    },
  };
}

/** Spawn, wait, and return collected stdout. */
export function runProcess(opts: SpawnProcessOptions): Promise<ProcessResult> {
  return spawnProcess({ stdout: 'collect', ...opts }).done;
}

/**
 * Run a short probe (`--version`) and wait for it: for `s2v doctor` and locating ffmpeg,
 * which answer before anything else runs. Never throws: undefined when the program is
 * missing, fails or takes longer than `timeoutMs`.
 */
export function probeOutput(bin: string, args: readonly string[], timeoutMs = 8000): { stdout: string; stderr: string } | undefined {
  const r = spawnSync(bin, [...args], { encoding: 'utf8', timeout: timeoutMs, windowsHide: true });
  if (r.error || r.status !== 0) return undefined;
  return { stdout: r.stdout, stderr: r.stderr };
}

/**
 * Start a program that outlives us and whose result nobody waits for (the browser opener of
 * `s2v studio`). Best effort: a program that is missing or fails to start is ignored.
 */
export function launchDetached(bin: string, args: readonly string[]): void {
  try {
    const child = spawn(bin, [...args], { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // nothing to open it with on this machine
  }
}
