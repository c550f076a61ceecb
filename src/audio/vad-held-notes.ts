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
import { RealFFT } from './fft.js';
import { replaceSorted } from './hpss.js';

/** Frames in the median: 13 hops of 16 ms = 0.2 s, centred. */
const SPAN = 13;
const MID = SPAN >> 1;
/** Least gain, so nothing is cut to silence (a hard mask would make Silero hear clicks). */
const FLOOR = 0.1;
/**
 * Steady partials: a bin whose phase's second difference stays under 0.3 rad over both
 * triples of frames around the frame is cut, more and more, down to FLOOR at 0.1 rad (as cos²).
 */
const STEADY_FROM = Math.cos(0.3) ** 2;
const STEADY_AT = Math.cos(0.1) ** 2;

export class HeldNoteRemover {
  /** Spectrum size (32 ms) and hop (half of it: a hop of a quarter was no better on the bench, at twice the cost). */
  private readonly n: number;
  private readonly hop: number;
  private readonly bins: number;
  private readonly fft: RealFFT;
  /** √Hann: applied on analysis and synthesis, the two sum to 1 at 50 % overlap. */
  private readonly window: Float64Array;
  /** The samples of the next frame (float32 in, so a Float32Array holds them exactly). */
  private readonly input: Float32Array;
  private inputFill: number;
  /** The last SPAN frames' spectra (ring), and per bin their powers kept sorted (bin k at k·SPAN). */
  private readonly re: Float64Array[];
  private readonly im: Float64Array[];
  private readonly power: Float64Array[];
  private readonly sorted: Float64Array;
  /** Per frame (ring like the spectra), per bin: cos² of the phase's second difference centred there. */
  private readonly steady: Float64Array[];
  private frames = 0;
  private readonly outRe: Float64Array;
  private readonly outIm: Float64Array;
  private readonly overlap: Float64Array;
  /** Output samples still to drop: they lie before the start. */
  private lead: number;
  private pushed = 0;
  private emitted = 0;
  /** Samples between an input sample and the same sample in the output. */
  readonly delay: number;

