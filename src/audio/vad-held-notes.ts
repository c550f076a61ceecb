/**
 * Takes out of the audio Silero hears what holds still: in every frequency bin of a 32 ms
 * spectrum (hop 16 ms), the median power over the surrounding 0.2 s is what a held note, a
 * pad or a drone puts there, and a Wiener-style gain keeps only what rises above it.
 * Syllables change pitch and formants every 50–200 ms, so they pass, and what Silero hears
 * is closer to speech in noise (what it was trained on) than to speech inside music. Chosen
 * on the dev voices over the dev half of the beat corpus (test/bench/vad-music-bench.ts):
 * a 64 ms spectrum or a 0.4 s median let through more of the music, and 0.1 s more of it
 * with the speech.
 *
 * Notes shorter than the median's reach (a synth or organ lead's eighth notes) are caught by
 * their pitch instead: an instrument holds a note's frequency exactly, so in the bins of its
 * partials the phase advances by the same angle from frame to frame, while a voice's pitch
 * glides through every syllable. Where the phase's second difference stays under 0.3 rad over
 * four frames (64 ms), the bin is cut like a held note. On the dev half plus 22 synth-lead
 * bands this took the music flagged as speech beside a voice as loud as it from 1.6 % to
 * 0.4 % (music alone 1.0 % → 0.04 %) at the same 96.7 % of speech kept; a 0.1–0.3 rad ramp
 * over one triple of frames cost 4 points of a voice 6 dB under the music, and without the
 * median (steady partials only) that voice lost 8 points. Streaming, with a fixed delay
 * (`delay` samples); silence before the start.
 */
import { fillFftTables, oddStages, type FftTables } from './fft.js';
import { HELD_NOTES_WASM } from './wasm/held-notes-wasm.js';
import { instantiate } from './wasm/instantiate.js';

/**
 * Steady partials: a bin whose phase's second difference stays under 0.3 rad over both
 * triples of frames around the frame is cut, more and more, down to the least gain (0.1) at
 * 0.1 rad (as cos²). The per-frame work (the median over 13 frames = 0.2 s, the gains) runs in
 * WebAssembly (wasm/assembly/held-notes.ts); the cosines are taken here, in JS, so its numbers
 * are the ones the JavaScript version used, and so are its outputs, bit for bit.
 */
const STEADY_FROM = Math.cos(0.3) ** 2;
const STEADY_AT = Math.cos(0.1) ** 2;
/** Frames in the median (as in the kernel), and the middle one: the output trails a frame by MID hops. */
const SPAN = 13;
const MID = SPAN >> 1;

interface HeldNotesKernel extends FftTables {
  init(size: number, odd: boolean, steadyFrom: number, steadyAt: number): void;
  push(count: number): number;
  fill: WebAssembly.Global;
  STAGE: WebAssembly.Global;
  staging: WebAssembly.Global;
  cleaned: WebAssembly.Global;
}

export class HeldNoteRemover {
  /** Spectrum size (32 ms) and hop (half of it: a hop of a quarter was no better on the bench, at twice the cost). */
  private readonly n: number;
  private readonly hop: number;
  private readonly kernel: HeldNotesKernel;
  /** Views on the kernel's memory: samples in, cleaned samples out, of one push. */
  private readonly staging: Float32Array;
  private readonly cleaned: Float32Array;
  /** Output samples still to drop: they lie before the start. */
  private lead: number;
  private pushed = 0;
  private emitted = 0;
  /** Samples between an input sample and the same sample in the output. */
  readonly delay: number;
  /** What process() returns a view on. */
  private out = new Float32Array(0);

  /** `rate`: 8000 or 16000 Hz. */
  constructor(rate: number) {
    const n = (this.n = rate === 8000 ? 256 : 512);
    this.hop = n / 2;
    const kernel = (this.kernel = instantiate(HELD_NOTES_WASM) as unknown as HeldNotesKernel);
    kernel.init(n, oddStages(n), STEADY_FROM, STEADY_AT);
    fillFftTables(kernel, n);
    const buffer = kernel.memory.buffer;
    // √Hann: applied on analysis and synthesis, the two sum to 1 at 50 % overlap.
    new Float64Array(buffer, kernel.window.value as number, n).set(
      Float64Array.from({ length: n }, (_, i) => Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n))),
    );
    const stage = kernel.STAGE.value as number;
    this.staging = new Float32Array(buffer, kernel.staging.value as number, stage);
    this.cleaned = new Float32Array(buffer, kernel.cleaned.value as number, stage + n);
    this.lead = n - this.hop;
    this.delay = (MID - 1) * this.hop + n;
  }

  /**
   * Cleaned samples that are ready (they trail the input by `delay`): a view on the remover's own
   * output buffer, valid until the next call (one buffer for every call: a fresh 128 KB array per
   * decoded chunk was fresh memory, paged in anew each time).
   */
  process(x: Float32Array): Float32Array {
    this.pushed += x.length;
    const { n, hop } = this;
    const fill = this.kernel.fill.value as number;
    const size = Math.ceil((fill - (n - hop) + x.length) / hop) * hop;
    if (this.out.length < size) this.out = new Float32Array(size);
    const out = this.out;
    const stage = this.staging.length;
    let len = 0;
    for (let off = 0; off < x.length; off += stage) {
      const k = Math.min(stage, x.length - off);
      this.staging.set(k === x.length ? x : x.subarray(off, off + k));
      const got = this.kernel.push(k);
      out.set(this.cleaned.subarray(0, got), len);
      len += got;
    }
    const drop = Math.min(this.lead, len);
    this.lead -= drop;
    this.emitted += len - drop;
    return out.subarray(drop, len);
  }

  /** The rest of the cleaned signal, so that the output is exactly as long as the input (a view, as process's). */
  flush(): Float32Array {
    const total = this.pushed;
    const before = this.emitted;
    const out = this.process(new Float32Array(this.delay + this.hop));
    this.pushed = this.emitted = total;
    return out.subarray(0, Math.max(0, total - before));
  }
}
