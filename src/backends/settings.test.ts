import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSettings, loadSettingsSync, secretsOf, writeSettingsFile } from './settings.js';
import { RemoteModelRegistry } from './remote-models.js';
import { DEFAULT_MODELS_DIR } from './index.js';
import { buildPrompt, loadWorkflow, workflowClasses } from './comfyui/workflow.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-settings-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = path.join(dir, 'cfg', 'backends.json');

describe('backend settings', () => {
  it('the user file is created 0600 and the environment overrides it (credentials as a set)', async () => {
    await writeSettingsFile(file, { comfyui: { urls: ['http://file-host:8188'], authHeader: 'X-Key: file-secret' }, sogni: { username: 'fileuser', password: 'file-pass' } });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const fromFile = loadSettingsSync({}, file);
    expect(fromFile.comfyui).toMatchObject({ urls: ['http://file-host:8188'], authHeader: { name: 'X-Key', value: 'file-secret' } });
    expect(fromFile.sogni).toMatchObject({ username: 'fileuser', password: 'file-pass' });
    const env = loadSettingsSync({ S2V_COMFYUI_URL: 'http://a:1, http://b:2/', SOGNI_API_KEY: 'env-key' }, file);
    expect(env.comfyui.urls).toEqual(['http://a:1', 'http://b:2']);
    expect(env.sogni).toMatchObject({ apiKey: 'env-key', username: undefined, password: undefined });
    // Empty variables count as unset.
    expect(loadSettingsSync({ S2V_COMFYUI_URL: '', SOGNI_API_KEY: '' }, file).comfyui.urls).toEqual(['http://file-host:8188']);
  });

  it('a config file others can read is tightened to 0600 when read', () => {
    fs.chmodSync(file, 0o644);
    loadSettingsSync({}, file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('describes what is configured without any secret', () => {
    const s = loadSettingsSync({ S2V_COMFYUI_URL: 'http://me:pw-9876@gpu:8188/?token=tok-5555', S2V_COMFYUI_AUTH_HEADER: 'Authorization: Bearer hdr-1234', SOGNI_USERNAME: 'ann', SOGNI_PASSWORD: 'sogni-pass-1' }, path.join(dir, 'none.json'));
    const text = JSON.stringify(describeSettings(s));
    expect(text).toContain('http://gpu:8188');
    expect(text).toContain('user ann');
    for (const secret of ['pw-9876', 'tok-5555', 'hdr-1234', 'sogni-pass-1']) expect(text).not.toContain(secret);
    expect(secretsOf(s)).toEqual(expect.arrayContaining(['pw-9876', 'token=tok-5555', 'Bearer hdr-1234', 'sogni-pass-1']));
  });

  it('a bad URL or header is E130 (exit 2) naming the variable, not echoing a password', () => {
    expect(() => loadSettingsSync({ S2V_COMFYUI_URL: 'ftp://x' }, file)).toThrow(expect.objectContaining({ code: 'E130', where: 'S2V_COMFYUI_URL' }));
    expect(() => loadSettingsSync({ S2V_COMFYUI_AUTH_HEADER: 'no colon here' }, file)).toThrow(expect.objectContaining({ code: 'E130' }));
  });
});

describe('remote model registry and workflows', () => {
  it('lists ComfyUI and Sogni manifests side by side, each with a content hash', async () => {
    const models = await new RemoteModelRegistry(DEFAULT_MODELS_DIR).list();
    const ids = models.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['comfyui-wan22-s2v', 'comfyui-ltx23-ia2v', 'comfyui-ltx23-a2v', 'sogni-wan22-s2v-lightx2v']));
    expect(ids).not.toContain('pulse');
    for (const m of models) expect(m.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an invalid remote manifest is E111 naming it', async () => {
    const d = path.join(dir, 'models', 'bad');
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ id: 'bad', kind: 'comfyui', title: 'x' }));
    await expect(new RemoteModelRegistry(path.join(dir, 'models')).list()).rejects.toMatchObject({ code: 'E111', where: path.join(d, 'manifest.json') });
  });

  it('the Wan workflow has the official classes, and k Extend steps chain k blocks onto the base clip', async () => {
    const { template } = await loadWorkflow(path.join(DEFAULT_MODELS_DIR, 'comfyui-wan22-s2v', 'workflow.api.json'));
    expect(workflowClasses(template)).toEqual(['AudioEncoderEncode', 'AudioEncoderLoader', 'CLIPLoader', 'CLIPTextEncode', 'CreateVideo', 'ImageFromBatch', 'KSampler', 'LatentConcat', 'LatentCut', 'LoadAudio', 'LoadImage', 'LoraLoaderModelOnly', 'ModelSamplingSD3', 'PrimitiveFloat', 'PrimitiveInt', 'SaveVideo', 'UNETLoader', 'VAEDecode', 'VAELoader', 'VAELoader', 'WanSoundImageToVideo', 'WanSoundImageToVideoExtend'].filter((c, i, a) => a.indexOf(c) === i));
    const values = { image: 'i.png', audio: 'a.wav', prompt: 'p', negative: 'n', seed: 5, width: 640, height: 640, fps: 16, chunkFrames: 77, filenamePrefix: 'x' };
    const p0 = buildPrompt(template, values, 0);
    expect(Object.keys(p0)).toHaveLength(23);
    expect(p0['94']!.inputs.samples).toEqual(['3', 0]);
    const p2 = buildPrompt(template, values, 2);
    // 29 nodes with two Extend steps, like the official template.
    expect(Object.keys(p2)).toHaveLength(29);
    expect(p2['ext2:76']!.inputs.video_latent).toEqual(['ext1:78', 0]);
    expect(p2['ext2:78']!.inputs.samples1).toEqual(['ext1:78', 0]);
    expect(p2['ext2:77']!.inputs.seed).toBe(7);
    expect(p2['95']!.inputs.samples2).toEqual(['ext2:78', 0]);
    expect(() => buildPrompt(template, { ...values, audio: undefined as never }, 0)).toThrow(/needs a value for \{\{audio\}\}/);
  });
});
