/**
 * Reads a TensorFlow.js weights manifest + .bin (the format @vladmandic/face-api ships its
 * pretrained nets in) and turns tensors into ONNX initializers. Weights stay uint8 in the
 * .onnx (as shipped: a quarter of the float size) and are dequantised inside the graph by
 * Cast · scale + min — the formula tfjs applies at load time — so the model file is small
 * and every weight comes straight from the package's bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphBuilder, V } from '../graph-builder.js';

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale: number; min: number };
}

export interface TfjsTensor {
  shape: number[];
  /** uint8 codes when quantised, else float32 values. */
  data: Uint8Array | Float32Array;
  scale: number;
  min: number;
}

/** All tensors of `<dir>/<name>-weights_manifest.json`, by tfjs name. */
export function readTfjsWeights(dir: string, name: string): Map<string, TfjsTensor> {
  const groups = JSON.parse(readFileSync(path.join(dir, `${name}-weights_manifest.json`), 'utf8')) as Array<{ paths: string[]; weights: ManifestWeight[] }>;
  const out = new Map<string, TfjsTensor>();
  for (const group of groups) {
    const bin = Buffer.concat(group.paths.map((p) => readFileSync(path.join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      if (q && q.dtype !== 'uint8') throw new Error(`${name}: ${w.name}: quantisation ${q.dtype} is not supported`);
      if (!q && w.dtype !== 'float32') throw new Error(`${name}: ${w.name}: dtype ${w.dtype} is not supported`);
      const bytes = q ? count : count * 4;
      const slice = bin.subarray(offset, offset + bytes);
      offset += bytes;
      const data = q ? new Uint8Array(slice) : new Float32Array(new Uint8Array(slice).buffer);
      out.set(w.name, { shape: w.shape, data, scale: q?.scale ?? 1, min: q?.min ?? 0 });
    }
    if (offset !== bin.length) throw new Error(`${name}: manifest describes ${offset} bytes but the .bin holds ${bin.length}`);
  }
  return out;
}

/** Reorder a row-major tensor's elements by `perm` (like numpy transpose). */
function permute<T extends Uint8Array | Float32Array>(data: T, shape: number[], perm: number[]): { data: T; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += idx[k]! * strides[perm[k]!]!;
    out[o] = data[src]!;
    for (let k = perm.length - 1; k >= 0; k--) {
      if (++idx[k]! < outShape[k]!) break;
      idx[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/**
 * The tensor `name` as a float graph value, its axes reordered by `perm` (tfjs filters are
 * [kh, kw, in, out]; ONNX wants [out, in, kh, kw]) and optionally reshaped.
 */
export function weight(g: GraphBuilder, weights: Map<string, TfjsTensor>, name: string, perm?: number[], reshape?: number[]): V {
  const t = weights.get(name);
  if (!t) throw new Error(`weight ${name} missing from the manifest`);
  const moved = perm ? permute(t.data, t.shape, perm) : { data: t.data, shape: t.shape };
  const dims = reshape ?? moved.shape;
  const id = `w_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  if (moved.data instanceof Float32Array) {
    g.initializers.push({ name: id, type: 'FLOAT', dims, data: moved.data });
    return id;
  }
  g.initializers.push({ name: id, type: 'UINT8', dims, data: moved.data });
  return g.add(g.mul(g.op('Cast', [id], { to: 1 }), g.f(t.scale)), g.f(t.min));
}
