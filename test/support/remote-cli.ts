/**
 * What the remote-backend CLI tests (ComfyUI, Sogni) share: the singer picture and 3 s song they
 * render, `s2v` run as a user runs it with its JSON-lines events parsed, what the clip it wrote
 * holds, and the scan for credentials in the files a run left.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FFMPEG, FFPROBE } from './ffmpeg.js';
import { outcome, runSync, spawnChild } from './processes.js';

export const S2V = path.resolve(import.meta.dirname, '../../bin/s2v.js');

/** A 480×360 test picture and 3 s of tone with a pause at 1.3–1.6 s (a phrase boundary a plan may cut at). */
export function singerInputs(dir: string): { image: string; audio: string } {
  const image = path.join(dir, 'singer.png');
  const audio = path.join(dir, 'song.wav');
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=480x360', '-frames:v', '1', '-y', image]);
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', "aevalsrc='0.4*sin(2*PI*220*t)*(lt(t,1.3)+gt(t,1.6))':d=3:s=44100", '-y', audio]);
  return { image, audio };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The `--json` event lines. */
  events: Array<Record<string, unknown>>;
}

/**
 * `s2v …args` in `cwd` with exactly `env` (async: a stand-in server may live in this process).
 * Killed after `timeoutMs` (default 110 s: inside the callers' 120 s test limits, so a hung run
 * is ended rather than left running after its test has timed out).
 */
export async function runCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliRun> {
  const o = await outcome(process.execPath, [S2V, ...args], { cwd: opts.cwd, env: opts.env, timeoutMs: opts.timeoutMs ?? 110_000 });
  const stdout = o.stdout.toString();
  const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: o.code, stdout, stderr: o.stderr, events };
}

/** A started `s2v`: the live process to signal, and how it ended. */
export interface RunningCli {
  child: ChildProcess;
  /**
   * Resolves when the process has ended, however it ended; rejects with one line naming the
   * command if it has not ended within the bound (it is killed then).
   */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * `s2v …args` left running, to signal (Ctrl-C) mid-run. Killed after `timeoutMs` (default
 * 110 s, inside the callers' 120 s test limits), so a run that ignores the signal fails its test
 * with a line naming the command instead of being waited on forever.
 */
export function startCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): RunningCli {
  const limit = opts.timeoutMs ?? 110_000;
  const child = spawnChild(process.execPath, [S2V, ...args], { cwd: opts.cwd, env: opts.env });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<Awaited<RunningCli['ended']>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      const tail = stderr.trim().split('\n').at(-1)?.slice(-300);
      reject(new Error(`s2v ${args.join(' ')} did not end within ${limit} ms (killed)${tail ? `: ${tail}` : ''}`));
    }, limit);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`s2v ${args.join(' ')} could not start: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  // A test that failed before awaiting it must not turn the later kill into an unhandled rejection.
  ended.catch(() => undefined);
  return { child, ended };
}

/** What a written clip holds, by ffprobe: codecs in stream order, the video's size, frame rate and decoded frame count, the duration. */
export function clipInfo(file: string): { codecs: string[]; width: number; height: number; rate: string; frames: number; seconds: number } {
  const probe = JSON.parse(runSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,r_frame_rate:format=duration', '-of', 'json', file]).toString()) as {
    streams: Array<{ codec_name: string; width?: number; height?: number; r_frame_rate: string }>;
    format: { duration: string };
  };
  const frames = Number(runSync(FFPROBE, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim());
  const video = probe.streams[0]!;
  return { codecs: probe.streams.map((s) => s.codec_name), width: video.width!, height: video.height!, rate: video.r_frame_rate, frames, seconds: Number(probe.format.duration) };
}

/** Every file below `dir` that holds one of `secrets`, as "secret in path". */
export function filesHolding(dir: string, secrets: string[]): string[] {
  const hits: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    const bytes = fs.readFileSync(p);
    for (const secret of secrets) if (bytes.includes(secret)) hits.push(`${secret} in ${p}`);
  }
  return hits;
}

/** A contact sheet of the clip (4 frames a second, 6×2) in the temp folder, for a person to look at; nothing checks it. */
export function saveContactStrip(video: string, png: string): void {
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', 'fps=4,scale=128:-1,tile=6x2', '-frames:v', '1', '-y', path.join(os.tmpdir(), png)]);
}
