/**
 * Remote models in the registry: `models/<id>/manifest.json` files whose `kind` is "comfyui"
 * or "sogni" (local ONNX manifests live in the same folder and are read by src/inference).
 * Each manifest is validated; its hash covers the manifest and the workflow it runs.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { S2VError, canonicalJson, readSmallText, type RemoteModelSpec } from '../engine/index.js';
import { loadWorkflow } from './comfyui/workflow.js';

const size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

const remoteManifest = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  kind: z.enum(['comfyui', 'sogni']),
  backend: z.enum(['comfyui', 'sogni']).optional(),
  title: z.string().min(1),
  version: z.string(),
  description: z.string().default(''),
  license: z.string().default(''),
  image: z.enum(['required', 'optional', 'none']),
  prompt: z.enum(['required', 'optional']),
  grid: z.object({ fps: z.number().positive(), base: z.number().int().positive(), step: z.number().int().positive(), maxFrames: z.number().int().positive() }),
  sizes: z.array(size).min(1),
  longAudio: z.enum(['extend', 'chain']),
  comfyui: z.object({ workflow: z.string().min(1), modelFiles: z.array(z.object({ folder: z.string().min(1), name: z.string().min(1) })), classes: z.array(z.string()).default([]) }).optional(),
  sogni: z.object({ modelId: z.string().min(1) }).passthrough().optional(),
  requirements: z.string().min(1),
}).passthrough();

export interface RemoteModel extends RemoteModelSpec {
  /** Absolute path of the ComfyUI workflow template. */
  workflowPath?: string;
}

export class RemoteModelRegistry {
  private loaded?: Promise<Map<string, RemoteModel>>;
  constructor(readonly modelsDir: string) {}

  private load(): Promise<Map<string, RemoteModel>> {
    this.loaded ??= (async () => {
      const out = new Map<string, RemoteModel>();
      const dirs = (await fs.readdir(this.modelsDir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name).sort();
      for (const dir of dirs) {
        const file = path.join(this.modelsDir, dir, 'manifest.json');
        const text = readSmallText(file);
        if (text === undefined) continue;
        let json: { kind?: unknown };
        try {
          json = JSON.parse(text) as { kind?: unknown };
        } catch (e) {
          throw new S2VError('E111', `manifest is not valid JSON (${(e as Error).message.split('\n')[0]})`, { where: file, exitCode: 1 });
        }
        if (json?.kind !== 'comfyui' && json?.kind !== 'sogni') continue; // a local ONNX model
        const parsed = remoteManifest.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new S2VError('E111', `invalid remote model manifest: ${issue.path.join('.')}: ${issue.message}`, { where: file, exitCode: 1 });
        }
        const m = parsed.data;
        if (m.kind === 'comfyui' && !m.comfyui) throw new S2VError('E111', 'a comfyui manifest needs a "comfyui" section (workflow, modelFiles)', { where: file, exitCode: 1 });
        if (m.kind === 'sogni' && !m.sogni) throw new S2VError('E111', 'a sogni manifest needs a "sogni" section (modelId)', { where: file, exitCode: 1 });
        const hash = createHash('sha256').update(canonicalJson(m));
        let workflowPath: string | undefined;
        if (m.comfyui) {
          workflowPath = path.join(this.modelsDir, dir, m.comfyui.workflow);
          hash.update((await loadWorkflow(workflowPath)).hash);
        }
        const { kind, backend: _backend, ...rest } = m;
        out.set(m.id, { ...rest, backend: kind, hash: hash.digest('hex'), workflowPath } as RemoteModel);
      }
      return out;
    })();
    return this.loaded;
  }

  async list(): Promise<RemoteModel[]> {
    return [...(await this.load()).values()];
  }

  async get(id: string): Promise<RemoteModel | undefined> {
    return (await this.load()).get(id);
  }
}
