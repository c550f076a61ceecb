/** Small media fixtures generated with ffmpeg into a temp folder (nothing binary lives in the repo). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { FFMPEG, FFPROBE } from '../../support/ffmpeg.js';

const run = promisify(execFile);

async function ffmpeg(args: string[]): Promise<void> {
  await run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

/** A 128×128 PNG: a face-ish gradient with a dark "mouth" bar (enough for every model). */
export async function makeImage(dir: string, name = 'face.png'): Promise<string> {
  const file = path.join(dir, name);
  // A geq gradient rather than the `gradients` source, which ffmpeg 4.1 (the npm binary) lacks.
  const gradient = "nullsrc=s=128x128,format=gbrp,geq=r='240-128*(X+Y)/254':g='200-128*(X+Y)/254':b='160-112*(X+Y)/254'";
  await ffmpeg(['-f', 'lavfi', '-i', gradient, '-vf', 'drawbox=x=44:y=86:w=40:h=10:color=0x401010:t=fill', '-frames:v', '1', file]);
  return file;
}

/** A mono WAV with a clear kick every 0.5 s over a quiet tone (beats a tracker can find). */
export async function makeBeat(dir: string, seconds = 3, name = 'beat.wav'): Promise<string> {
  const file = path.join(dir, name);
  const expr = `0.15*sin(2*PI*220*t)+0.8*sin(2*PI*60*t)*exp(-25*mod(t\\,0.5))`;
  await ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=${expr}:s=22050:d=${seconds}`, '-ac', '1', '-c:a', 'pcm_s16le', file]);
  return file;
}

/** Fake-microphone input for Chromium: 48 kHz stereo 16-bit WAV, a pulsing tone. */
export async function makeMicWav(dir: string, seconds = 6): Promise<string> {
  const file = path.join(dir, 'mic.wav');
  const expr = `0.5*sin(2*PI*330*t)*(0.5+0.5*sin(2*PI*2*t))`;
  await ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=${expr}:s=48000:d=${seconds}`, '-ac', '2', '-c:a', 'pcm_s16le', file]);
  return file;
}

export async function probeDuration(file: string, stream: 'a' | 'v' = 'a'): Promise<number> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-select_streams', `${stream}:0`, '-show_entries', 'stream=duration', '-of', 'csv=p=0', file]);
  const d = Number(stdout.trim().split('\n')[0]);
  if (Number.isFinite(d)) return d;
  const f = await run(FFPROBE, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(f.stdout.trim());
}
