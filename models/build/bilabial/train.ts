/**
 * A small multilayer perceptron trained by plain minibatch Adam on the CPU: D inputs → H ReLU
 * units → 1 logit. Deterministic: a seeded initialisation and a seeded shuffle, float64
 * arithmetic in a fixed order, so `npm run build:models` writes the same bytes every time.
 */
import { seeded } from './corpus.js';

export interface Mlp {
  inputs: number;
  hidden: number;
  /** [hidden, inputs] row-major, then [hidden], then [hidden], then [1]. */
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

export interface TrainOptions {
  hidden: number;
  epochs: number;
  batch: number;
  learningRate: number;
  /** Weight of a positive example's loss (bilabials are rare). */
  positiveWeight: number;
  seed: number;
  /** L2 weight decay per step. */
  decay?: number;
  log?: (line: string) => void;
}

/** The positive-class probability of one row. */
export function predict(m: Mlp, x: ArrayLike<number>, offset = 0): number {
  const h = new Float64Array(m.hidden);
  return 1 / (1 + Math.exp(-forward(m, x, offset, h)));
}

function forward(m: Mlp, x: ArrayLike<number>, offset: number, h: Float64Array): number {
  const D = m.inputs;
  let z = m.b2[0]!;
  for (let j = 0; j < m.hidden; j++) {
    let s = m.b1[j]!;
    const row = j * D;
    for (let d = 0; d < D; d++) s += m.w1[row + d]! * x[offset + d]!;
    h[j] = s > 0 ? s : 0;
    z += m.w2[j]! * h[j]!;
  }
  return z;
}

/** Train on rows of `x` ([n, inputs]) with 0/1 labels `y`. */
export function trainMlp(x: Float32Array, y: Uint8Array, inputs: number, o: TrainOptions): Mlp {
  const rnd = seeded(o.seed);
  const H = o.hidden, D = inputs, n = y.length;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const m: Mlp = {
    inputs: D, hidden: H,
    w1: Float64Array.from({ length: H * D }, () => gauss() * Math.sqrt(2 / D)),
    b1: new Float64Array(H),
    w2: Float64Array.from({ length: H }, () => gauss() * Math.sqrt(1 / H)),
    b2: new Float64Array(1),
  };
  const params = [m.w1, m.b1, m.w2, m.b2];
  const grads = params.map((p) => new Float64Array(p.length));
  const mom = params.map((p) => new Float64Array(p.length));
  const vel = params.map((p) => new Float64Array(p.length));
  const [g1, gb1, g2, gb2] = grads as [Float64Array, Float64Array, Float64Array, Float64Array];
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const h = new Float64Array(H);
  const dh = new Float64Array(H);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    const lr = o.learningRate * (epoch < o.epochs - 2 ? 1 : 0.3);
    for (let s = 0; s < n; s += o.batch) {
      for (const g of grads) g.fill(0);
      const end = Math.min(n, s + o.batch);
      for (let k = s; k < end; k++) {
        const r = order[k]!;
        const off = r * D;
        const z = forward(m, x, off, h);
        const p = 1 / (1 + Math.exp(-z));
        const w = y[r] ? o.positiveWeight : 1;
        loss += -w * (y[r] ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12));
        const dz = w * (p - y[r]!);
        gb2[0]! += dz;
        for (let j = 0; j < H; j++) {
          g2[j]! += dz * h[j]!;
          dh[j] = h[j]! > 0 ? dz * m.w2[j]! : 0;
        }
        for (let j = 0; j < H; j++) {
          const d = dh[j]!;
          if (d === 0) continue;
          gb1[j]! += d;
          const row = j * D;
          for (let q = 0; q < D; q++) g1[row + q]! += d * x[off + q]!;
        }
      }
      step++;
      const scale = 1 / (end - s);
      const c1 = 1 - 0.9 ** step, c2 = 1 - 0.999 ** step;
      params.forEach((p, t) => {
        const g = grads[t]!, mt = mom[t]!, vt = vel[t]!;
        for (let i = 0; i < p.length; i++) {
          const gi = g[i]! * scale + (o.decay ?? 0) * p[i]!;
          mt[i] = 0.9 * mt[i]! + 0.1 * gi;
          vt[i] = 0.999 * vt[i]! + 0.001 * gi * gi;
          p[i]! -= (lr * (mt[i]! / c1)) / (Math.sqrt(vt[i]! / c2) + 1e-8);
        }
      });
    }
    o.log?.(`epoch ${epoch + 1}/${o.epochs}: loss ${(loss / n).toFixed(4)}`);
  }
  return m;
}
