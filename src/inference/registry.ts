/**
 * Model registry: `models/<id>/manifest.json` files, with every listed file verified
 * against its sha256 before use (memoised by path + size + mtime).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S2VError } from '../engine/errors.js';
import { readSmallText } from '../engine/files.js';
import { ManifestIssue, readManifest } from './manifest.js';
import type { ModelManifest } from '../engine/services/inference.js';


/** Kinds that run inside the analysis or the face finder: never offered as a video model. */
const INTERNAL_KINDS = new Set(['face', 'vad', 'audio']);

/**
 * A model file that ships inside an npm package (Silero VAD in @ricky0123/vad-web): looked up
 * the way Node finds the package, from the models folder and then from this app. When it is
 * nowhere, the first place looked is returned, so the "missing" error names a real path.
 */
function packageFile(pkg: string, name: string, modelsDir: string): string {
  const from = [path.join(modelsDir, 'manifest.json'), fileURLToPath(import.meta.url)];
  const dirs = from.flatMap((f) => createRequire(f).resolve.paths(pkg) ?? []);
  const files = dirs.map((d) => path.join(d, pkg, name));
  return files.find((f) => existsSync(f)) ?? files[0] ?? path.join(modelsDir, 'node_modules', pkg, name);
}

async function sha256File(file: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  // Big reads: each chunk waits for a turn of the event loop, and at start-up that loop is
  // busy with the audio analysis (64 KB chunks held Silero's worker back by ~0.3 s). But no
  // bigger than the file: each stream allocates its whole read size, and 8 MB for each of a
  // model's 10 KB files cost a cached re-run ~20 ms of CPU (and a full GC for the memory).
  // A file of a few KB (most models here) is one synchronous read.
  if (bytes <= 1 << 20) return hash.update(readFileSync(file)).digest('hex');
  const highWaterMark = Math.min(8 << 20, bytes + 1);
  for await (const chunk of createReadStream(file, { highWaterMark })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class ModelRegistry {
  private manifests?: Promise<Map<string, ModelManifest>>;
  private verified = new Map<string, string>();

  constructor(readonly modelsDir: string) {}

  private load(): Promise<Map<string, ModelManifest>> {
    this.manifests ??= (async () => {
      const out = new Map<string, ModelManifest>();
      let entries: string[] = [];
      try {
        entries = (await fs.readdir(this.modelsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
      } catch {
        throw new S2VError('E111', 'models folder not found', { where: this.modelsDir, hint: 'run `npm run build:models`', exitCode: 1 });
      }
      // Read at once (readSmallText): awaited one by one, each read waits for a turn of an event
      // loop that may be busy (the analysis opens Silero while it decodes).
      const texts = entries.map((dir) => readSmallText(path.join(this.modelsDir, dir, 'manifest.json')));
      for (const [i, dir] of entries.entries()) {
        const file = path.join(this.modelsDir, dir, 'manifest.json');
        const text = texts[i];
        if (text === undefined) continue; // build scripts and other folders without a manifest
        let json: { kind?: unknown };
        try {
          json = JSON.parse(text) as { kind?: unknown };
        } catch (e) {
          throw new S2VError('E111', `manifest is not valid JSON (${(e as Error).message.split('\n')[0]})`, { where: file, exitCode: 1 });
        }
        // Remote models (ComfyUI, Sogni) share models/ but run through src/backends, not onnxruntime.
        if (json && (json.kind === 'comfyui' || json.kind === 'sogni')) continue;
        let manifest: ModelManifest;
        try {
          manifest = readManifest(json);
        } catch (e) {
          if (!(e instanceof ManifestIssue)) throw e;
          throw new S2VError('E111', `invalid manifest: ${e.path}: ${e.message}`, { where: file, exitCode: 1 });
        }
        out.set(manifest.id, manifest);
      }
      return out;
    })();
    return this.manifests;
  }

  /** The video models (face finders, the VAD and other audio helpers are internal: they never show in a model picker). */
  async list(): Promise<ModelManifest[]> {
    return [...(await this.load()).values()].filter((m) => !INTERNAL_KINDS.has(m.kind));
  }

  async get(id: string): Promise<ModelManifest> {
    const all = await this.load();
    const m = all.get(id);
    if (!m) {
      throw new S2VError('E111', `unknown model "${id}"`, { where: this.modelsDir, hint: `available: ${[...all.keys()].join(', ') || 'none'}`, exitCode: 2 });
    }
    return m;
  }

  /**
   * Where `verifiedPath(id)` will most likely point, found synchronously from models/<id>/ and
   * without checking the file (undefined when that is not simple): a thread can start loading
   * the model while the check runs.
   */
  unverifiedPath(id: string): { file: string; kind: ModelManifest['kind'] } | undefined {
    try {
      const manifest = readManifest(JSON.parse(readFileSync(path.join(this.modelsDir, id, 'manifest.json'), 'utf8')));
      if (manifest.id !== id) return undefined;
      const entry = manifest.files[0]!;
      return { file: entry.package ? packageFile(entry.package, entry.name, this.modelsDir) : path.join(this.modelsDir, id, entry.name), kind: manifest.kind };
    } catch {
      return undefined;
    }
  }

  /**
   * Absolute path of a model file after checking it exists and matches its sha256. `loadedHash`
   * may give the file's sha256 already known (a worker thread that read the file to load it hashed
   * those bytes: see PooledSession.loadedSha256); otherwise, or when it gives undefined, the file
   * is read and hashed here.
   */
  async verifiedPath(id: string, name?: string, loadedHash?: (file: string) => Promise<string | undefined> | undefined): Promise<string> {
    const m = await this.get(id);
    const entry = name ? m.files.find((f) => f.name === name) : m.files[0];
    if (!entry) throw new S2VError('E111', `model "${id}" has no file "${name}"`, { where: path.join(this.modelsDir, id, 'manifest.json'), exitCode: 1 });
    const file = entry.package ? packageFile(entry.package, entry.name, this.modelsDir) : path.join(this.modelsDir, id, entry.name);
    const expected = `expected sha256 ${entry.sha256}`;
    let st;
    try {
      st = await fs.stat(file);
    } catch {
      throw new S2VError('E111', `model file missing (${expected})`, { where: file, hint: 'run `npm run build:models` or reinstall the model', exitCode: 1 });
    }
    const memoKey = `${file}\0${st.size}\0${st.mtimeMs}`;
    if (this.verified.get(memoKey) === entry.sha256) return file;
    const actual = (await loadedHash?.(file)) ?? (await sha256File(file, st.size));
    if (actual !== entry.sha256) {
      throw new S2VError('E111', `model file corrupt: sha256 ${actual} but ${expected}`, { where: file, hint: 'run `npm run build:models` or reinstall the model', exitCode: 1 });
    }
    this.verified.set(memoKey, entry.sha256);
    return file;
  }

  /** One hash for the whole model (all files), for cache keys. */
  async modelHash(id: string): Promise<string> {
    const m = await this.get(id);
    for (const f of m.files) await this.verifiedPath(id, f.name);
    if (m.files.length === 1) return m.files[0]!.sha256;
    return createHash('sha256').update(m.files.map((f) => `${f.name}:${f.sha256}`).join('\n')).digest('hex');
  }
}
