/**
 * What a model's manifest.json must hold, checked by hand rather than with a zod schema: the
 * registry is on `s2v analyze`'s path (the VAD), and zod's module set-up and its share of the
 * CLI bundle cost that command's start ≈ 40 ms (its own bundle holds no zod: bin/load-cli.js).
 * Like the schema it replaces, a manifest is read into a fresh object that keeps only the keys
 * named here (unknown keys are dropped), and the first problem found is reported with its path.
 */
import type { ModelManifest } from '../engine/services/inference.js';

const KINDS = ['s2v', 'a2v', 'face', 'vad', 'audio'] as const;
const SHA256 = /^[0-9a-f]{64}$/;

/** A manifest's first problem: where in it (`files.0.sha256`) and what is wrong. */
export class ManifestIssue extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new ManifestIssue(path, message);
}

function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Json;
}

function string(v: unknown, path: string, nonEmpty = false): string {
  if (typeof v !== 'string') fail(path, 'expected a string');
  if (nonEmpty && v.length === 0) fail(path, 'expected a non-empty string');
  return v;
}

function number(v: unknown, path: string, { int = false, min = -Infinity, above = false } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a number');
  if (int && !Number.isSafeInteger(v)) fail(path, 'expected an integer');
  if (above ? v <= min : v < min) fail(path, `expected a number ${above ? '>' : '≥'} ${min}`);
  return v;
}

function strings(v: unknown, path: string): string[] {
  if (!Array.isArray(v)) fail(path, 'expected an array');
  return v.map((s, i) => string(s, `${path}.${i}`));
}

/** `v[key]` read by `read` when present (not undefined); absent keys stay absent. */
function optional<T>(out: Json, v: Json, key: string, read: (x: unknown, path: string) => T): void {
  if (v[key] !== undefined) out[key] = read(v[key], key);
}

/** The manifest in `json` (JSON.parse's result), or a ManifestIssue thrown for its first problem. */
export function readManifest(json: unknown): ModelManifest {
  const m = object(json, '(root)');
  const out: Json = {
    id: string(m.id, 'id', true),
    title: string(m.title, 'title'),
    version: string(m.version, 'version'),
    kind: KINDS.includes(m.kind as (typeof KINDS)[number]) ? m.kind : fail('kind', `expected one of ${KINDS.join(', ')}`),
    requiresImage: typeof m.requiresImage === 'boolean' ? m.requiresImage : fail('requiresImage', 'expected a boolean'),
    features: strings(m.features, 'features'),
  };
  const d = object(m.defaults, 'defaults');
  out.defaults = {
    width: number(d.width, 'defaults.width', { int: true, min: 0, above: true }),
    height: number(d.height, 'defaults.height', { int: true, min: 0, above: true }),
    fps: number(d.fps, 'defaults.fps', { min: 0, above: true }),
  };
  if (!Array.isArray(m.files)) fail('files', 'expected an array');
  if (m.files.length === 0) fail('files', 'expected at least one file');
  out.files = m.files.map((f: unknown, i: number) => {
    const at = `files.${i}`;
    const e = object(f, at);
    const file: Json = { name: string(e.name, `${at}.name`, true), sha256: string(e.sha256, `${at}.sha256`) };
    if (!SHA256.test(file.sha256 as string)) fail(`${at}.sha256`, 'expected 64 lowercase hex digits');
    if (e.bytes !== undefined) file.bytes = number(e.bytes, `${at}.bytes`, { int: true, min: 0 });
    if (e.package !== undefined) file.package = string(e.package, `${at}.package`, true);
    return file;
  });
  out.license = string(m.license, 'license');
  out.description = string(m.description, 'description');
  optional(out, m, 'controls', strings);
  optional(out, m, 'style', strings);
  optional(out, m, 'boxes', strings);
  optional(out, m, 'mesh', (v, path) => {
    const mesh = object(v, path);
    return { bases: strings(mesh.bases, `${path}.bases`), maps: strings(mesh.maps, `${path}.maps`) };
  });
  optional(out, m, 'prepare', (v, path) => string(v, path, true));
  return out as unknown as ModelManifest;
}
