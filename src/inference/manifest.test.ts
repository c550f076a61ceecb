/**
 * readManifest against the zod schema it replaced (kept here as the reference): the same
 * manifests pass, into the same objects (unknown keys dropped), and the same ones fail, at the
 * same path — over every shipped manifest and variants of them broken one field at a time.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManifestIssue, readManifest } from './manifest.js';

const reference = z.object({
  id: z.string().min(1),
  title: z.string(),
  version: z.string(),
  kind: z.enum(['s2v', 'a2v', 'face', 'vad', 'audio']),
  requiresImage: z.boolean(),
  features: z.array(z.string()),
  defaults: z.object({ width: z.number().int().positive(), height: z.number().int().positive(), fps: z.number().positive() }),
  files: z
    .array(z.object({ name: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative().optional(), package: z.string().min(1).optional() }))
    .min(1),
  license: z.string(),
  description: z.string(),
  controls: z.array(z.string()).optional(),
  style: z.array(z.string()).optional(),
  boxes: z.array(z.string()).optional(),
  mesh: z.object({ bases: z.array(z.string()), maps: z.array(z.string()) }).optional(),
  prepare: z.string().min(1).optional(),
});

const modelsDir = path.resolve(import.meta.dirname, '../../models');
const shipped = readdirSync(modelsDir)
  .map((d) => path.join(modelsDir, d, 'manifest.json'))
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>)
  .filter((m) => m.kind !== 'comfyui' && m.kind !== 'sogni');

function ours(json: unknown): { ok: true; data: unknown } | { ok: false; path: string } {
  try {
    return { ok: true, data: readManifest(json) };
  } catch (e) {
    if (!(e instanceof ManifestIssue)) throw e;
    return { ok: false, path: e.path };
  }
}

function theirs(json: unknown): { ok: true; data: unknown } | { ok: false; path: string } {
  const r = reference.safeParse(json);
  return r.success ? { ok: true, data: r.data } : { ok: false, path: r.error.issues[0]!.path.join('.') || '(root)' };
}

/** Each field of `m` (and of its nested objects) replaced by each of a few wrong or edge values, or removed. */
function variants(m: Record<string, unknown>): unknown[] {
  const values: unknown[] = [undefined, null, '', 'x', 0, -1, 1.5, 3, 1e999, true, [], ['a', 2], {}, 'vad', 'a'.repeat(64), 'A'.repeat(64), Number.MAX_SAFE_INTEGER + 2];
  const out: unknown[] = [null, [], 'manifest', { ...m, extra: 1 }];
  const walk = (obj: Record<string, unknown>, set: (o: Record<string, unknown>) => unknown) => {
    for (const key of Object.keys(obj).concat(['bytes', 'package', 'controls', 'mesh', 'prepare'])) {
      for (const v of values) {
        const copy = structuredClone(obj);
        if (v === undefined) delete copy[key];
        else copy[key] = v;
        out.push(set(copy));
      }
      const inner = obj[key];
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) walk(inner as Record<string, unknown>, (o) => set({ ...structuredClone(obj), [key]: o }));
      if (Array.isArray(inner) && inner[0] && typeof inner[0] === 'object') walk(inner[0] as Record<string, unknown>, (o) => set({ ...structuredClone(obj), [key]: [o, ...inner.slice(1)] }));
    }
  };
  walk(m, (o) => o);
  return out;
}

describe('model manifests, read without zod', () => {
  it('every shipped manifest reads to what the zod schema gave', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(7);
    for (const m of shipped) expect(ours(m)).toStrictEqual(theirs(m));
  });

  it('variants broken one field at a time pass or fail as with the zod schema, at the same path', () => {
    let failed = 0;
    let cases = 0;
    for (const m of shipped) {
      for (const v of variants(m)) {
        const a = ours(v);
        expect(a, JSON.stringify(v)).toStrictEqual(theirs(v));
        cases++;
        if (!a.ok) failed++;
      }
    }
    // Both kinds of case are there in numbers.
    expect(failed).toBeGreaterThan(200);
    expect(cases - failed).toBeGreaterThan(50);
  });
});
