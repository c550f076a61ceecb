import { mkdtempSync, rmSync } from 'node:fs';
import { runSync } from '../../test/support/processes.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePhonemeSpeech } from '../../test/fixtures/audio/phonemes.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { pitchHz, pitchSemitones } from './pitch.js';
import { speechFrames } from './speech-frames.js';

const FPS = 24;
/** A voice-like tone: a fundamental with decaying harmonics, `sec` seconds at 16 kHz. */
function tone(f0: number, sec: number): Float32Array {
  return Float32Array.from({ length: Math.round(sec * 16000) }, (_, i) => {
    let s = 0;
    for (let h = 1; h <= 8; h++) s += Math.sin((2 * Math.PI * f0 * h * i) / 16000) / h;
    return 0.2 * s;
  });
}

describe('voice pitch per frame', () => {
  it('reads the fundamental of harmonic tones (low and high voices) within 3 %', () => {
    for (const f0 of [90, 150, 260]) {
      const hz = pitchHz(tone(f0, 1), FPS, FPS);
      const mid = [...hz.subarray(4, 20)];
      for (const v of mid) expect(Math.abs(v - f0) / f0).toBeLessThan(0.03);
    }
  });

  it('a pitch step up of 5 semitones reads as +5 against the median; silence is 0', () => {
    const pcm = new Float32Array(3 * 16000);
    pcm.set(tone(150, 1), 0);
    pcm.set(tone(150 * 2 ** (5 / 12), 1), 16000); // then a second of silence
    const st = pitchSemitones(pitchHz(pcm, FPS, 3 * FPS));
    const mean = (a: number, b: number) => [...st.subarray(a, b)].reduce((s, x) => s + x, 0) / (b - a);
    expect(mean(FPS + 4, 2 * FPS - 4) - mean(4, FPS - 4)).toBeCloseTo(5, 0);
    expect([...st.subarray(2 * FPS + 2)].every((x) => x === 0)).toBe(true);
  });

  it('espeak-ng speech (a low male voice): most frames voiced, at its ~100 Hz, no octave slips', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 's2v-pitch-'));
    try {
      const s = makePhonemeSpeech(dir, 'Are you coming to the market with us today?');
      const pcm = new Float32Array(runSync(FFMPEG, ['-v', 'error', '-i', s.path, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-']).buffer.slice(0));
      const frames = Math.floor(s.durationSec * FPS);
      const hz = pitchHz(pcm, FPS, frames);
      const voiced = [...hz].filter((v) => v > 0);
      expect(voiced.length / frames).toBeGreaterThan(0.4);
      expect(voiced.filter((v) => v >= 75 && v <= 140).length / voiced.length).toBeGreaterThan(0.95);
      expect(Math.max(...pitchSemitones(hz).map(Math.abs))).toBeLessThan(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measured only on speech frames (the VAD spans): the same Hz there as a pass over the whole file, 0 elsewhere, for a fraction of the CPU', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 's2v-pitch-'));
    try {
      const s = makePhonemeSpeech(dir, 'Are you coming to the market with us today?');
      const voice = new Float32Array(runSync(FFMPEG, ['-v', 'error', '-i', s.path, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-']).buffer.slice(0));
      const beat = new Float32Array(runSync(FFMPEG, ['-v', 'error', '-i', path.resolve('graphs/assets/demo-beat.wav'), '-f', 'f32le', '-ac', '1', '-ar', '16000', '-']).buffer.slice(0));
      // 20 s of the demo beat with the sentence over it from 6 s: a song where the voice is a short part of it.
      const at = 6 * 16000;
      const pcm = beat.slice(0, 20 * 16000);
      for (let i = 0; i < voice.length; i++) pcm[at + i]! += voice[i]!;
      const frames = 20 * FPS;
      const only = speechFrames([[6, 6 + s.durationSec]], FPS, frames, 0.1);
      const times = { all: Infinity, speech: Infinity };
      let all: Float32Array = new Float32Array(0), speech: Float32Array = new Float32Array(0);
      for (let k = 0; k < 3; k++) {
        let t0 = performance.now();
        all = pitchHz(pcm, FPS, frames);
        times.all = Math.min(times.all, performance.now() - t0);
        t0 = performance.now();
        speech = pitchHz(pcm, FPS, frames, only);
        times.speech = Math.min(times.speech, performance.now() - t0);
      }
      const covered = only.reduce((a, b) => a + b, 0) / frames;
      console.log(`pitch on ${(100 * covered).toFixed(0)} % of frames (speech): ${times.speech.toFixed(1)} ms vs ${times.all.toFixed(1)} ms for every frame (best of 3, interleaved) = ${(times.speech / times.all).toFixed(2)}×`);
      let voicedInSpeech = 0;
      for (let f = 0; f < frames; f++) {
        if (only[f]) {
          expect(speech[f]).toBe(all[f]);
          if (all[f]! > 0) voicedInSpeech++;
        } else expect(speech[f]).toBe(0);
      }
      // The comparison means something: the sentence is voiced, and the music around it reads as pitched.
      expect(voicedInSpeech).toBeGreaterThan(s.durationSec * FPS * 0.3);
      expect([...all].filter((v, f) => v > 0 && !only[f]).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
