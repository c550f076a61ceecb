/**
 * `npm run smoke:comfyui` — the ComfyUI acceptance path against a REAL ComfyUI server:
 * status of every server in S2V_COMFYUI_URL, preflight for Wan 2.2 S2V (names missing files
 * and node classes), then `s2v run graphs/wan-s2v.json` on the demo portrait and 2 s of the
 * demo speech through the real CLI, with progress, and an ffprobe of the result.
 *
 * Skips (exit 0) when S2V_COMFYUI_URL is not set. Not part of CI (not a *.test.ts).
 * `--standin` runs it against the local ComfyUI stand-in instead, to check the script itself.
 * `--model ID` smoke-tests another ComfyUI model (comfyui-ltx23-a2v uses graphs/ltx-a2v.json).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorLine } from '../../src/engine/errors.js';
import { createBackends } from '../../src/runtime/index.js';
import { createMediaService } from '../../src/media/index.js';

const args = process.argv.slice(2);
const useStandin = args.includes('--standin');
const modelId = args.includes('--model') ? args[args.indexOf('--model') + 1]! : 'comfyui-wan22-s2v';
const root = path.resolve(import.meta.dirname, '../..');
const graphFor: Record<string, string> = { 'comfyui-wan22-s2v': 'wan-s2v.json', 'comfyui-ltx23-a2v': 'ltx-a2v.json', 'comfyui-ltx23-ia2v': 'ltx-ia2v.json' };

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-comfyui-smoke-'));
  let stop = async () => {};
  if (useStandin) {
    const { ComfyStandin } = await import('../support/comfyui-standin.js');
    const { WAN_FILES, LTX_FILES } = await import('../support/comfyui-models.js');
    const s = new ComfyStandin({ models: { ...WAN_FILES, ...LTX_FILES, loras: [...WAN_FILES.loras, ...LTX_FILES.loras], text_encoders: [...WAN_FILES.text_encoders, ...LTX_FILES.text_encoders] } });
    process.env.S2V_COMFYUI_URL = await s.start();
    stop = () => s.dispose();
  }
  if (!process.env.S2V_COMFYUI_URL) {
    console.log('smoke:comfyui skipped: set S2V_COMFYUI_URL=http://host:8188 (or run with --standin)');
    return 0;
  }
  try {
    const backends = createBackends();
    for (const s of await backends.statuses(AbortSignal.timeout(20_000))) if (s.id === 'comfyui') console.log(`comfyui: ${s.reachable ? 'reachable' : 'UNREACHABLE'} — ${s.detail}`);
    const model = await backends.getRemoteModel(modelId);
    if (!model || model.backend !== 'comfyui') throw new Error(`unknown ComfyUI model ${modelId}`);
    try {
      await backends.get('comfyui').preflight(model);
      console.log(`preflight ${modelId}: ok (node classes and model files present)`);
    } catch (e) {
      console.log(`preflight ${modelId}: ${errorLine(e)}`);
      return 2;
    }
    const audio = path.join(dir, 'speech-2s.wav');
    await createMediaService().trimAudio({ input: path.join(root, 'graphs/assets/demo-speech.wav'), output: audio, startSec: 0, durationSec: 2 });
    const out = path.join(dir, 'smoke.mp4');
    const cli = [path.join(root, 'bin/s2v.js'), 'run', path.join(root, 'graphs', graphFor[modelId] ?? 'wan-s2v.json'), '--input', `audio=${audio}`, '-o', out, '--no-cache', '--yes'];
    if (model.image !== 'none') cli.push('--input', `image=${path.join(root, 'graphs/assets/demo-portrait.jpg')}`);
    console.log(`running: s2v ${cli.slice(1).map((a) => path.relative(root, a) || a).join(' ')}`);
    const code = await new Promise<number>((resolve) => spawn(process.execPath, cli, { stdio: 'inherit' }).on('close', (c) => resolve(c ?? 1)));
    if (code !== 0) return code;
    const p = await createMediaService().probe(out);
    console.log(`result: ${p.video?.codec} ${p.video?.width}×${p.video?.height} @ ${p.video?.fps} fps, ${p.durationSec.toFixed(2)} s, audio ${p.audio?.codec} — ${out}`);
    return p.video?.codec === 'h264' && p.audio?.codec === 'aac' && Math.abs(p.durationSec - 2) < 0.1 ? 0 : 1;
  } finally {
    await stop();
  }
}

main().then((c) => process.exit(c), (e) => {
  console.error(`smoke:comfyui failed: ${errorLine(e)}`);
  process.exit(1);
});
