import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { S2VError } from '../engine/index.js';
import { DEFAULT_MODELS_DIR, createInferenceService } from './index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 's2v-registry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function copyModel(id: string): string {
  const dir = path.join(tmp, `${id}-${Math.random().toString(36).slice(2)}`);
  cpSync(path.join(DEFAULT_MODELS_DIR, id), path.join(dir, id), { recursive: true });
  return dir;
}

async function caught(p: Promise<unknown>): Promise<S2VError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(S2VError);
    return e as S2VError;
  }
  throw new Error('expected a rejection');
}

describe('model registry', () => {
  it('lists the shipped models with their manifests', async () => {
    const svc = createInferenceService();
    const ids = (await svc.listModels()).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['a2v', 'drift', 'performer', 'pulse']));
    const pulse = await svc.getModel('pulse');
    expect(pulse.kind).toBe('s2v');
    expect(pulse.requiresImage).toBe(true);
    // One file: its own hash. Pulse ships a frame graph and a once-per-render graph: the
    // hash covers both, so a change to either one invalidates cached renders.
    const performer = await svc.getModel('performer');
    expect(performer.files).toHaveLength(1);
    expect(await svc.modelHash('performer')).toBe(performer.files[0]!.sha256);
    expect(pulse.files.map((f) => f.name)).toEqual(['pulse.onnx', 'pulse.prepare.onnx']);
    expect(pulse.prepare).toBe('pulse.prepare.onnx');
    expect(await svc.modelHash('pulse')).toBe(createHash('sha256').update(pulse.files.map((f) => `${f.name}:${f.sha256}`).join('\n')).digest('hex'));
  });

  it('a corrupted file → E111 naming the file and the expected hash', async () => {
    const dir = copyModel('drift');
    const file = path.join(dir, 'drift', 'drift.onnx');
    const expected = JSON.parse(readFileSync(path.join(dir, 'drift', 'manifest.json'), 'utf8')).files[0].sha256;
    appendFileSync(file, Buffer.from([0]));
    const svc = createInferenceService({ modelsDir: dir });
    const e = await caught(svc.session('drift'));
    expect(e.code).toBe('E111');
    expect(e.where).toBe(file);
    expect(e.oneLine()).toContain(expected);
  });

  it('a hash already known for the file (a worker hashed the bytes it loaded) is checked instead of reading the file; none known, the file is read', async () => {
    const dir = copyModel('drift');
    const file = path.join(dir, 'drift', 'drift.onnx');
    const expected = JSON.parse(readFileSync(path.join(dir, 'drift', 'manifest.json'), 'utf8')).files[0].sha256;
    const asked: string[] = [];
    const reg = () => createInferenceService({ modelsDir: dir }).registry;
    // A wrong known hash fails even though the file itself is fine: it was not read here.
    const e = await caught(reg().verifiedPath('drift', undefined, (f) => (asked.push(f), Promise.resolve('0'.repeat(64)))));
    expect(e.oneLine()).toContain(`sha256 ${'0'.repeat(64)} but expected sha256 ${expected}`);
    expect(asked).toEqual([file]);
    expect(await reg().verifiedPath('drift', undefined, () => Promise.resolve(expected))).toBe(file);
    appendFileSync(file, Buffer.from([0]));
    // Nothing known: the file is read, and the corruption found.
    expect((await caught(reg().verifiedPath('drift', undefined, () => Promise.resolve(undefined)))).code).toBe('E111');
  });

  it('a missing file → E111 naming it; an unknown model → E111 listing what exists', async () => {
    const dir = copyModel('a2v');
    rmSync(path.join(dir, 'a2v', 'a2v.onnx'));
    const svc = createInferenceService({ modelsDir: dir });
    const e = await caught(svc.modelHash('a2v'));
    expect(e.code).toBe('E111');
    expect(e.where).toBe(path.join(dir, 'a2v', 'a2v.onnx'));
    expect(e.message).toMatch(/missing.*expected sha256 [0-9a-f]{64}/);
    const u = await caught(svc.getModel('nope'));
    expect(u.code).toBe('E111');
    expect(u.hint).toContain('a2v');
  });

  it('an invalid manifest → E111 naming the manifest', async () => {
    const dir = copyModel('pulse');
    writeFileSync(path.join(dir, 'pulse', 'manifest.json'), '{"id": "pulse"}');
    const e = await caught(createInferenceService({ modelsDir: dir }).listModels());
    expect(e.code).toBe('E111');
    expect(e.where).toBe(path.join(dir, 'pulse', 'manifest.json'));
  });

  it('skips remote manifests (kind comfyui/sogni): they run through src/backends, not onnxruntime', async () => {
    const dir = copyModel('pulse');
    const remote = path.join(dir, 'comfyui-x');
    cpSync(path.join(dir, 'pulse'), remote, { recursive: true });
    writeFileSync(path.join(remote, 'manifest.json'), JSON.stringify({ id: 'comfyui-x', kind: 'comfyui', title: 'x' }));
    const ids = (await createInferenceService({ modelsDir: dir }).listModels()).map((m) => m.id);
    expect(ids).toEqual(['pulse']);
  });

  it('silero-vad: its file is found inside the npm package that ships it, verified, and kept out of the video model list', async () => {
    const svc = createInferenceService();
    const m = await svc.getModel('silero-vad');
    expect(m.kind).toBe('vad');
    const file = await svc.registry.verifiedPath('silero-vad');
    expect(file).toMatch(/node_modules[\\/]@ricky0123[\\/]vad-web[\\/]dist[\\/]silero_vad_v5\.onnx$/);
    expect((await svc.listModels()).map((x) => x.id)).not.toContain('silero-vad');
    // A manifest pinning other bytes (an upgraded package) is refused, naming the package's file.
    const dir = copyModel('silero-vad');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'silero-vad', 'manifest.json'), 'utf8'));
    manifest.files[0].sha256 = '0'.repeat(64);
    writeFileSync(path.join(dir, 'silero-vad', 'manifest.json'), JSON.stringify(manifest));
    const e = await caught(createInferenceService({ modelsDir: dir }).session('silero-vad'));
    expect(e.code).toBe('E111');
    expect(e.where).toBe(file);
    expect(e.oneLine()).toContain(`expected sha256 ${'0'.repeat(64)}`);
  });
});
