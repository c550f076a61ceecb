/**
 * The README's performer strip: renders graphs/lip-sync.json (the demo portrait and speech), finds
 * a frame for each of several visemes (the most confident one, from the same analysis the
 * renderer uses) and tiles the face region of those frames, labelled, into docs/performer-visemes.png.
 *   node bin/tsx-run.js test/bench/performer-strip.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../src/runtime/index.js';
import { FFMPEG } from '../support/ffmpeg.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-strip-'));
const out = path.join(tmp, 'lip-sync.mp4');
execFileSync(process.execPath, [path.join(root, 'bin/s2v.js'), 'run', path.join(root, 'graphs/lip-sync.json'), '-o', out, '--no-cache'], { stdio: 'inherit' });
const services = createServices({});
const wav = path.join(root, 'graphs/assets/demo-speech.wav');
const probe = await services.media.probe(wav);
const audio = { kind: 'audio' as const, path: wav, durationSec: probe.durationSec, sampleRate: probe.audio!.sampleRate, channels: probe.audio!.channels };
const features = await services.audio.analyze(audio, {});
const fps = 24;
const frames = Math.round(audio.durationSec * fps);
const v = await services.audio.visemes!(audio, features, fps, frames);
const K = v.names.length;
const picks: Array<[string, number]> = [];
for (const name of ['sil', 'PP', 'aa', 'O', 'E', 'I', 'U']) {
  const k = v.names.indexOf(name);
  let best = -1;
  for (let i = Math.round(0.3 * fps); i < frames; i++) if (best < 0 || v.weights[i * K + k]! > v.weights[best * K + k]!) best = i;
  if (best >= 0 && v.weights[best * K + k]! > 0.2) picks.push([name, best]);
}
const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const tiles: string[] = [];
for (const [name, i] of picks) {
  const f = path.join(tmp, `${name}.png`);
  const label = `${name}  (${(i / fps).toFixed(2)} s)`;
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-i', out, '-vf', `select=eq(n\\,${i}),crop=240:260:136:96,drawtext=fontfile=${font}:text='${label}':x=6:y=6:fontsize=15:fontcolor=white:box=1:boxcolor=black@0.55`, '-frames:v', '1', f]);
  tiles.push(f);
}
const dest = path.join(root, 'docs/performer-visemes.png');
execFileSync(FFMPEG, ['-v', 'error', '-y', ...tiles.flatMap((t) => ['-i', t]), '-filter_complex', `${tiles.map((_, k) => `[${k}]`).join('')}hstack=inputs=${tiles.length},scale=iw*0.75:-1,split[a][b];[a]palettegen=max_colors=192[p];[b][p]paletteuse=dither=sierra2_4a`, '-frames:v', '1', dest]);
console.log(`wrote ${dest}: ${picks.map(([n, i]) => `${n}@${i}`).join(', ')}`);
await (services.inference as unknown as { dispose?: () => Promise<void> }).dispose?.();
await fs.rm(tmp, { recursive: true, force: true });