  /** `rate`: 8000 or 16000 Hz. */
  constructor(rate: number) {
    const n = (this.n = rate === 8000 ? 256 : 512);
    this.hop = n / 2;
    this.bins = n / 2 + 1;
    this.fft = new RealFFT(n);
    this.window = Float64Array.from({ length: n }, (_, i) => Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
    this.input = new Float32Array(n);
    this.inputFill = n - this.hop;
    const spectra = () => Array.from({ length: SPAN }, () => new Float64Array(this.bins));
    this.re = spectra();
    this.im = spectra();
    this.power = spectra();
    this.steady = spectra();
    this.sorted = new Float64Array(this.bins * SPAN);
    this.outRe = new Float64Array(this.bins);
    this.outIm = new Float64Array(this.bins);
    this.overlap = new Float64Array(n);
    this.lead = n - this.hop;
    this.delay = (MID - 1) * this.hop + n;
  }

  /** Cleaned samples that are ready (they trail the input by `delay`). */
  process(x: Float32Array): Float32Array {
    this.pushed += x.length;
    const { n, hop } = this;
    const out = new Float32Array(Math.ceil((this.inputFill - (n - hop) + x.length) / hop) * hop);
    let len = 0;
    let off = 0;
    while (off < x.length) {
      const k = Math.min(n - this.inputFill, x.length - off);
      this.input.set(x.subarray(off, off + k), this.inputFill);
      this.inputFill += k;
      off += k;
      if (this.inputFill === n) {
        if (this.step(out, len)) len += hop;
        this.input.copyWithin(0, hop);
        this.inputFill = n - hop;
      }
    }
    const drop = Math.min(this.lead, len);
    this.lead -= drop;
    this.emitted += len - drop;
    return out.subarray(drop, len);
  }

  /** The rest of the cleaned signal, so that the output is exactly as long as the input. */
  flush(): Float32Array {
    const total = this.pushed;
    const before = this.emitted;
    const out = this.process(new Float32Array(this.delay + this.hop));
    this.pushed = this.emitted = total;
    return out.subarray(0, Math.max(0, total - before));
  }

  /**
   * One new frame in; the frame MID frames back is cleaned and overlap-added, and `hop` samples
   * come out at `at` (false while that frame would lie before the start). Split in small
   * methods: V8 optimises each sooner than one large one, and a 30 s file is over quickly.
   */
  private step(out: Float32Array, at: number): boolean {
    const slot = this.frames % SPAN;
    this.fft.windowedForward(this.input, 0, this.window, this.re[slot]!, this.im[slot]!);
    this.track(slot);
    this.frames++;
    if (this.frames <= MID) return false;
    const c = (this.frames - 1 - MID) % SPAN;
    this.gains(c);
    const { n, hop } = this;
    this.fft.inverseAdd(this.outRe, this.outIm, this.window, this.overlap);
    out.set(this.overlap.subarray(0, hop), at);
    this.overlap.copyWithin(0, hop);
    this.overlap.fill(0, n - hop);
    return true;
  }

  /**
   * Frame `slot` (just transformed) into the sorted per-bin windows, and the steadiness of the
   * partials centred on the frame before it, from it and its two neighbours.
   */
  private track(slot: number): void {
    const bins = this.bins;
    const re = this.re[slot]!;
    const im = this.im[slot]!;
    const pw = this.power[slot]!;
    const sorted = this.sorted;
    const st = this.steady[(this.frames + SPAN - 1) % SPAN]!;
    const bRe = this.re[(this.frames + SPAN - 1) % SPAN]!;
    const bIm = this.im[(this.frames + SPAN - 1) % SPAN]!;
    const aRe = this.re[(this.frames + SPAN - 2) % SPAN]!;
    const aIm = this.im[(this.frames + SPAN - 2) % SPAN]!;
    for (let k = 0; k < bins; k++) {
      const r = re[k]!;
      const i = im[k]!;
      const raw = r * r + i * i;
      // A NaN would never leave the sorted window (it is found by value): it counts as silence.
      const p = raw < Infinity ? raw : 0;
      replaceSorted(sorted, pw[k]!, p, k * SPAN, SPAN);
      pw[k] = p;
      // w = newest · conj(middle)² · oldest: its angle is the phase's second difference, 0 when the
      // bin holds one partial at a constant frequency (whatever the bin's own offset from it).
      const br = bRe[k]!;
      const bi = bIm[k]!;
      const sqR = br * br - bi * bi;
      const sqI = -2 * br * bi;
      const qR = r * aRe[k]! - i * aIm[k]!;
      const qI = r * aIm[k]! + i * aRe[k]!;
      const wR = qR * sqR - qI * sqI;
      const wI = qR * sqI + qI * sqR;
      // cos² of that angle (0 when it is a quarter turn or more); no square root needed.
      st[k] = wR > 0 ? (wR * wR) / (wR * wR + wI * wI) : 0;
    }
  }

  /** The cleaned spectrum of frame `c` (into outRe/outIm): Wiener-style gain over the median, steady partials cut. */
  private gains(c: number): void {
    const bins = this.bins;
    const sorted = this.sorted;
    const cRe = this.re[c]!;
    const cIm = this.im[c]!;
    const cPw = this.power[c]!;
    const s0 = this.steady[c]!;
    const s1 = this.steady[(c + 1) % SPAN]!;
    const outRe = this.outRe;
    const outIm = this.outIm;
    for (let k = 0; k < bins; k++) {
      const held = sorted[k * SPAN + MID]!;
      const moving = Math.max(0, cPw[k]! - held);
      const m2 = moving * moving;
      let g = Math.max(FLOOR, Math.sqrt(m2 / (m2 + held * held + 1e-30)));
      // A partial counts as steady when it is steady over both triples the frame is part of.
      const steadiness = Math.min(s0[k]!, s1[k]!);
      if (steadiness > STEADY_FROM) g = Math.min(g, Math.max(FLOOR, (STEADY_AT - steadiness) / (STEADY_AT - STEADY_FROM)));
      outRe[k] = cRe[k]! * g;
      outIm[k] = cIm[k]! * g;
    }
  }
}
