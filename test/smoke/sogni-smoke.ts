/**
 * `npm run smoke:sogni` — the Sogni flow of the tests, against the REAL Supernet: status,
 * preflight, cost estimate, one short Wan 2.2 S2V render (2 s, 832×480) of the test face
 * singing a tone, download, ffprobe. It spends real credits, so it asks first (or `--yes`), and
 * refuses anything above SOGNI_SMOKE_MAX_COST (default 40 spark).
 *
 * Skips (exit 0) when no credentials are set: SOGNI_API_KEY, or SOGNI_USERNAME + SOGNI_PASSWORD.
 * Not part of CI (the file is not a *.test.ts). `--standin` runs the same script against the
 * local stand-in instead, to check the script itself without an account.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline/promises';
import { createSogniBackend, checkCost, formatCost } from '../../src/backends/sogni/index.js';
import type { RemoteModelSpec } from '../../src/engine/services/video-backend.js';
import { errorLine } from '../../src/engine/errors.js';
import { ffmpegGen, ffprobeJson } from '../support/media-testing.js';

const args = process.argv.slice(2);
const useStandin = args.includes('--standin');
const yes = args.includes('--yes') || useStandin;
const verbose = args.includes('--verbose');

async function main(): Promise<number> {
  let env = {
    apiKey: process.env.SOGNI_API_KEY || undefined,
    username: process.env.SOGNI_USERNAME || undefined,
    password: process.env.SOGNI_PASSWORD || undefined,
    restEndpoint: process.env.SOGNI_REST_ENDPOINT || undefined,
    socketEndpoint: process.env.SOGNI_SOCKET_ENDPOINT || undefined,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-sogni-smoke-'));
  let stop = async () => {};
  if (useStandin) {
    const { SogniStandin, makeStandinMedia } = await import('../support/sogni-standin.js');
    const media = await makeStandinMedia(dir);
    const standin = new SogniStandin({ apiKey: 'sk-smoke-standin-key', videoFile: media.video, previewFile: media.preview });
    const url = await standin.start();
    stop = () => standin.stop();
    env = { apiKey: 'sk-smoke-standin-key', username: undefined, password: undefined, restEndpoint: url, socketEndpoint: url };
    console.log(`smoke:sogni against the local STAND-IN at ${url} (not the Supernet)`);
  } else if (!env.apiKey && !(env.username && env.password)) {
    console.log('smoke:sogni skipped: no Sogni credentials (set SOGNI_API_KEY, or SOGNI_USERNAME and SOGNI_PASSWORD)');
    return 0;
  }

  const spec = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'models', 'sogni-wan22-s2v-lightx2v', 'manifest.json'), 'utf8')) as RemoteModelSpec;
  const image = path.join(dir, 'face.png');
  const audio = path.join(dir, 'tone.wav');
  // The test face padded onto the request size; a 2 s two-note tone as the "song".
  await ffmpegGen('-i', path.join(process.cwd(), 'test', 'fixtures', 'images', 'face_grace_hopper.jpg'),
    '-vf', 'scale=832:480:force_original_aspect_ratio=decrease,pad=832:480:(ow-iw)/2:(oh-ih)/2', '-frames:v', '1', '-y', image);
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=frequency=330:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.0625',
    '-filter_complex', '[0:a][1:a]concat=n=2:v=0:a=1', '-ar', '44100', '-ac', '1', '-y', audio);

  const backend = createSogniBackend({ ...env, log: (level, line) => { if (verbose || level === 'error') console.error(`  [${level}] ${line}`); } });
  try {
    const status = await backend.status();
    console.log(`status: ${status.reachable ? 'reachable' : 'NOT reachable'} — ${status.detail}`);
    if (!status.reachable) return 1;
    await backend.preflight(spec);
    console.log(`preflight: ${spec.sogni!.modelId} is served`);
    const job = { model: spec, imagePath: image, audioPath: audio, prompt: 'a woman sings a short note, gentle head motion, studio light', seed: 1234, width: 832, height: 480, frames: 33 };
    const estimate = await backend.estimate!(job);
    console.log(`estimate: ${formatCost(estimate!)}`);
    checkCost(estimate, Number(process.env.SOGNI_SMOKE_MAX_COST ?? 40), 'smoke:sogni');
    if (!yes) {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      const answer = await rl.question(`spend ${formatCost(estimate!)}? [y/N] `);
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        console.log('not confirmed; nothing was sent');
        return 0;
      }
    }
    const started = Date.now();
    let last = '';
    const result = await backend.generate({
      ...job, outDir: path.join(dir, 'out'), signal: AbortSignal.timeout(20 * 60_000),
      onProgress: (f, m) => {
        const line = `${Math.round(f * 100)}% ${m ?? ''}`;
        if (line !== last) console.log(`  ${line}`);
        last = line;
      },
      onPreview: (file) => console.log(`  preview ${file}`),
    });
    const probe = await ffprobeJson(result.videoPath);
    const v = probe.streams.find((s) => s.codec_type === 'video');
    console.log(`result: ${result.videoPath} — ${v?.width}×${v?.height}, ${Number(probe.format.duration).toFixed(2)} s, ${v?.nb_frames ?? '?'} frames, cost ${result.cost ? formatCost({ ...result.cost }) : 'unknown'}, ${((Date.now() - started) / 1000).toFixed(1)} s wall`);
    return 0;
  } catch (e) {
    console.error(`smoke:sogni failed: ${errorLine(e)}`);
    return 1;
  } finally {
    backend.close();
    await stop();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.error(`smoke:sogni crashed: ${errorLine(e)}`);
  process.exit(1);
});
