/**
 * Model manifests as a bundle carries them and as the missing-things report reads them.
 * Read tolerantly from models/<id>/manifest.json: local ONNX models (kind s2v|a2v), remote
 * ones (kind comfyui|sogni, see src/engine/services/video-backend.ts) and kinds this build
 * does not know yet. Only whitelisted fields are copied: never settings or credentials.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const DEFAULT_MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');

const text = (max: number) => z.string().max(max);
export const modelRecordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  title: text(200).optional(),
  version: text(64).optional(),
  kind: text(32),
  /** 'local' (onnxruntime in this app), or the remote backend's id. */
  backend: text(32),
  files: z.array(z.object({ name: text(200), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative().optional() })).max(100),
  /** Remote model files the backend server needs, per folder (ComfyUI). */
  remoteFiles: z.array(z.object({ folder: text(100), name: text(200) })).max(100).optional(),
  /** Where to get it, in words. */
  source: text(500),
  requirements: text(500).optional(),
  license: text(200).optional(),
}).strict();
export type ModelRecord = z.output<typeof modelRecordSchema>;

const LOCAL_KINDS = new Set(['s2v', 'a2v']);

function str(v: unknown, max: number): string | undefined {
  return typeof v === 'string' ? v.slice(0, max) : undefined;
}

/** Turn a raw manifest into a record (whitelisted fields only). */
export function recordFromManifest(raw: Record<string, unknown>, id: string): ModelRecord {
  const kind = str(raw.kind, 32) ?? 'unknown';
  const local = LOCAL_KINDS.has(kind);
  const backend = local ? 'local' : str(raw.backend, 32) ?? kind;
  const files = Array.isArray(raw.files)
    ? raw.files.flatMap((f) => {
        const o = f as Record<string, unknown>;
        return typeof o?.name === 'string' && typeof o.sha256 === 'string' && /^[0-9a-f]{64}$/.test(o.sha256)
          ? [{ name: o.name.slice(0, 200), sha256: o.sha256, ...(typeof o.bytes === 'number' ? { bytes: o.bytes } : {}) }]
          : [];
      })
    : [];
  const comfy = raw.comfyui as { modelFiles?: Array<{ folder?: unknown; name?: unknown }> } | undefined;
  const remoteFiles = comfy?.modelFiles?.flatMap((f) => (typeof f.folder === 'string' && typeof f.name === 'string' ? [{ folder: f.folder, name: f.name }] : []));
  const requirements = str(raw.requirements, 500);
  const source = local
    ? `ships with S2V Studio in models/${id}/ (rebuild with \`npm run build:models\`)`
    : backend === 'comfyui'
      ? `a ComfyUI server with ${remoteFiles?.length ? remoteFiles.map((f) => `${f.folder}/${f.name}`).join(', ') : 'the model files'} (set S2V_COMFYUI_URL)`
      : backend === 'sogni'
        ? 'the Sogni Supernet (a Sogni account with credits: set SOGNI_API_KEY or SOGNI_USERNAME/SOGNI_PASSWORD)'
        : `a "${kind}" model: this S2V Studio does not know how to run it (update S2V Studio)`;
  return modelRecordSchema.parse({
    id,
    ...(str(raw.title, 200) !== undefined ? { title: str(raw.title, 200) } : {}),
    ...(str(raw.version, 64) !== undefined ? { version: str(raw.version, 64) } : {}),
    kind,
    backend,
    files,
    ...(remoteFiles?.length ? { remoteFiles } : {}),
    source,
    ...(requirements ? { requirements } : {}),
    ...(str(raw.license, 200) ? { license: str(raw.license, 200) } : {}),
  });
}

/** The installed manifest of `id`, or undefined when there is none (or it is not JSON). */
export async function readInstalledModel(modelsDir: string, id: string): Promise<{ record: ModelRecord; dir: string } | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) return undefined;
  const dir = path.join(modelsDir, id);
  try {
    const raw = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    return { record: recordFromManifest(raw, id), dir };
  } catch {
    return undefined;
  }
}
