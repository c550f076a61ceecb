/**
 * ffmpeg and ffprobe through the one process runner (run-process.ts). Everything else builds an
 * argument array (see args.ts) and hands it here. Cancelling the signal SIGKILLs the process
 * (no half-finalised output) and rejects with E121; a failure becomes a one-line S2VError
 * naming the media file, built from the tail of stderr.
 */
import { S2VError } from '../engine/errors.js';
import { adoptProcess, spawnProcess, type ProcessJob, type ProcessResult, type SpawnProcessOptions, type StartedProcess } from './run-process.js';

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

export type FfmpegResult = ProcessResult;
export type FfmpegJob = ProcessJob;

export function spawnFfmpeg(opts: SpawnFfmpegOptions): FfmpegJob {
  return spawnProcess(ffmpegProcess(opts));
}

/** An ffmpeg already running `opts.bin` with `opts.args` (early-decode.ts), with spawnFfmpeg's errors. */
export function adoptFfmpeg(started: StartedProcess, opts: SpawnFfmpegOptions): FfmpegJob {
  return adoptProcess(started, ffmpegProcess(opts));
}

function ffmpegProcess(opts: SpawnFfmpegOptions): SpawnProcessOptions {
  return {
    bin: opts.bin,
    args: opts.args,
    signal: opts.signal,
    where: opts.file,
    name: 'ffmpeg',
    stdin: opts.stdin,
    stdout: opts.stdout,
    failure: (x) => ffmpegFailure(x.stderrTail, opts.file, x.code, x.signal),
    cannotStart: (e) =>
      e.code === 'ENOENT'
        ? new S2VError('E122', 'ffmpeg not found', { where: opts.bin, hint: 'apt-get install ffmpeg or set FFMPEG_PATH', exitCode: 1 })
        : new S2VError('E120', `cannot start ffmpeg (${e.code ?? e.message})`, { where: opts.bin, exitCode: 1 }),
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
