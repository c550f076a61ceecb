/**
 * Voice activity over a whole file with Silero VAD (v5; model `silero-vad`, run through the
 * inference service like every other model). For speed the audio is cut into independent
 * segments, each preceded by a short warm-up taken from the audio before it, and the
 * segments run side by side as one batch (silero-batch.ts). The model hears the audio with
 * its held notes taken out (vad-held-notes.ts), at 16 kHz: Silero was trained on speech in
 * noise, not inside music, and on the dev voices over the dev half of the beat corpus this
 * pair keeps 94 % of the frames of a voice as loud as the music at the threshold that flags
 * 2 % of the music around it (87 % on the mix as it is at 8 kHz, 90 % at 16 kHz), and 84 %
 * of a voice 6 dB under the music (48 %, 52 %). The analysis then takes 1.4× the CPU of the
 * plain 8 kHz model on speech over music, 2.1× on music alone (the gate skips less). Segments
 * far below speech level skip the model, and so do segments without syllabic rhythm that sit
 * between two others without it (see syllabic-gate.ts): sustained music is most of a song.
 * Streaming: push 16 kHz PCM as it is decoded; segments go to the model a few at a time as they
 * are cut, with the probabilities one call per batch gives; memory is one or two batches.
 */
import { S2VError, cancelledError } from '../engine/errors.js';
import type { ModelSession } from '../engine/index.js';
import { HalfBandDecimator } from './half-band.js';
import { SyllabicGate } from './syllabic-gate.js';
import { runSileroBatch } from './silero-batch.js';
import { HeldNoteRemover } from './vad-held-notes.js';

/** The model's id in models/ (its manifest points at the weights inside @ricky0123/vad-web). */
export const VAD_MODEL = 'silero-vad';
/** Rate of the PCM pushed in. */
export const VAD_SAMPLE_RATE = 16000;
/** Input samples per VAD frame (32 ms at 16 kHz): one probability each. */
export const VAD_FRAME = 512;

export interface VadOptions {
  /** Output frames per segment. */
  segmentFrames?: number;
  /** Frames of warm-up run before each segment (outputs discarded). */
  warmupFrames?: number;
  /** Segments per batch: the most that run side by side, and what the probabilities are the same as. */
  batch?: number;
  /** Rate the model runs at (the input is still 16 kHz); 8000 is faster but misses more speech under music. Default 16000. */
  modelRate?: 8000 | 16000;
  signal?: AbortSignal;
  /**
   * Skip the model on segments whose 300+ Hz loudness has no syllable-rate (2.3–7.8 Hz)
   * modulation of at least this RMS depth, dB (default 2; 0 turns the gate off). Measured
   * on 2.3 s segments: espeak speech 16–28 dB; speech over music 5.6–8.8 with the music
   * 9 dB down, 3.8–6.8 at 3 dB down; pads, strings and techno 1.2–3.5; busy drums and
   * jazz comping 4–9 (they simply run the model). Once the model heard speech 6 dB under
   * the music (held notes out), a 3 dB gate cost 8 % of that speech on the dev bench and
   * 1.4 % of speech as loud as the music; 2 dB costs 1.4 % and nothing, and still skips
   * 4 % of the music's segments (3 dB: 26 %).
   */
  syllabicGateDb?: number;
  /**
   * The model hears the audio with held notes taken out (vad-held-notes.ts), default true;
   * the syllabic gate and the quiet test still judge the audio as it is.
   */
  heldNotes?: boolean;
}

const DEFAULT_GATE_DB = 2;

/** A batch of 16 default segments (64 frames + warm-up and context) at 16 kHz (32 at 8 kHz: the bound is in samples). */
const BATCH_SAMPLES = 16 * (8 * 512 + 64 + 64 * 512);

/**
 * A segment whose every 32 ms frame is below −60 dBFS RMS is silence for the VAD
 * (speech sits around −30..−15 dBFS; the health check already calls −40 dBFS peak
 * near-silent), so the model is not run on it.
 */
const QUIET_FRAME_MS = 1e-6;

interface Segment {
  index: number;
  /**
   * Warm-up + context + frames at the model rate, as the model hears them (held notes taken
   * out, unless turned off); the audio as it is was judged at the cut and is not kept.
   */
  heard: Float32Array;
  /** Output frames (the last segment may be short). */
  frames: number;
  /** The syllabic gate's verdict (true without a gate). */
  speechLike: boolean;
  /** Far below speech level throughout. */
  quiet: boolean;
}

