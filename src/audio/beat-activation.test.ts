import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isS2VError } from '../engine/errors.js';
import { BEAT_NET_FILE, preferOver, shippedBeatNet } from './beat-activation.js';
import { CHROMA_FRAMES, FRAME_RATE, FrameAnalyzer, SPECTRUM_DIM } from './frame-analyzer.js';
import { meterGroove } from '../../test/fixtures/audio/meter-grooves.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 's2v-beatnet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('beat net', () => {
  // Loud chord stabs and hats on every "and", the bass on the beats: the net must take the bass
  // grid for the beat, not the stabs half a beat later (both grids from the groove's own beats).
  it('takes the bass notes of a generated off-beat-chords groove for beats rather than the stabs on the "ands"', () => {
    const g = meterGroove({ style: 'offbeat-chords', bpm: 120, durationSec: 24 });
    const fa = new FrameAnalyzer(24);
    fa.push(g.pcm);
    const e = fa.finish();
    const inp = { flux: e.flux, fluxHigh: e.fluxHigh, bands: [e.bands.bass, e.bands.mid, e.bands.treble], spectrum: e.spectrum, chroma: e.chroma, spectrumDim: SPECTRUM_DIM, spectrumFrames: CHROMA_FRAMES };
    const beats = g.beats.map((t) => t * FRAME_RATE);
    const ands = beats.slice(0, -1).map((b, i) => 0.5 * (b + beats[i + 1]!));
    expect(preferOver(shippedBeatNet(), inp, ands, beats)).toBeGreaterThan(1);
  });

  it.each([
    ['missing', undefined],
    ['not JSON', '{"context": 1,'],
    ['of the wrong shape', JSON.stringify({ context: 1, channels: 2, inputs: 18, hidden: 2, w1: [1, 2], b1: [0, 0], w2: [1, 1], b2: 0 })],
  ])('refuses a weights file that is %s in one line naming it', (_, text) => {
    const file = path.join(dir, `${_.replace(/\W/g, '-')}.json`);
    if (text !== undefined) writeFileSync(file, text);
    let err: unknown;
    try {
      shippedBeatNet(file);
    } catch (e) {
      err = e;
    }
    expect(isS2VError(err) && err.code).toBe('E111');
    expect(String((err as Error).message)).not.toContain('\n');
    expect((err as { where?: string }).where).toBe(file);
  });

  it('ships its weights beside the other models', () => {
    const net = shippedBeatNet(BEAT_NET_FILE);
    expect(net.inputs).toBe(net.channels * (8 * net.context + 1));
    expect(net.w1.length).toBe(net.inputs * net.hidden);
  });
});
