/**
 * `s2v unpack` / the studio's Import: safe by construction. Everything is checked before
 * anything is written — the ZIP structure (zip-read.ts), every name and file mode
 * (entry-rules.ts), index.json against every entry's size and sha256, the graph's schema and
 * that its file params point only at assets inside the bundle, the model manifests' shape,
 * and content sniffing for archives and programs. Only then are the files written, into a
 * temp folder beside the target that is renamed into place; any failure removes it, so a
 * refusal leaves nothing behind and nothing is ever written outside the target folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { S2VError, parseGraphText, type Catalog, type GraphDoc } from '../engine/index.js';
import { ASSET_NAME, checkEntries, unsafeContentReason } from './entry-rules.js';
import { fileRefs } from './graph-files.js';
import { bundleIndexSchema, type BundleIndex } from './index-file.js';
import { modelRecordSchema, type ModelRecord } from './models.js';
import { refuse } from './refusal.js';
import { DEFAULT_LIMITS, openZip, type ZipEntry, type ZipLimits } from './zip-read.js';

export interface CheckedBundle {
  index: BundleIndex;
  /** sha256 of index.json as checked (the other entries' hashes are in the index). */
  indexSha256: string;
  graph: GraphDoc;
  models: ModelRecord[];
  /** Entry bytes kept from the check when the bundle is small (else read again on write). */
  entries: ZipEntry[];
}

export interface UnpackResult extends CheckedBundle {
  dir: string;
  graphPath: string;
}

/** Entries up to this total stay in memory between checking and writing. */
const KEEP_IN_MEMORY = 64 * 1024 ** 2;

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseJson(bundle: string, name: string, data: Buffer): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    refuse(bundle, name, 'not valid JSON');
  }
}

/** Check a bundle completely without writing anything. */
export async function checkBundle(file: string, catalog: Catalog, limits: ZipLimits = DEFAULT_LIMITS, keepInMemoryBytes = KEEP_IN_MEMORY): Promise<CheckedBundle & { data?: Map<string, Buffer> }> {
  const zip = await openZip(file, limits);
  try {
    checkEntries(file, zip.entries);
    const byName = new Map(zip.entries.map((e) => [e.name, e]));
    const indexEntry = byName.get('index.json')!;
    if (indexEntry.size > 1024 ** 2) refuse(file, 'index.json', 'larger than 1 MiB');
    const indexData = await zip.read(indexEntry);
    const parsedIndex = bundleIndexSchema.safeParse(parseJson(file, 'index.json', indexData));
    if (!parsedIndex.success) {
      const issue = parsedIndex.error.issues[0]!;
      refuse(file, 'index.json', `does not match the bundle index schema (${issue.path.join('.') || 'index'}: ${issue.message})`);
    }
    const index = parsedIndex.data;
    const listed = new Map(index.entries.map((e) => [e.name, e]));
    if (listed.size !== index.entries.length) refuse(file, 'index.json', 'lists an entry twice');
    for (const e of zip.entries) {
      if (e.name === 'index.json') continue;
      const l = listed.get(e.name);
      if (!l) refuse(file, e.name, 'not listed in index.json');
      if (l.size !== e.size) refuse(file, e.name, `size ${e.size} differs from index.json (${l.size})`);
    }
    for (const name of listed.keys()) if (!byName.has(name)) refuse(file, name, 'listed in index.json but not in the bundle');
    if (index.thumbnail && !byName.has(index.thumbnail)) refuse(file, index.thumbnail, 'named as thumbnail but missing');

    const total = zip.entries.reduce((s, e) => s + e.size, 0);
    const keep = total <= keepInMemoryBytes ? new Map<string, Buffer>([['index.json', indexData]]) : undefined;
    let graph: GraphDoc | undefined;
    const models: ModelRecord[] = [];
    for (const e of zip.entries) {
      if (e.name === 'index.json') continue;
      const data = await zip.read(e);
      if (sha256(data) !== listed.get(e.name)!.sha256) refuse(file, e.name, 'sha256 differs from index.json (altered or corrupt)');
      const content = unsafeContentReason(data);
      if (content) refuse(file, e.name, content);
      if (e.name === 'thumbnail.png' && !data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) refuse(file, e.name, 'not a PNG image');
      if (e.name === 'graph.json') {
        try {
          graph = parseGraphText(data.toString('utf8'), `${path.basename(file)}:graph.json`);
        } catch (err) {
          refuse(file, e.name, `not a valid graph (${(err as Error).message})`);
        }
      } else if (e.name.startsWith('models/')) {
        const r = modelRecordSchema.safeParse(parseJson(file, e.name, data));
        if (!r.success) refuse(file, e.name, `not a valid model manifest (${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message})`);
        if (`models/${r.data.id}.json` !== e.name) refuse(file, e.name, `describes model "${r.data.id}", not the one its name says`);
        models.push(r.data);
      }
      keep?.set(e.name, data);
    }
    for (const ref of fileRefs(graph!, catalog)) {
      if (!ref.value) continue;
      if (!ASSET_NAME.test(ref.value) || !byName.has(ref.value)) {
        refuse(file, 'graph.json', `node "${ref.node}".${ref.param} points at "${ref.value}", which is not an asset inside the bundle`);
      }
    }
    return { index, indexSha256: sha256(indexData), graph: graph!, models, entries: zip.entries, data: keep };
  } finally {
    await zip.close();
  }
}