/**
 * Streaming batched VAD. `push()` 16 kHz mono PCM (awaiting it applies backpressure while a
 * batch runs); `finish()` returns one speech probability per 512-sample frame.
 */
export class BatchedVad {
  private readonly segFrames: number;
  private readonly warmFrames: number;
  private readonly batch: number;
  private readonly openSession: () => Promise<ModelSession>;
  private session?: Promise<ModelSession>;
  private readonly signal?: AbortSignal;
  private readonly rate: number;
  /** Model-rate samples per frame, and of the previous frame the v5 model sees in front. */
  private readonly frame: number;
  private readonly context: number;
  private readonly lead: number;
  private readonly segLen: number;
  private readonly decimator?: HalfBandDecimator;
  /** Samples not yet assigned to a segment, plus `lead` samples of history in front. */
  private pending: Float32Array;
  private pendingLen: number;
  /** With `heldNotes`: the remover, `pending` without held notes, and the input it has not caught up with. */
  private readonly remover?: HeldNoteRemover;
  private pendingClean?: Float32Array;
  private backlog = new Float32Array(0);
  private backlogLen = 0;
  /** The segments of the batch being filled (a batch: up to `batch` consecutive segments). */
  private window: Segment[] = [];
  /** Segments of `window` that will run and have not been sent yet. */
  private ready: Segment[] = [];
  /** The model's calls not answered yet. */
  private sent = new Set<Promise<void>>();
  /** Rows sent to the model and not answered yet. */
  private queuedRows = 0;
  private nextSegment = 0;
  private totalSamples = 0;
  private probs: Float32Array[] = [];
  private readonly gate?: SyllabicGate;
  private recent = new Float32Array(0);
  private recentLen = 0;
  /** Gate verdict of the last segment of the previous batch. */
  private lastLike = false;
  /** Model calls made, segments skipped as quiet, and segments skipped as not speech-like (for the bench). */
  calls = 0;
  skipped = 0;
  gated = 0;

  /** `session` opens the Silero session (e.g. `() => inference.session(VAD_MODEL)`); it is called once, at once. */
  constructor(session: () => Promise<ModelSession>, opts: VadOptions = {}) {
    this.openSession = session;
    this.segFrames = opts.segmentFrames ?? 64;
    this.warmFrames = opts.warmupFrames ?? 8;
    this.signal = opts.signal;
    this.rate = opts.modelRate ?? 16000;
    const down = VAD_SAMPLE_RATE / this.rate;
    if (down !== 1 && down !== 2) throw new S2VError('E106', `VAD model rate must be 8000 or 16000 Hz, got ${this.rate}`, { where: 'vad' });
    if (down === 2) this.decimator = new HalfBandDecimator();
    this.frame = VAD_FRAME / down;
    this.context = 64 / down;
    this.lead = this.warmFrames * this.frame + this.context;
    this.segLen = this.segFrames * this.frame;
    // Rows per batch: 16 of the default segments (a 30 s file's 15 in one batch), fewer of the
    // longer ones long files use, so a batch's samples (copied into the worker's message) stay
    // ≈ 2.4 MB at 16 kHz instead of growing with the file: with 64 rows of any length, analysing
    // 10 minutes peaked at 332 MB, now ≈ 225 MB (8 kHz on the plain mix: 207 MB). Rows are
    // independent, so this changes only how many run side by side.
    this.batch = opts.batch ?? Math.max(8, Math.min(64, Math.floor(BATCH_SAMPLES / (this.lead + this.segLen))));
    // History before t=0 is silence.
    this.pending = new Float32Array(this.lead + this.segLen);
    this.pendingLen = this.lead;
    if (opts.heldNotes ?? true) {
      this.remover = new HeldNoteRemover(this.rate);
      this.pendingClean = new Float32Array(this.pending.length);
    }
    // Start loading the model now, on its worker thread, so the load overlaps with decoding and
    // the frame analysis. Waiting for the first speech-like segment saved that load only on
    // music the gate skips throughout, and cost it in full on a song whose only speech-like
    // stretch is its last (the eval techno track): a fresh worker takes 0.36–0.49 s to boot,
    // load onnxruntime and open Silero at load ≈ 20, all of it between the analysis and its result.
    void this.model();
    const gateDb = opts.syllabicGateDb ?? DEFAULT_GATE_DB;
    if (gateDb > 0) {
      this.gate = new SyllabicGate(this.rate, gateDb);
      this.recent = new Float32Array(this.gate.span);
    }
  }

