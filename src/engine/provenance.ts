/**
 * Provenance: every .mp4 S2V writes carries, in its `comment` tag, the graph that made it —
 * params resolved, file paths reduced to their names (a shared video must not leak the
 * owner's folders) with each file's sha256, model ids and versions, seeds and the app
 * version. `comment` is the standard mp4 udta field that ffmpeg, players and file copies
 * keep. The value is `S2V1 ` + compact JSON, or `S2V1z ` + base64(deflate(JSON)) when that
 * is shorter, so a typical graph stays a few KB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { S2VError } from './errors.js';
import type { GraphDoc } from './graph.js';
import type { NodeContext } from './node.js';

export const PROVENANCE_TAG = 'comment';
const PLAIN = 'S2V1 ';
const PACKED = 'S2V1z ';
/** Inflating more than this from a tag means it is not ours (or hostile). */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

export interface ProvenanceFile {
  node: string;
  param: string;
  /** File name only (the folder is the owner's business). */
  name: string;
  sha256: string;
}

export interface Provenance {
  format: 's2v-provenance';
  version: 1;
  app: { name: 'S2V Studio'; version: string };
  /** The node whose result this video is. */
  target: string;
  graph: GraphDoc;
  files: ProvenanceFile[];
  models: Array<{ id: string; version?: string; kind?: string }>;
  seeds: Record<string, number>;
  /** Per node: the content fingerprint its cache key used (file bytes, model files). */
  fingerprints: Record<string, string>;
}

let appVersion: string | undefined;
export function readAppVersion(): string {
  if (appVersion) return appVersion;
  try {
    appVersion = String(JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  } catch {
    appVersion = 'unknown';
  }
  return appVersion;
}

/** Strip `user:password@` from URLs in params: a credential must never ride along in a shared video. */
export function scrubCredentials(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
  if (Array.isArray(value)) return value.map(scrubCredentials);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubCredentials(v)]));
  return value;
}

/** The provenance of the result `ctx` is producing, or undefined when the host gives no lineage. */
export async function buildProvenance(ctx: NodeContext): Promise<Provenance | undefined> {
  const lineage = ctx.lineage?.();
  if (!lineage) return undefined;
  const graph = structuredClone(lineage.graph);
  const files: ProvenanceFile[] = [];
  const models: Provenance['models'] = [];
  const seeds: Record<string, number> = {};
  for (const n of graph.nodes) {
    const fileParams = new Set(lineage.fileParams[n.id] ?? []);
    for (const [k, v] of Object.entries(n.params)) {
      if (typeof v !== 'string' || v === '') continue;
      if (fileParams.has(k)) {
        const name = path.basename(v);
        const sha256 = await ctx.services.files.hashFile(v);
        files.push({ node: n.id, param: k, name, sha256 });
        n.params[k] = name;
      } else if (path.isAbsolute(v)) {
        // Where it was written is private. An Output (the CLI makes its path absolute) writes
        // into out/ again, as an unpacked bundle's does; any other path keeps only its name.
        n.params[k] = n.type === 'output' && k === 'path' ? `out/${path.basename(v)}` : path.basename(v);
      }
    }
    n.params = scrubCredentials(n.params) as Record<string, unknown>;
    if (typeof n.params.seed === 'number') seeds[n.id] = n.params.seed;
    if (n.type === 'video-model' && typeof n.params.model === 'string') models.push(await describeModel(ctx, n.params.model));
  }
  for (const inp of graph.inputs) {
    if (typeof inp.default === 'string' && (lineage.fileParams[inp.bind.node] ?? []).includes(inp.bind.param)) inp.default = path.basename(inp.default);
  }
  return {
    format: 's2v-provenance',
    version: 1,
    app: { name: 'S2V Studio', version: readAppVersion() },
    target: ctx.nodeId,
    graph,
    files,
    models,
    seeds,
    fingerprints: lineage.fingerprints,
  };
}

async function describeModel(ctx: NodeContext, id: string): Promise<Provenance['models'][number]> {
  try {
    const m = await ctx.services.inference.getModel(id);
    return { id, version: m.version, kind: m.kind };
  } catch {
    const remote = await ctx.services.backends?.getRemoteModel(id).catch(() => undefined);
    return remote ? { id, version: remote.version, kind: remote.backend } : { id };
  }
}

export function encodeProvenance(p: Provenance): string {
  const json = JSON.stringify(p);
  const packed = deflateRawSync(Buffer.from(json), { level: 9 }).toString('base64');
  return packed.length + PACKED.length < json.length + PLAIN.length ? PACKED + packed : PLAIN + json;
}

/** Container tags carrying the provenance of what `ctx` is producing ({} when there is none). */
export async function provenanceTags(ctx: NodeContext): Promise<Record<string, string>> {
  const p = await buildProvenance(ctx);
  return p ? { [PROVENANCE_TAG]: encodeProvenance(p) } : {};
}

/** Parse a tag value back; throws E151 naming `where` when it is not S2V provenance. */
export function decodeProvenance(tag: string | undefined, where: string): Provenance {
  if (!tag || !(tag.startsWith(PLAIN) || tag.startsWith(PACKED))) {
    throw new S2VError('E151', 'this video carries no S2V provenance', { where, hint: 'only videos written by S2V Studio restore a graph' });
  }
  let json: string;
  try {
    json = tag.startsWith(PACKED)
      ? inflateRawSync(Buffer.from(tag.slice(PACKED.length), 'base64'), { maxOutputLength: MAX_JSON_BYTES }).toString('utf8')
      : tag.slice(PLAIN.length);
  } catch {
    throw new S2VError('E151', 'provenance is damaged (does not inflate)', { where });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new S2VError('E151', 'provenance is damaged (not JSON)', { where });
  }
  const p = raw as Partial<Provenance>;
  if (!p || p.format !== 's2v-provenance' || p.version !== 1 || typeof p.target !== 'string' || !p.graph) {
    throw new S2VError('E151', 'provenance is not in a format this S2V Studio reads', { where, hint: 'update S2V Studio' });
  }
  return raw as Provenance;
}
