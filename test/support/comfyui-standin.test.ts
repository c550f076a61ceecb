/**
 * The ComfyUI stand-in must answer like the real servers whose exchanges are recorded in
 * ../shared/comfyui-protocol (v0.8.2). When that folder is present, every class spec the
 * stand-in serves is compared with the recorded /object_info, and its 400 bodies and event
 * order with the recorded ones. (The recordings are not part of this repository.)
 */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSES } from './comfyui-classes.js';
import { ComfyStandin } from './comfyui-standin.js';

const recordings = path.resolve(import.meta.dirname, '../../../shared/comfyui-protocol/v0.8.2');
const alt = '/work/shared/comfyui-protocol/v0.8.2';
const dir = fs.existsSync(recordings) ? recordings : fs.existsSync(alt) ? alt : undefined;
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir!, f), 'utf8'));

let s: ComfyStandin;
beforeAll(async () => {
  s = new ComfyStandin({ models: { vae: ['wan_2.1_vae.safetensors'], audio_encoders: ['wav2vec2_large_english_fp16.safetensors'] } });
  await s.start();
});
afterAll(() => s.dispose());

type Spec = [unknown, Record<string, unknown>?];
const typeOf = (spec: Spec) => (Array.isArray(spec[0]) || spec[0] === 'COMBO' ? 'COMBO' : spec[0]);
const numbers = (spec: Spec) => Object.fromEntries(Object.entries(spec[1] ?? {}).filter(([k]) => ['min', 'max', 'step'].includes(k)));
const options = (spec: Spec) => (Array.isArray(spec[0]) ? spec[0] : ((spec[1]?.options as unknown[]) ?? []));

