import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhonemeSpeech, type PhonemeSpeech } from '../../test/fixtures/audio/phonemes.js';
import { analyzeCommand } from './analyze.js';

let dir: string;
let speech: PhonemeSpeech;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 's2v-analyze-visemes-'));
  speech = makePhonemeSpeech(dir, 'Papa made a map. Mama bought the apple pie.');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('s2v analyze visemes', () => {
  it('s2v analyze --json reports a viseme distribution, the dominant viseme and the jaw opening per frame', async () => {
    let out = '';
    const code = await analyzeCommand([speech.path, '--json', '--fps', '24'], { stdout: (s) => (out += s), stderr: () => undefined });
    expect(code).toBe(0);
    const json = JSON.parse(out) as { fps: number; curves: { rms: number[] }; visemes: { names: string[]; dominant: string[]; weights: number[][]; jaw: number[] } };
    expect(json.visemes.names).toContain('PP');
    expect(json.visemes.dominant.length).toBe(json.curves.rms.length);
    expect(json.visemes.weights[0]!.length).toBe(15);
    expect(json.visemes.dominant.filter((v) => v === 'PP').length).toBeGreaterThan(2);
    expect(Math.max(...json.visemes.jaw)).toBeGreaterThan(0.4);
  }, 60_000);
});