/**
 * Check, then write the bundle into `dir` (created; must not exist or be empty). The graph
 * lands as `graph.json` with its file params already relative to it (assets/…).
 */
export async function unpackBundle(file: string, dir: string, catalog: Catalog, limits: ZipLimits = DEFAULT_LIMITS, keepInMemoryBytes = KEEP_IN_MEMORY): Promise<UnpackResult> {
  const checked = await checkBundle(file, catalog, limits, keepInMemoryBytes);
  const target = path.resolve(dir);
  const existing = await fs.readdir(target).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e))).catch(() => {
    throw new S2VError('E109', 'cannot use this folder', { where: target });
  });
  if (existing && existing.length) throw new S2VError('E109', 'folder is not empty', { where: target, hint: 'unpack into a new folder with -d DIR' });
  await fs.mkdir(path.dirname(target), { recursive: true }).catch(() => {
    throw new S2VError('E109', 'cannot create the parent folder', { where: path.dirname(target) });
  });
  const staging = path.join(path.dirname(target), `.${path.basename(target)}.unpack-${randomBytes(6).toString('hex')}`);
  const zip = checked.data ? undefined : await openZip(file, limits);
  try {
    await fs.mkdir(staging);
    for (const e of checked.entries) {
      const data = checked.data?.get(e.name) ?? (await zip!.read(e));
      // Read again when it was not kept: the file must still be what was checked.
      const want = e.name === 'index.json' ? checked.indexSha256 : checked.index.entries.find((x) => x.name === e.name)?.sha256;
      if (sha256(data) !== want) refuse(file, e.name, 'changed while unpacking');
      const dest = path.join(staging, ...e.name.split('/'));
      if (!dest.startsWith(staging + path.sep)) refuse(file, e.name, 'would be written outside the target folder');
      await fs.mkdir(path.dirname(dest), { recursive: true });
      await fs.writeFile(dest, data, { flag: 'wx', mode: 0o644 });
    }
    if (existing) await fs.rmdir(target);
    await fs.rename(staging, target);
  } catch (e) {
    await fs.rm(staging, { recursive: true, force: true });
    if (e instanceof S2VError) throw e;
    throw new S2VError('E109', `cannot write the unpacked files (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: target });
  } finally {
    await zip?.close();
  }
  const { data: _data, ...rest } = checked;
  return { ...rest, dir: target, graphPath: path.join(target, 'graph.json') };
}