  /** More audio; one push at a time (each awaited before the next), then finish(). */
  async push(pcm: Float32Array): Promise<void> {
    this.totalSamples += pcm.length;
    const x = this.decimator ? this.decimator.process(pcm) : pcm;
    if (!this.remover) return this.append(x);
    // The cleaned audio trails the input: pair each cleaned sample with its input sample.
    const clean = this.remover.process(x);
    // The input behind the cleaned samples, in one buffer kept across calls: the samples the
    // remover has not caught up with stay at its front.
    const need = this.backlogLen + x.length;
    if (this.backlog.length < need) {
      const grown = new Float32Array(need);
      grown.set(this.backlog.subarray(0, this.backlogLen));
      this.backlog = grown;
    }
    this.backlog.set(x, this.backlogLen);
    this.backlogLen = need;
    await this.append(this.backlog.subarray(0, clean.length), clean);
    this.backlog.copyWithin(0, clean.length, need);
    this.backlogLen = need - clean.length;
  }

  /** Model-rate samples (and the same without held notes) into segments. */
  private async append(x: Float32Array, clean?: Float32Array): Promise<void> {
    let off = 0;
    while (off < x.length) {
      const room = this.lead + this.segLen - this.pendingLen;
      const n = Math.min(room, x.length - off);
      this.pending.set(x.subarray(off, off + n), this.pendingLen);
      if (clean) this.pendingClean!.set(clean.subarray(off, off + n), this.pendingLen);
      this.pendingLen += n;
      off += n;
      if (this.pendingLen === this.lead + this.segLen) {
        this.cutSegment(this.segFrames);
        // Memory stays one or two batches: the decode waits while the model is that far behind.
        if (this.queuedRows > 2 * this.batch) await this.answered();
      }
    }
  }

  /** Speech probability per VAD_FRAME samples, covering every pushed sample. */
  async finish(): Promise<Float32Array> {
    if (this.remover) await this.append(this.backlog.subarray(0, this.backlogLen), this.remover.flush());
    const frames = Math.ceil(this.totalSamples / VAD_FRAME);
    const done = this.nextSegment * this.segFrames;
    if (frames > done) {
      // The tail segment runs only the frames it needs (zero-padded to whole frames).
      const tail = frames - done;
      const real = this.pendingLen - this.lead;
      this.pending.fill(0, this.pendingLen);
      this.pendingClean?.fill(0, this.pendingLen);
      this.pendingLen = this.lead + tail * this.frame;
      this.cutSegment(tail, real);
    }
    if (this.window.length) this.closeWindow(false);
    await this.answered();
    const out = new Float32Array(frames);
    for (let s = 0; s < this.probs.length; s++) {
      const p = this.probs[s];
      if (!p) continue;
      const base = s * this.segFrames;
      for (let i = 0; i < p.length && base + i < frames; i++) out[base + i] = p[i]!;
    }
    return out;
  }

  /** `real`: samples of the segment that are audio (the tail is zero-padded to whole frames). */
  private cutSegment(frames: number, real = frames * this.frame): void {
    const len = this.lead + frames * this.frame;
    const data = this.pending.subarray(0, len);
    // In shared memory: it goes to the model's worker without a copy (silero-batch.ts).
    const heard = new Float32Array(new SharedArrayBuffer(len * 4));
    heard.set((this.pendingClean ?? this.pending).subarray(0, len));
    const speechLike = this.gate ? this.gate.speechLike(this.gateInput(data.subarray(this.lead, this.lead + real))) : true;
    const quiet = this.isQuiet(data, frames);
    this.place({ index: this.nextSegment++, heard, frames, speechLike, quiet });
    // Keep the tail as the next segment's warm-up and context.
    this.pending.copyWithin(0, len - this.lead, len);
    this.pendingClean?.copyWithin(0, len - this.lead, len);
    this.pendingLen = this.lead;
  }

  /**
   * The audio the syllabic gate judges for a segment: its own new samples (without the
   * warm-up, which is silence before the first segment, and without the tail's zero
   * padding: steps to digital silence would read as modulation), lengthened with the audio
   * just before it when shorter than the gate's window; `recent` keeps that audio.
   */
  private gateInput(fresh: Float32Array): Float32Array {
    const span = this.gate!.span;
    let input = fresh;
    if (fresh.length < span) {
      const need = Math.min(this.recentLen, span - fresh.length);
      input = new Float32Array(need + fresh.length);
      input.set(this.recent.subarray(this.recentLen - need, this.recentLen));
      input.set(fresh, need);
    }
    if (fresh.length >= span) {
      this.recent.set(fresh.subarray(fresh.length - span));
      this.recentLen = span;
    } else {
      const keep = Math.min(this.recentLen, span - fresh.length);
      this.recent.copyWithin(0, this.recentLen - keep, this.recentLen);
      this.recent.set(fresh, keep);
      this.recentLen = keep + fresh.length;
    }
    return input;
  }

