/**
 * Training for the beat-activation net (src/audio/beat-activation.ts): points on the reference
 * beats against the same grids moved ½, ⅓ and ⅔ of a beat, one-hidden-layer MLP, logistic loss,
 * Adam, seeded (same data, same bytes).
 */
import { seededRandom } from '../../../nodes/video-model/style.js';
import { activationChannels, featureCount, pointFeatures, type ActivationInput, type BeatNet } from '../../../src/audio/beat-activation.js';

export interface TrainExcerpt {
  id: string;
  /** Source (package) name: leave-one-source-out folds. */
  source: string;
  env: ActivationInput;
  /** Reference beats, frames. */
  beats: number[];
}

export const SHIFTS = [0.5, 1 / 3, 2 / 3];

/** Feature rows and labels (1: a beat; 0: a point ½, ⅓ or ⅔ of a beat after one). */
export function trainingSet(exs: TrainExcerpt[], channels = 7, context = 1): { x: Float32Array; y: Uint8Array; dim: number; channels: number; context: number } {
  const rows: Float32Array[] = [];
  const ys: number[] = [];
  let dim = 0;
  for (const ex of exs) {
    const ch = activationChannels(ex.env, channels);
    dim = featureCount(ch.length, context);
    const n = ex.env.flux.length;
    for (let i = 1; i + 1 < ex.beats.length; i++) {
      const p = ex.beats[i]!;
      const period = ex.beats[i + 1]! - p;
      if (p - period < 0 || p + 2 * period >= n) continue;
      for (const [q, label] of [[p, 1] as const, ...SHIFTS.map((s) => [p + s * period, 0] as const)]) {
        const r = new Float32Array(dim);
        pointFeatures(ch, context, q, period, r);
        rows.push(r);
        ys.push(label);
      }
    }
  }
  const x = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => x.set(r, i * dim));
  return { x, y: Uint8Array.from(ys), dim, channels, context };
}

export interface TrainOptions {
  hidden?: number;
  epochs?: number;
  lr?: number;
  l2?: number;
  seed?: number;
}

export function trainBeatNet(data: { x: Float32Array; y: Uint8Array; dim: number; channels: number; context: number }, o: TrainOptions = {}): BeatNet {
  const H = o.hidden ?? 12;
  const D = data.dim;
  const N = data.y.length;
  const epochs = o.epochs ?? 30;
  const lr = o.lr ?? 0.01;
  const l2 = o.l2 ?? 1e-4;
  // The style PRNG (mulberry32) started at state `seed`: its seed mixing undone, so nets rebuild as they were.
  const rand = seededRandom((o.seed ?? 1) ^ 0x9e3779b9);
  const params = new Float64Array(H * D + H + H + 1);
  const w1 = 0;
  const b1 = H * D;
  const w2 = b1 + H;
  const b2 = w2 + H;
  for (let i = 0; i < H * D; i++) params[w1 + i] = (rand() * 2 - 1) * Math.sqrt(3 / D);
  for (let i = 0; i < H; i++) params[w2 + i] = (rand() * 2 - 1) * Math.sqrt(3 / H);
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const g = new Float64Array(params.length);
  const hid = new Float64Array(H);
  // Beats are one row in four: weight them 3 so both classes count alike.
  const posWeight = 3;
  const order = Array.from({ length: N }, (_, i) => i);
  const batch = 256;
  let step = 0;
  for (let ep = 0; ep < epochs; ep++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let s = 0; s < N; s += batch) {
      g.fill(0);
      const e = Math.min(N, s + batch);
      let wsum = 0;
      for (let k = s; k < e; k++) {
        const r = order[k]!;
        const off = r * D;
        let y = params[b2]!;
        for (let h = 0; h < H; h++) {
          let a = params[b1 + h]!;
          const row = w1 + h * D;
          for (let d = 0; d < D; d++) a += params[row + d]! * data.x[off + d]!;
          hid[h] = Math.tanh(a);
          y += params[w2 + h]! * hid[h]!;
        }
        const label = data.y[r]!;
        const wt = label ? posWeight : 1;
        wsum += wt;
        const dy = wt * (1 / (1 + Math.exp(-y)) - label);
        g[b2] = g[b2]! + dy;
        for (let h = 0; h < H; h++) {
          g[w2 + h] = g[w2 + h]! + dy * hid[h]!;
          const da = dy * params[w2 + h]! * (1 - hid[h]! * hid[h]!);
          g[b1 + h] = g[b1 + h]! + da;
          const row = w1 + h * D;
          for (let d = 0; d < D; d++) g[row + d] = g[row + d]! + da * data.x[off + d]!;
        }
      }
      step++;
      const c1 = 1 - 0.9 ** step;
      const c2 = 1 - 0.999 ** step;
      for (let i = 0; i < params.length; i++) {
        const gi = g[i]! / wsum + (i < b1 ? l2 * params[i]! : 0);
        m[i] = 0.9 * m[i]! + 0.1 * gi;
        v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
        params[i] = params[i]! - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
      }
    }
  }
  return {
    context: data.context,
    channels: data.channels,
    inputs: D,
    hidden: H,
    w1: Float32Array.from(params.subarray(w1, b1)),
    b1: Float32Array.from(params.subarray(b1, w2)),
    w2: Float32Array.from(params.subarray(w2, b2)),
    b2: Math.fround(params[b2]!),
  };
}

/** Several seeds' nets as one: hidden units side by side, output the mean of their log-odds. */
export function mergeNets(nets: BeatNet[]): BeatNet {
  const k = nets.length;
  const first = nets[0]!;
  const hidden = nets.reduce((a, n) => a + n.hidden, 0);
  const w1 = new Float32Array(hidden * first.inputs);
  const b1 = new Float32Array(hidden);
  const w2 = new Float32Array(hidden);
  let h = 0;
  for (const n of nets) {
    w1.set(n.w1, h * first.inputs);
    b1.set(n.b1, h);
    for (let i = 0; i < n.hidden; i++) w2[h + i] = n.w2[i]! / k;
    h += n.hidden;
  }
  return { context: first.context, channels: first.channels, inputs: first.inputs, hidden, w1, b1, w2, b2: Math.fround(nets.reduce((a, n) => a + n.b2, 0) / k) };
}

export function trainEnsemble(data: Parameters<typeof trainBeatNet>[0], o: TrainOptions & { seeds?: number } = {}): BeatNet {
  const seeds = o.seeds ?? 1;
  if (seeds === 1) return trainBeatNet(data, o);
  return mergeNets(Array.from({ length: seeds }, (_, i) => trainBeatNet(data, { ...o, seed: (o.seed ?? 1) + i })));
}
