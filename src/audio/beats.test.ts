/**
 * The beat tracker's loops run in WebAssembly (wasm/assembly/beats.ts). Its beats must be bit for bit
 * those of the JavaScript it replaced, kept here as the reference, on envelopes that take every path:
 * noise, click trains at steady and changing tempi (one period per frame while the tempo path glides),
 * silence before and after the music (the trim), silence throughout (no peaks), very short envelopes,
 * loose and rigid tracking, and the envelopes of generated grooves with their own tempo paths. Checked
 * over the beat corpus's dev half too (232 excerpts and the eval-dev tracks, every level the
 * metrical-level choice tracks: the same beats).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/random.js';
import { trackBeats, type BeatOptions } from './beats.js';
import { FrameAnalyzer } from './frame-analyzer.js';
import { estimateTempo } from './tempo.js';
import { meterGroove, type MeterStyle } from '../../test/fixtures/audio/meter-grooves.js';

const SEARCH_PENALTY = 200;

function referenceTrackBeats(onset: Float32Array, periodAt: Float32Array, opts: BeatOptions = {}): number[] {
  const n = onset.length;
  if (n < 4) return [];
  const tightness = opts.tightness ?? 100;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += onset[t]!;
  mean /= n;
  let sd = 0;
  for (let t = 0; t < n; t++) sd += (onset[t]! - mean) ** 2;
  sd = Math.sqrt(sd / n) || 1;
  const medianPeriod = median(periodAt);
  const half = Math.max(1, Math.round(medianPeriod / 8));
  const kernel = Float64Array.from({ length: 2 * half + 1 }, (_, i) => Math.exp(-0.5 * (((i - half) * 32) / medianPeriod) ** 2));
  const local = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let k = -half; k <= half; k++) {
      const u = t + k;
      if (u >= 0 && u < n) s += (onset[u]! / sd) * kernel[k + half]!;
    }
    local[t] = s;
  }
  const cum = new Float64Array(n);
  const back = new Int32Array(n).fill(-1);
  let maxLocal = 0;
  for (let t = 0; t < n; t++) maxLocal = Math.max(maxLocal, local[t]!);
  let started = false;
  const reach = Math.min(Math.LN2, Math.sqrt(SEARCH_PENALTY / tightness));
  const loF = Math.exp(-reach);
  const hiF = Math.exp(reach);
  for (let t = 0; t < n; t++) {
    const p = periodAt[t]!;
    const lo = Math.max(1, Math.round(p * loF));
    const hi = Math.round(p * hiF);
    let best = -Infinity;
    let arg = -1;
    for (let tau = lo; tau <= hi && t - tau >= 0; tau++) {
      const l = Math.log(tau / p);
      const v = cum[t - tau]! - tightness * l * l;
      if (v > best) {
        best = v;
        arg = t - tau;
      }
    }
    if (arg >= 0 && (started || best > 0.01 * maxLocal)) {
      cum[t] = local[t]! + best;
      back[t] = arg;
      started = true;
    } else cum[t] = local[t]!;
  }
  const peaks: number[] = [];
  for (let t = 1; t < n - 1; t++) if (cum[t]! > cum[t - 1]! && cum[t]! >= cum[t + 1]!) peaks.push(t);
  if (peaks.length === 0) return [];
  const med = median(Float32Array.from(peaks.map((t) => cum[t]!)));
  let lastIdx = peaks.length - 1;
  while (lastIdx > 0 && cum[peaks[lastIdx]!]! < 0.5 * med) lastIdx--;
  const endT = peaks[lastIdx]!;
  let last = endT;
  for (let i = lastIdx; i >= 0 && peaks[i]! >= endT - 1.1 * periodAt[endT]!; i--) {
    if (cum[peaks[i]!]! > cum[last]!) last = peaks[i]!;
  }
  const beats: number[] = [];
  for (let t = last; t >= 0; t = back[t]!) beats.push(t);
  beats.reverse();
  return trimWeak(beats, local);
}

function trimWeak(beats: number[], local: Float64Array): number[] {
  if (beats.length < 3) return beats;
  let ms = 0;
  for (const b of beats) ms += local[b]! * local[b]!;
  const thresh = 0.5 * Math.sqrt(ms / beats.length);
  let a = 0;
  let z = beats.length;
  while (a < z && local[beats[a]!]! <= thresh) a++;
  while (z > a && local[beats[z - 1]!]! <= thresh) z--;
  return beats.slice(a, z);
}

function median(a: Float32Array): number {
  const s = Float32Array.from(a).sort();
  return s.length ? s[s.length >> 1]! : 0;
}

/** Clicks every `periodAt` frames (with jitter and ghost notes), over noise, silent outside [from, to). */
function clicks(rng: Rng, periodAt: Float32Array, from = 0, to = periodAt.length, noise = 0.05): Float32Array {
  const n = periodAt.length;
  const out = new Float32Array(n);
  for (let t = 0; t < n; t++) out[t] = t >= from && t < to ? noise * rng.next() : 0;
  for (let t = from; t < to; t += periodAt[Math.floor(t)]!) {
    const at = Math.round(t + rng.range(-1, 1));
    if (at >= 0 && at < to) out[at] = out[at]! + rng.range(0.5, 1);
    const ghost = Math.round(t + periodAt[Math.floor(t)]! / 2);
    if (ghost < to && rng.chance(0.5)) out[ghost] = out[ghost]! + rng.range(0, 0.6);
  }
  return out;
}

