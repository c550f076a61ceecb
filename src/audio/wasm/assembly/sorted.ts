// AssemblyScript. The sorted running windows' update (test/support/sorted-window.ts keeps the
// JavaScript it was), comparison for comparison: a run of one flat array per window.

/** Replace one occurrence of `oldV` in the sorted run of `n` f64 at `from` by `newV`, keeping it sorted. */
export function replaceSorted(from: usize, n: i32, oldV: f64, newV: f64): void {
  const last = from + (<usize>(n - 1) << 3);
  let i = from;
  while (i < last && load<f64>(i) != oldV) i += 8;
  if (newV >= oldV) {
    while (i < last && load<f64>(i + 8) < newV) {
      store<f64>(i, load<f64>(i + 8));
      i += 8;
    }
  } else {
    while (i > from && load<f64>(i - 8) > newV) {
      store<f64>(i, load<f64>(i - 8));
      i -= 8;
    }
  }
  store<f64>(i, newV);
}