  private isQuiet(d: Float32Array, frames: number): boolean {
    for (let f = 0; f < frames; f++) {
      const a = this.lead + f * this.frame;
      let ms = 0;
      for (let i = a; i < a + this.frame; i++) ms += d[i]! * d[i]!;
      if (ms / this.frame >= QUIET_FRAME_MS) return false;
    }
    return true;
  }

  /**
   * A new segment into the batch being filled. A segment runs unless it is quiet or neither it
   * nor a neighbour is speech-like (speech that starts or ends near a segment edge fills too
   * little of that segment's windows to pass the gate): known once its successor is cut. A full
   * batch closes when the next segment is cut (its last segment needs that one's verdict).
   */
  private place(s: Segment): void {
    if (this.window.length === this.batch) this.closeWindow(s.speechLike);
    this.window.push(s);
    if (this.window.length >= 2) this.decide(this.window.length - 2, s.speechLike);
    // A batch goes to the model in one call once its last segment is known (closeWindow), while
    // the audio after it still streams in: a 30 s clip's 15 segments are one batch, one call. Each
    // call costs the worker ≈ 0.25 ms a step whatever its rows (+ ≈ 0.05 ms a row), 72 steps for
    // 64-frame segments, so one call of 15 rows is ≈ 55 ms where 8 + 7 sent as they came were ≈ 70
    // and took CPU from the decode on a 2-core machine; after the decode the call runs beside the
    // beat tracking (≈ 90 ms on a 30 s clip). Traced on `s2v analyze` of a 30 s clip: the VAD's
    // last answer came ≈ 10 ms before to ≈ 40 ms after the beats either way, with ≈ 30 ms less CPU.
  }

  /** Whether window[j] runs (`after`: the verdict of the segment after it). */
  private decide(j: number, after: boolean): void {
    const w = this.window;
    const s = w[j]!;
    const near = s.speechLike || (j > 0 ? w[j - 1]!.speechLike : this.lastLike) || (j + 1 < w.length ? w[j + 1]!.speechLike : after);
    if (!s.quiet && near) return void this.ready.push(s);
    this.probs[s.index] = new Float32Array(s.frames);
    if (s.quiet) this.skipped++;
    else this.gated++;
  }

  /** The batch's last segment decided, and what of the batch has not run yet sent in one call. */
  private closeWindow(after: boolean): void {
    this.decide(this.window.length - 1, after);
    this.lastLike = this.window[this.window.length - 1]!.speechLike;
    if (this.ready.length) this.send(this.ready);
    this.window = [];
    this.ready = [];
  }

  /**
   * Runs `live` through the model. Sent at once, not after the call before it is answered: that
   * answer reaches this thread only when it is free, and the last call (sent as the decode ends)
   * waited for the tempo and beat tracking to finish. The worker runs one step at a time.
   */
  private send(live: Segment[]): void {
    this.queuedRows += live.length;
    const run = async () => {
      if (this.signal?.aborted) throw cancelledError('vad');
      this.calls += this.warmFrames + Math.max(...live.map((s) => s.frames));
      const rows = live.map((s) => ({ data: s.heard, frames: s.frames }));
      const probs = await runSileroBatch(await this.model(), rows, { frame: this.frame, context: this.context, warmFrames: this.warmFrames, rate: this.rate }, this.signal);
      live.forEach((s, i) => (this.probs[s.index] = probs[i]!));
      this.queuedRows -= live.length;
    };
    const p = run();
    this.sent.add(p);
    // Reported where the calls are awaited (push when the model is behind, finish).
    p.then(() => this.sent.delete(p), () => undefined);
  }

  /** Every call sent so far answered; the first failure, if any. */
  private async answered(): Promise<void> {
    while (this.sent.size) await Promise.all(this.sent);
  }

  /** The session, opened on first use; a failed open is reported where the model is awaited. */
  private model(): Promise<ModelSession> {
    if (!this.session) {
      this.session = this.openSession();
      this.session.catch(() => undefined);
    }
    return this.session;
  }
}

/** Convenience: VAD over a whole 16 kHz buffer. */
export async function detectVoice(session: () => Promise<ModelSession>, pcm16k: Float32Array, opts: VadOptions = {}): Promise<Float32Array> {
  const vad = new BatchedVad(session, opts);
  await vad.push(pcm16k);
  return vad.finish();
}
