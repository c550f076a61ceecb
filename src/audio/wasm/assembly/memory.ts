// AssemblyScript. The loads and stores every kernel here uses (inlined where they are called): the
// i-th f64, f32 (read as f64) or i32 of an array at byte offset `base`.

@inline export function ld(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

@inline export function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

@inline export function ld32(base: usize, i: i32): f64 {
  return <f64>load<f32>(base + (<usize>i << 2));
}

@inline export function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

@inline export function sti(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/** The first 16-byte boundary past `bytes` bytes from `at`: where a kernel's next array starts. */
@inline export function take(at: usize, bytes: i32): usize {
  return (at + <usize>bytes + 15) & ~(<usize>15);
}

/** Grows the module's memory, when needed, to hold every byte below `end`. */
@inline export function reserve(end: usize): void {
  const pages = <i32>((end + 0xffff) >> 16);
  const have = memory.size();
  if (pages > have) memory.grow(pages - have);
}

/** JavaScript's Math.round: the nearest integer, halves up. */
@inline export function jsRound(x: f64): f64 {
  const r = Math.ceil(x);
  return r - 0.5 > x ? r - 1 : r;
}

/**
 * ../../stats.ts peakAround on an f32 envelope of `length` frames at `base`: the largest value within
 * ±`radius` frames of frame `f` (rounded), 0 outside it.
 */
@inline export function peakAroundF32(base: usize, length: i32, f: f64, radius: i32): f64 {
  const r = jsRound(f);
  let m: f64 = 0;
  // Not a frame at all: JavaScript's loop would find none either.
  if (!(Math.abs(r) < 1e9)) return m;
  const c = <i32>r;
  for (let k = c - radius; k <= c + radius; k++) {
    if (k >= 0 && k < length) {
      const v = <f64>load<f32>(base + (<usize>k << 2));
      if (v > m) m = v;
    }
  }
  return m;
}
