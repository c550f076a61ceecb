/**
 * The one place that spawns ffmpeg or ffprobe. Everything else builds an argument array
 * (see args.ts) and hands it here. Cancelling the signal SIGKILLs the process (no
 * half-finalised output) and rejects with E121; a failure becomes a one-line S2VError
 * naming the media file, built from the tail of stderr.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { S2VError, cancelledError } from '../engine/index.js';

export interface SpawnFfmpegOptions {
  /** Binary to run (ffmpeg or ffprobe path from locate.ts). */
  bin: string;
  args: readonly string[];
  signal?: AbortSignal;
  /** The media file this job is about; named in error messages. */
  file?: string;
  /** Open stdin for `write()` (frames, PCM). Otherwise stdin is closed. */
  stdin?: boolean;
  /** 'collect' buffers stdout into `result.stdout`; 'stream' exposes `job.stdout`; default 'ignore'. */
  stdout?: 'collect' | 'stream' | 'ignore';
}

export interface FfmpegResult {
  stdout: Buffer;
  stderrTail: string;
}

export interface FfmpegJob {
  /** Readable stdout when `stdout: 'stream'`; reading it applies backpressure to ffmpeg. */
  readonly stdout: Readable | null;
  /** Write to stdin; resolves once ffmpeg has taken the bytes (waits for 'drain'). */
  write(chunk: Uint8Array): Promise<void>;
  /** Close stdin so ffmpeg sees end of input. */
  endInput(): void;
  /** SIGKILL the process; `done` then rejects with E121. Safe to call twice. */
  kill(): void;
  /** Settles when the process exits: resolves on exit 0, rejects with an S2VError otherwise. */
  readonly done: Promise<FfmpegResult>;
}

const STDERR_TAIL_BYTES = 8192;

export function spawnFfmpeg(opts: SpawnFfmpegOptions): FfmpegJob {
  if (opts.signal?.aborted) throw cancelledError(opts.file);
  const child = spawn(opts.bin, [...opts.args], {
    stdio: [opts.stdin ? 'pipe' : 'ignore', opts.stdout && opts.stdout !== 'ignore' ? 'pipe' : 'ignore', 'pipe'],
    windowsHide: true,
  });
  let stderrTail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    stderrTail = (stderrTail + s).slice(-STDERR_TAIL_BYTES);
  });
  const collected: Buffer[] = [];
  if (opts.stdout === 'collect') child.stdout!.on('data', (b: Buffer) => collected.push(b));
  // ffmpeg exiting early makes stdin writes fail with EPIPE; the exit status carries the real error.
  child.stdin?.on('error', () => {});

  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const onAbort = () => kill();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const done = new Promise<FfmpegResult>((resolve, reject) => {
    child.once('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(
        e.code === 'ENOENT'
          ? new S2VError('E122', 'ffmpeg not found', { where: opts.bin, hint: 'apt-get install ffmpeg or set FFMPEG_PATH', exitCode: 1 })
          : new S2VError('E120', `cannot start ffmpeg (${e.code ?? e.message})`, { where: opts.bin, exitCode: 1 }),
      );
    });
    child.once('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (killed) return reject(cancelledError(opts.file));
      if (code === 0) return resolve({ stdout: Buffer.concat(collected), stderrTail });
      reject(ffmpegFailure(stderrTail, opts.file, code, sig));
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
      if (!stdin) throw new Error('spawnFfmpeg: stdin was not requested');
      if (killed) throw cancelledError(opts.file);
      // Resolve only once the bytes are in the pipe (write callback), not merely queued: the
      // caller may then reuse its buffer, and at most one chunk is ever held in memory.
      const err = await new Promise<Error | null | undefined>((resolve) => {
        if (child.exitCode !== null || stdin.destroyed || stdin.writableEnded) return resolve(new Error('stdin closed'));
        stdin.write(chunk, resolve);
      });
      if (!err) return;
      await done; // a dead ffmpeg rejects here with its own (more useful) error
      throw new S2VError('E120', 'ffmpeg stopped reading input', { where: opts.file, exitCode: 1 });
    },
  };
}

/** Spawn, wait, and return collected stdout. */
export function runFfmpeg(opts: SpawnFfmpegOptions): Promise<FfmpegResult> {
  return spawnFfmpeg({ stdout: 'collect', ...opts }).done;
}

/** Known stderr patterns → what a user should read. */
const PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/No such file or directory/i, () => 'file not found'],
  [/Permission denied/i, () => 'permission denied'],
  [/Stream map '[^']*:a[^']*' matches no streams/i, () => 'has no audio stream'],
  [/Stream map '[^']*:v[^']*' matches no streams/i, () => 'has no video/image stream'],
  [/moov atom not found/i, () => 'file is truncated or corrupt (moov atom not found)'],
  [/Invalid data found when processing input/i, () => 'not a readable media file (invalid data)'],
  [/could not find codec parameters/i, () => 'unsupported or corrupt media (could not find codec parameters)'],
  [/Decoder \(codec ([\w-]+)\) not found|Unknown (?:decoder|encoder) '([\w-]+)'/i, (m) => `unsupported codec ${m[1] ?? m[2]}`],
  [/Error while decoding stream|corrupt|Invalid NAL|decode_slice/i, () => 'corrupt media data'],
];

/** Turn a failed run into one line. Exported for tests. */
export function ffmpegFailure(stderr: string, file: string | undefined, code: number | null, sig: NodeJS.Signals | null): S2VError {
  const where = file;
  // The demuxer rejecting the input shows up as "<file>: Invalid argument" (e.g. text named .mp3).
  if (file && stderr.includes(`${file}: Invalid argument`)) {
    return new S2VError('E110', 'not a readable media file (unrecognised or corrupt data)', { where });
  }
  for (const [re, describe] of PATTERNS) {
    const m = stderr.match(re);
    if (!m) continue;
    const message = describe(m);
    const codeId = message === 'file not found' || message === 'permission denied' ? 'E108' : 'E110';
    // Unreadable or corrupt media is bad input (exit 2), like a missing file.
    return new S2VError(codeId, message, { where, exitCode: 2 });
  }
  const last = lastMeaningfulLine(stderr, file);
  const status = sig ? `killed by ${sig}` : `exit code ${code}`;
  return new S2VError('E110', last ? `ffmpeg failed: ${last}` : `ffmpeg failed (${status})`, { where, exitCode: 1 });
}

function lastMeaningfulLine(stderr: string, file: string | undefined): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^Conversion failed|^Exiting normally/i.test(l));
  let line = lines.at(-1) ?? '';
  // ffmpeg prefixes many errors with the input path, which `where` already names.
  if (file && line.startsWith(`${file}: `)) line = line.slice(file.length + 2);
  return line.slice(0, 200);
}
