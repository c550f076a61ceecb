// `s2v analyze <file>` starts ffmpeg's decode of the file here, before the CLI's bundle loads:
// ffmpeg's own start (≈ 50 ms to exec, open and probe the file) and the spawn call then overlap
// the bundle load, where the analysis otherwise waited for them with nothing else to do.
// The analysis adopts this process when it asks for exactly this decode (the same ffmpeg binary
// and the same arguments: src/media/early-decode.ts checks, and a test pins the arguments to
// src/media/args.ts' decodeAudioArgs); until then ffmpeg's output waits in the pipe, which holds
// about a second of audio before ffmpeg blocks. Started only for a readable regular file and
// arguments the analysis accepts, only where the ffmpeg is known without running it (see
// guessFfmpeg), never with S2V_NO_EARLY=1; a process nobody adopted is killed when s2v exits
// (a bad file, a failed bundle), so none outlives the command.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the bundle finds the early decode (src/media/early-decode.ts). */
export const EARLY_DECODE = Symbol.for('s2v.earlyDecode');
/** The analysis' decode: mono float PCM at this rate (src/audio/frame-analyzer.ts ANALYSIS_SAMPLE_RATE). */
export const ANALYSIS_RATE = 16000;
const STDERR_TAIL_BYTES = 8192;

/** decodeAudioArgs({ input, sampleRate, channels: 1 }) of src/media/args.ts, as the analysis asks for it. */
export function earlyDecodeArgs(input, sampleRate = ANALYSIS_RATE) {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-i', input,
    '-map', '0:a:0', '-vn', '-sn', '-dn',
    '-ac', '1',
    '-ar', String(sampleRate),
    '-f', 'f32le', '-c:a', 'pcm_f32le', '-flush_packets', '0', 'pipe:1',
  ];
}

/** The file `s2v analyze` will decode, when its arguments (after `analyze`) are ones it accepts; else undefined. */
export function analyzeTarget(args) {
  let file;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') continue;
    if (a === '--fps' || a.startsWith('--fps=')) {
      const v = a.includes('=') ? a.slice(6) : args[++i];
      const fps = Number(v);
      if (!v || !Number.isFinite(fps) || fps <= 0 || fps > 1000) return undefined;
    } else if (a.startsWith('-') || file !== undefined) return undefined;
    else file = a;
  }
  return file === undefined ? undefined : path.resolve(file);
}

function isExecutable(p) {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function packagePath(require, name) {
  try {
    const mod = require(name);
    const p = typeof mod === 'string' ? mod : (mod?.path ?? mod?.default);
    return typeof p === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ffmpeg src/media/locate.ts would pick, where that is known without running a program:
 * FFMPEG_PATH, else ffmpeg-static, else the bundled @ffmpeg-installer binary when no ffmpeg is on
 * PATH (one there wins only if `ffmpeg -version` says ≥ 5, which is not asked here). Undefined
 * when unsure; the analysis then spawns as usual.
 */
export function guessFfmpeg(env = process.env) {
  if (env.FFMPEG_PATH) return isExecutable(env.FFMPEG_PATH) ? env.FFMPEG_PATH : undefined;
  const require = createRequire(import.meta.url);
  if (packagePath(require, 'ffmpeg-static') !== undefined) return undefined;
  const exe = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const sep = process.platform === 'win32' ? ';' : ':';
  if ((env.PATH ?? '').split(sep).some((dir) => dir && isExecutable(path.join(dir, exe)))) return undefined;
  const bundled = packagePath(require, '@ffmpeg-installer/ffmpeg');
  return bundled && isExecutable(bundled) ? bundled : undefined;
}

/**
 * Starts the decode for `s2v <argv>` when it is an analysis of a readable regular file; records
 * it for the bundle under EARLY_DECODE. Returns the record (tests), or undefined.
 */
export function startEarlyDecode(argv, env = process.env) {
  if (argv[0] !== 'analyze' || env.S2V_NO_EARLY === '1') return undefined;
  const file = analyzeTarget(argv.slice(1));
  if (!file) return undefined;
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size === 0) return undefined;
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    return undefined;
  }
  const bin = guessFfmpeg(env);
  if (!bin) return undefined;
  const args = earlyDecodeArgs(file);
  let child;
  try {
    child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  } catch {
    return undefined;
  }
  // What happens before the analysis adopts the process is kept for it: the stderr text, and
  // how it ended (an 'error' with no listener would throw; a 'close' would be missed).
  let stderr = '';
  let end;
  const waiting = [];
  const ended = (e) => {
    if (end) return;
    end = e;
    for (const f of waiting.splice(0)) f(e);
  };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => {
    stderr = (stderr + s).slice(-STDERR_TAIL_BYTES);
  });
  // Node discards a finished child's output that nothing listens to (it resumes the stream when
  // the child exits): a file short enough for ffmpeg to be done before the analysis adopts it
  // would decode to nothing. A 'readable' listener keeps the output waiting for the analysis.
  const keep = () => undefined;
  child.stdout.on('readable', keep);
  child.once('error', (error) => ended({ error }));
  child.once('close', (code, signal) => ended({ code, signal }));
  // Until adopted it must not keep s2v running (an analysis that fails before its decode would
  // wait for an ffmpeg blocked on a full pipe), and whatever becomes of the command, it does not
  // outlive it.
  child.unref();
  child.stdout.unref();
  child.stderr.unref();
  process.once('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const record = {
    bin,
    args,
    child,
    stderrTail: () => stderr,
    /** Called by the analysis as it adopts the process: its own reader takes over. */
    adopted() {
      child.stdout.off('readable', keep);
    },
    onEnd(f) {
      if (end) f(end);
      else waiting.push(f);
    },
  };
  globalThis[EARLY_DECODE] = record;
  return record;
}
