/** An append-only Float32 array that doubles its capacity: per-frame envelopes of unknown length. */
export class FloatTrack {
  private data: Float32Array;
  length = 0;
  constructor(initial = 4096) {
    this.data = new Float32Array(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Append a whole chunk (decoded PCM). */
  append(chunk: Float32Array): void {
    if (this.length + chunk.length > this.data.length) this.grow(this.length + chunk.length);
    this.data.set(chunk, this.length);
    this.length += chunk.length;
  }
  private grow(atLeast: number): void {
    const next = new Float32Array(Math.max(atLeast, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /**
   * The first `limit` values pushed (all by default). A view when the buffer is nearly
   * full (the usual case when the capacity was sized from the expected duration), so
   * an hour of envelopes is not copied once more at the end; a tight copy otherwise.
   */
  toArray(limit = this.length): Float32Array {
    const n = Math.min(limit, this.length);
    return n >= 0.9 * this.data.length ? this.data.subarray(0, n) : this.data.slice(0, n);
  }
}