describe.runIf(dir)('ComfyUI stand-in matches the v0.8.2 recordings', () => {
  it('serves every class our workflows use with the recorded inputs, types, ranges, outputs and combo form', async () => {
    const recorded = read('object_info_s2v_classes.json') as Record<string, { input: Record<string, Record<string, Spec>>; output: string[]; output_node: boolean; python_module: string }>;
    const served = (await (await fetch(`${s.url}/object_info`)).json()) as typeof recorded;
    for (const name of Object.keys(CLASSES)) {
      const want = recorded[name]!;
      const got = served[name]!;
      expect(got.output, name).toEqual(want.output);
      expect(got.output_node, name).toBe(want.output_node);
      expect(got.python_module, name).toBe(want.python_module);
      for (const section of ['required', 'optional']) {
        expect(Object.keys(got.input[section] ?? {}), `${name}.${section}`).toEqual(Object.keys(want.input[section] ?? {}));
        for (const [input, spec] of Object.entries(want.input[section] ?? {})) {
          const mine = got.input[section]![input]!;
          expect(typeOf(mine), `${name}.${input}`).toBe(typeOf(spec));
          // Same combo form ([[…]] for classic nodes, ["COMBO", {options}] for v3 ones).
          expect(Array.isArray(mine[0]), `${name}.${input} combo form`).toBe(Array.isArray(spec[0]));
          if (typeOf(spec) !== 'COMBO') expect(numbers(mine), `${name}.${input}`).toEqual(numbers(spec));
          // Fixed combos are the recorded ones or a subset; model-file combos list what this server has.
          else if (!/_name$|^ckpt_name$|^text_encoder$|^image$|^audio$/.test(input)) for (const o of options(mine)) expect(options(spec), `${name}.${input}`).toContain(o);
        }
      }
    }
  });

  it('answers a missing model file with the recorded 400 body shape (W2: value_not_in_list on VAELoader)', async () => {
    const want = read('W2_wan_s2v_missing_vae_post_prompt.json').response.json;
    const res = await fetch(`${s.url}/prompt`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: {
        39: { class_type: 'VAELoader', inputs: { vae_name: 'missing.safetensors' } },
        113: { class_type: 'SaveVideo', inputs: { video: ['82', 0], filename_prefix: 'x', format: 'auto', codec: 'auto' } },
        82: { class_type: 'CreateVideo', inputs: { images: ['80', 0], fps: 16 } },
        80: { class_type: 'VAEDecode', inputs: { samples: ['80', 0], vae: ['39', 0] } },
      } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as typeof want;
    expect(body.error).toEqual(want.error);
    const e = body.node_errors['39'];
    expect(Object.keys(e).sort()).toEqual(Object.keys(want.node_errors['39']).sort());
    expect(e.errors[0]).toMatchObject({ type: 'value_not_in_list', message: 'Value not in list', details: "vae_name: 'missing.safetensors' not in ['wan_2.1_vae.safetensors', 'pixel_space']" });
    expect(Object.keys(e.errors[0].extra_info).sort()).toEqual(Object.keys(want.node_errors['39'].errors[0].extra_info).sort());
    expect(e.dependent_outputs).toEqual(['113']);
  });

  it('sends the recorded event order for a run (A_mp4): start, cached, per node progress_state + executing, executed, success, executing null', async () => {
    const squeeze = (types: string[]) => types.filter((t) => t !== 'status' && t !== 'progress').filter((t, i, a) => t !== a[i - 1]);
    const recorded = squeeze((read('A_mp4_ws_events.json') as Array<{ type: string }>).map((e) => e.type));
    const upload = async (file: string, name: string) => {
      const form = new FormData();
      form.append('image', new Blob([fs.readFileSync(file)]), name);
      await fetch(`${s.url}/upload/image`, { method: 'POST', body: form });
    };
    await upload(path.join(import.meta.dirname, '../../graphs/assets/demo-portrait.jpg'), 'kit_test.jpg');
    await upload(path.join(import.meta.dirname, '../../graphs/assets/demo-speech.wav'), 'kit_test.wav');
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws?clientId=c1`);
    const events: Array<{ type: string; data: Record<string, unknown> }> = [];
    await new Promise((r) => ws.once('open', r));
    ws.on('message', (m) => events.push(JSON.parse(String(m))));
    const res = await fetch(`${s.url}/prompt`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'c1', prompt: {
        1: { class_type: 'LoadImage', inputs: { image: 'kit_test.jpg' } },
        4: { class_type: 'LoadAudio', inputs: { audio: 'kit_test.wav' } },
        5: { class_type: 'CreateVideo', inputs: { images: ['1', 0], fps: 12, audio: ['4', 0] } },
        6: { class_type: 'SaveVideo', inputs: { video: ['5', 0], filename_prefix: 'kit/mp4', format: 'mp4', codec: 'h264' } },
      } }),
    });
    expect(res.status).toBe(200);
    const { prompt_id } = (await res.json()) as { prompt_id: string };
    while (!events.some((e) => e.type === 'executing' && e.data.node === null)) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    const ours = squeeze(events.map((e) => e.type));
    // Same grammar: the recorded run has 6 nodes, ours 4, so compare the opening and the ending.
    expect(ours.slice(0, 4)).toEqual(recorded.slice(0, 4));
    expect(ours.slice(-4)).toEqual(recorded.slice(-4));
    const executed = events.find((e) => e.type === 'executed')!.data;
    const want = (read('A_mp4_ws_events.json') as Array<{ type: string; data: Record<string, unknown> }>).find((e) => e.type === 'executed')!.data;
    expect(Object.keys(executed).sort()).toEqual(Object.keys(want).sort());
    expect(executed.output).toMatchObject({ images: [{ filename: 'mp4_00001_.mp4', subfolder: 'kit', type: 'output' }], animated: [true] });
    const history = (await (await fetch(`${s.url}/history/${prompt_id}`)).json()) as Record<string, { status: { status_str: string; completed: boolean } }>;
    expect(history[prompt_id]!.status).toMatchObject({ status_str: 'success', completed: true });
  });
});
