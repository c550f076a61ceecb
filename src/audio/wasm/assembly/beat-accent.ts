// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts) as part of
// beat-level.ts. ../../beat-accent.ts's accentEnvelope, operation for operation: each band's
// positive magnitude steps (frame t against t − 2), their 99th percentile (../../stats.ts
// percentile: the order statistic of every `stride`-th step, found by selection rather than a full
// sort, in the order a Float64Array sorts: numbers ascending, −0 before +0, NaN last), then the steps
// over it added into the envelope, rounded to f32 as a Float32Array store rounds.

let n: i32 = 0;

/** Byte offsets into memory, read by the caller after `accentInit`. */
export let band: usize = 0; // f32[n]: the band the caller writes before `steps`
export let step: usize = 0; // f32[n]
export let accent: usize = 0; // f32[n]: the envelope
let kept: usize = 0; // f64[n]: the steps the percentile reads

/** Lays out the memory for bands of `frames` frames (freeing what an earlier call laid out). */
export function accentInit(frames: i32): void {
  heap.reset();
  n = frames;
  band = heap.alloc(<usize>n * 4);
  step = heap.alloc(<usize>n * 4);
  accent = heap.alloc(<usize>n * 4);
  kept = heap.alloc(<usize>n * 8);
  memory.fill(step, 0, <usize>n * 4);
  memory.fill(accent, 0, <usize>n * 4);
}

/** The band's positive steps over two frames (the first two stay 0). */
export function steps(): void {
  for (let t = 2; t < n; t++) {
    const d = <f64>load<f32>(band + (<usize>t << 2)) - <f64>load<f32>(band + (<usize>(t - 2) << 2));
    store<f32>(step + (<usize>t << 2), <f32>Math.max(0, d));
  }
}

/** Whether `a` sorts before `b` in a Float64Array's own order. */
@inline function before(a: f64, b: f64): bool {
  if (isNaN(a)) return false;
  if (isNaN(b)) return true;
  if (a < b) return true;
  return a == b && a == 0 && reinterpret<i64>(a) < 0 && reinterpret<i64>(b) >= 0;
}

@inline function at(i: i32): usize {
  return kept + (<usize>i << 3);
}

/** The `k`-th smallest (from 0) of the `m` steps at 0, stride, 2·stride, …: what sorting them would put at k. */
export function stepPercentile(stride: i32, m: i32, k: i32): f64 {
  for (let j = 0; j < m; j++) store<f64>(at(j), <f64>load<f32>(step + ((<usize>j * <usize>stride) << 2)));
  // Hoare's selection (Wirth's form): partition around the middle element until k is pinned.
  let lo = 0;
  let hi = m - 1;
  while (lo < hi) {
    const pivot = load<f64>(at((lo + hi) >> 1));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(load<f64>(at(i)), pivot)) i++;
      while (before(pivot, load<f64>(at(j)))) j--;
      if (i <= j) {
        const x = load<f64>(at(i));
        store<f64>(at(i), load<f64>(at(j)));
        store<f64>(at(j), x);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return load<f64>(at(k));
}

/** The steps over `top` added into the envelope. */
export function accumulate(top: f64): void {
  for (let t = 0; t < n; t++) {
    const p = accent + (<usize>t << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) + <f64>load<f32>(step + (<usize>t << 2)) / top));
  }
}
