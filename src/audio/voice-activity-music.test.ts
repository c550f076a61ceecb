import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../media/index.js';
import { createInferenceService } from '../inference/index.js';
import { analyzePcm } from './analyze.js';
import { makeSpeech } from '../../test/fixtures/audio/speech.js';
import { renderBand } from '../../test/fixtures/audio/band.js';

const inference = createInferenceService();
const media = createMediaService();
let dir: string;
const AT = 6;
const EDGE = 0.2;

interface Take {
  music: Float32Array;
  voice: Float32Array;
  spans: Array<[number, number]>;
}
const takes: Take[] = [];

const rms = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
const covered = (spans: Array<[number, number]>, a: number, b: number) => spans.reduce((c, [s, e]) => c + Math.max(0, Math.min(b, e) - Math.max(a, s)), 0);
const decode = (file: string) => media.decodeAudio(file, { sampleRate: 16000, channels: 1 });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-vad-music-'));
  // Two bands whose lead sings (alto sax, flute) under two voices saying a long sentence and short replies.
  const bands = [renderBand(dir, { seconds: 24, bpm: 96, seed: 1, lead: 65 }), renderBand(dir, { seconds: 24, bpm: 120, seed: 2, lead: 73 })];
  const voices = [
    makeSpeech(dir, ['Turn left after the bridge and keep going.', 1.3, 'Right, thank you.', 1.1, 'Sure.'], 'a.wav'),
    makeSpeech(dir, ['The kettle is already on the stove.', 1.2, 'Yes, of course.', 1.5, 'We can leave at nine.'], 'b.wav', 'en-us+f2'),
  ];
  for (let i = 0; i < bands.length; i++) {
    const fx = voices[i]!;
    takes.push({ music: await decode(bands[i]!), voice: await decode(fx.path), spans: fx.speech.map(([a, b]) => [a + AT, b + AT]) });
  }
}, 120_000);
afterAll(async () => {
  await inference.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('vocal activity over music (real instrument recordings)', () => {
  it('keeps ≥ 95 % of speech as loud as the music and calls ≤ 2 % of the music around it speech; music alone ≤ 2 %', async () => {
    // Seconds of true speech and how much of it the spans cover; of music around it and alone, and how much is called speech.
    const n = { speech: 0, kept: 0, other: 0, flagged: 0, alone: 0, aloneFlagged: 0 };
    for (const t of takes) {
      const dur = t.music.length / 16000;
      const a = await analyzePcm(t.music, { inference, expectedSec: dur });
      n.alone += dur;
      n.aloneFlagged += covered(a.speech, 0, dur);
      const gain = rms(t.music) / rms(t.voice);
      const mixed = Float32Array.from(t.music, (v, i) => v + gain * (t.voice[i - AT * 16000] ?? 0));
      const f = await analyzePcm(mixed, { inference, expectedSec: dur });
      for (const [s, e] of t.spans) {
        n.speech += e - s;
        n.kept += covered(f.speech, s, e);
      }
      // Music: everything but the true spans widened by EDGE (where a word's onset and tail are a matter of taste).
      const edges = [0, ...t.spans.flatMap(([s, e]) => [s - EDGE, e + EDGE]), dur];
      for (let k = 0; k < edges.length; k += 2) {
        n.other += edges[k + 1]! - edges[k]!;
        n.flagged += covered(f.speech, edges[k]!, edges[k + 1]!);
      }
    }
    const report = `kept ${((100 * n.kept) / n.speech).toFixed(1)} %, flagged ${((100 * n.flagged) / n.other).toFixed(1)} %, music alone ${((100 * n.aloneFlagged) / n.alone).toFixed(1)} %`;
    expect(n.kept / n.speech, report).toBeGreaterThanOrEqual(0.95);
    expect(n.flagged / n.other, report).toBeLessThanOrEqual(0.02);
    expect(n.aloneFlagged / n.alone, report).toBeLessThanOrEqual(0.02);
  }, 120_000);
});
