/**
 * Content-addressed cache keys, the way ComfyUI builds them: node type + version,
 * canonical params, a fingerprint of outside state (file bytes, model hash) and the keys
 * of the upstream outputs consumed. Never node ids or canvas positions.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface KeyParts {
  type: string;
  version: number;
  params: Record<string, unknown>;
  fingerprint?: string;
  /** port name → `${upstreamKey}:${upstreamPort}` */
  inputs: Record<string, string>;
}

export function cacheKey(parts: KeyParts): string {
  return sha256(canonicalJson({ v: 1, ...parts }));
}
