/**
 * `s2v pack`: a graph, the files it points at (deduplicated by sha256), the manifests of the
 * models it uses, a thumbnail of its last render and an index with sizes and hashes, as one
 * ZIP. File params are rewritten to the assets' names inside the bundle. Only image, audio
 * and video files are packed: a graph someone sent you cannot make `pack` ship ~/.ssh.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S2VError, type Catalog, type GraphDoc } from '../engine/index.js';
import { readGraphFile } from '../engine/graph-file.js';
import { ASSET_EXTENSIONS } from './entry-rules.js';
import { fileRefs, modelRefs, setFileRef } from './graph-files.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleIndex } from './index-file.js';
import { DEFAULT_MODELS_DIR, readInstalledModel, type ModelRecord } from './models.js';
import { writeZip, type ZipInput } from './zip-write.js';
import { scrubCredentials } from '../engine/index.js';

export interface PackOptions {
  catalog: Catalog;
  /** Where relative Output paths resolve (the CLI's working directory), to find the last render. */
  cwd: string;
  modelsDir?: string;
  appVersion: string;
  /** Renders a PNG thumbnail of a video (media layer); omitted → no thumbnail. */
  thumbnail?: (video: string, png: string) => Promise<void>;
  /** The render to take the thumbnail from (default: the first Output node's file, when it exists). */
  renderPath?: string;
}

export interface PackResult {
  bundle: string;
  assets: Array<{ name: string; from: string; bytes: number }>;
  models: string[];
  thumbnail: boolean;
  warnings: string[];
  bytes: number;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A file name that passes the bundle's asset rule: letters, digits, . _ - only. */
function safeAssetName(file: string): string {
  const base = path.basename(file).normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(-100);
  return base || 'file';
}

export async function packGraph(graphFile: string, out: string, opts: PackOptions): Promise<PackResult> {
  const graphPath = path.resolve(graphFile);
  return packDoc(await readGraphFile(graphFile), path.dirname(graphPath), out, opts);
}

/**
 * Pack a graph document whose relative file params resolve against `graphDir`. `allowFile`
 * (the studio server passes its folder check) may refuse a file before it is read.
 */
export async function packDoc(doc: GraphDoc, graphDir: string, out: string, opts: PackOptions & { allowFile?: (abs: string) => Promise<boolean> }): Promise<PackResult> {
  const graph: GraphDoc = structuredClone(doc);
  const warnings: string[] = [];
  const entries: ZipInput[] = [];
  const indexEntries: BundleIndex['entries'] = [];
  const add = (name: string, data: Uint8Array) => {
    entries.push({ name, data });
    indexEntries.push({ name, size: data.length, sha256: sha256(data) });
  };

  // Assets: one entry per distinct content, named by hash so equal files share it.
  const byHash = new Map<string, string>();
  const assets: PackResult['assets'] = [];
  for (const ref of fileRefs(graph, opts.catalog)) {
    if (!ref.value) continue;
    const abs = path.resolve(graphDir, ref.value);
    const where = `node "${ref.node}".${ref.param}`;
    const ext = path.extname(abs).slice(1).toLowerCase();
    if (!ASSET_EXTENSIONS.has(ext)) {
      throw new S2VError('E108', `"${ref.value}" is not an image, audio or video file; only media files are packed`, { where, hint: 'point the node at a media file' });
    }
    if (opts.allowFile && !(await opts.allowFile(abs))) {
      throw new S2VError('E108', `"${path.basename(abs)}" is outside the folders this studio may read`, { where });
    }
    let data: Buffer;
    try {
      const st = await fs.stat(abs);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
      data = await fs.readFile(abs);
    } catch (e) {
      throw new S2VError('E108', `file not found or unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: abs, hint: `for ${where}` });
    }
    const hash = sha256(data);
    let name = byHash.get(hash);
    if (!name) {
      name = `assets/${hash.slice(0, 16)}-${safeAssetName(abs)}`;
      byHash.set(hash, name);
      add(name, data);
      assets.push({ name, from: abs, bytes: data.length });
    }
    setFileRef(graph, ref, name);
  }

  // Output paths stay relative (an absolute one would name the sender's folders).
  for (const n of graph.nodes) {
    if (n.type === 'output' && typeof n.params.path === 'string' && path.isAbsolute(n.params.path)) n.params.path = `out/${path.basename(n.params.path)}`;
  }
  const scrubbed = scrubCredentials(graph) as GraphDoc;
  if (JSON.stringify(scrubbed) !== JSON.stringify(graph)) warnings.push('removed user:password from a URL in the graph');
  add('graph.json', Buffer.from(`${JSON.stringify(scrubbed, null, 2)}\n`));

  // Model manifests (whitelisted fields only).
  const modelsDir = opts.modelsDir ?? DEFAULT_MODELS_DIR;
  const models: string[] = [];
  for (const { model } of modelRefs(graph, opts.catalog)) {
    if (models.includes(model)) continue;
    const installed = await readInstalledModel(modelsDir, model);
    if (!installed) {
      warnings.push(`model "${model}" is not installed here: the bundle will not describe it`);
      continue;
    }
    models.push(model);
    const record: ModelRecord = installed.record;
    add(`models/${model}.json`, Buffer.from(`${JSON.stringify(record, null, 2)}\n`));
  }

  // Thumbnail from the last render, when there is one.
  let thumbnail = false;
  const output = graph.nodes.find((n) => n.type === 'output');
  const render = opts.renderPath ?? (typeof output?.params.path === 'string' ? path.resolve(opts.cwd, output.params.path) : path.resolve(opts.cwd, 'out/render.mp4'));
  if (opts.thumbnail && (await fs.stat(render).catch(() => undefined))?.isFile()) {
    const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-pack-'));
    try {
      const png = path.join(tmpDir, 'thumbnail.png');
      await opts.thumbnail(render, png);
      add('thumbnail.png', await fs.readFile(png));
      thumbnail = true;
    } catch (e) {
      warnings.push(`no thumbnail: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      await fs.rm(tmpDir, { recursive: true, force: true });
    }
  }

  const index: BundleIndex = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    app: { name: 'S2V Studio', version: opts.appVersion },
    title: graph.metadata.title,
    description: graph.metadata.description,
    graph: 'graph.json',
    ...(thumbnail ? { thumbnail: 'thumbnail.png' as const } : {}),
    models,
    entries: indexEntries,
  };
  const all = [{ name: 'index.json', data: Buffer.from(`${JSON.stringify(index, null, 2)}\n`) }, ...entries];
  const dest = path.resolve(out);
  try {
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await writeZip(dest, all);
  } catch (e) {
    throw new S2VError('E109', `cannot write the bundle (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: dest });
  }
  const bytes = (await fs.stat(dest)).size;
  return { bundle: dest, assets, models, thumbnail, warnings, bytes };
}