const steady = (n: number, p: number) => new Float32Array(n).fill(p);
/** A tempo path gliding from `p0` to `p1` frames (a new period every frame). */
const glide = (n: number, p0: number, p1: number) => Float32Array.from({ length: n }, (_, t) => p0 + ((p1 - p0) * t) / (n - 1));
/** A tempo path holding `p0`, then `p1` from the middle on. */
const jump = (n: number, p0: number, p1: number) => Float32Array.from({ length: n }, (_, t) => (t < n / 2 ? p0 : p1));

describe('trackBeats in WebAssembly against the JavaScript it replaced (bit for bit)', () => {
  const rng = new Rng(13);
  const cases: Array<[string, Float32Array, Float32Array]> = [];
  for (const n of [3000, 1777]) {
    cases.push([`noise, ${n} frames`, Float32Array.from({ length: n }, () => rng.next()), steady(n, 50)]);
    cases.push([`noise about zero, ${n} frames`, Float32Array.from({ length: n }, () => rng.range(-1, 1)), glide(n, 30, 45)]);
    cases.push([`clicks at a steady period, ${n} frames`, clicks(rng, steady(n, 48.5)), steady(n, 48.5)]);
    cases.push([`an accelerando, ${n} frames`, clicks(rng, glide(n, 60, 40)), glide(n, 60, 40)]);
    cases.push([`a tempo change, ${n} frames`, clicks(rng, jump(n, 45, 70)), jump(n, 45, 70)]);
    cases.push([`silence before and after, ${n} frames`, clicks(rng, steady(n, 37), 600, n - 500, 0), steady(n, 37)]);
    cases.push([`a tempo path off the clicks, ${n} frames`, clicks(rng, steady(n, 50)), glide(n, 33, 100)]);
  }
  // Once the music has started every beat links back, even through a stretch that scores below nothing.
  const dip = clicks(rng, steady(2500, 44));
  dip.fill(-3, 1000, 1400);
  cases.push(['clicks with a stretch far below zero', dip, steady(2500, 44)]);
  cases.push(['silence', new Float32Array(2000), steady(2000, 50)]);
  cases.push(['one click', Float32Array.from({ length: 500 }, (_, t) => (t === 250 ? 1 : 0)), steady(500, 50)]);
  cases.push(['a period longer than the envelope', clicks(rng, steady(300, 400)), steady(300, 400)]);
  for (const n of [4, 5, 7, 12, 40]) cases.push([`${n} frames`, Float32Array.from({ length: n }, () => rng.next()), steady(n, 3 + (n % 5))]);

  it.each(cases)('%s', (_, onset, periodAt) => {
    for (const tightness of [undefined, 100, 400, 3000]) {
      const opts = tightness === undefined ? {} : { tightness };
      expect(trackBeats(onset, periodAt, opts)).toEqual(referenceTrackBeats(onset, periodAt, opts));
    }
  });

  it('shorter than four frames is no beats', () => {
    expect(trackBeats(Float32Array.of(1, 0, 1), steady(3, 2))).toEqual([]);
  });

  // The analysis' own envelopes and tempo paths, at the tempo path's level and at the others the
  // metrical-level choice tracks (the path scaled as metrical-level.ts scales it).
  it.each<[MeterStyle, number]>([
    ['swung-triple', 120],
    ['offbeat-chords', 150],
    ['six-eight', 60],
    ['disco', 90],
  ])('the envelope and tempo path of a generated %s groove at %i BPM, every level', (style, bpm) => {
    const g = meterGroove({ style, bpm, durationSec: 24 });
    const fa = new FrameAnalyzer(24);
    fa.push(g.pcm);
    const e = fa.finish();
    const { periodAt } = estimateTempo([e.flux, e.fluxLow], { rate: 100 });
    for (const factor of [1, 0.5, 2, 1.5, 2 / 3, 1 / 3, 0.75]) {
      const p = factor === 1 ? periodAt : periodAt.map((x) => x / factor);
      const beats = trackBeats(e.flux, p, { tightness: 3000 });
      expect(beats.length).toBeGreaterThan(10);
      expect(beats).toEqual(referenceTrackBeats(e.flux, p, { tightness: 3000 }));
    }
  });
});
