/** An append-only Float32 array that doubles its capacity: per-frame envelopes of unknown length. */
export class FloatTrack {
  private data: Float32Array;
  length = 0;
  constructor(initial = 4096) {
    this.data = new Float32Array(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** A tight copy of the first `limit` values pushed (all by default). */
  toArray(limit = this.length): Float32Array {
    return this.data.slice(0, Math.min(limit, this.length));
  }
}
