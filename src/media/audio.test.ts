// Real ffmpeg on short generated fixtures.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, decodeAudioStream, trimAudio, writeWav } from './audio.js';
import { probeMedia } from './probe.js';
import { bins, ffmpegGen, makeTempDir, thrown } from '../../test/support/media-testing.js';

let dir: string;
let cleanup: () => Promise<void>;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  // 1 s, 440 Hz left / 880 Hz right at 44.1 kHz.
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=f=440:d=1:sample_rate=44100', '-f', 'lavfi', '-i', 'sine=f=880:d=1:sample_rate=44100',
    '-filter_complex', '[0][1]join=inputs=2:channel_layout=stereo', '-y', f('tone.wav'));
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=f=440:d=1', '-c:a', 'libmp3lame', '-y', f('tone.mp3'));
  await fs.writeFile(f('lyrics.mp3'), 'la la la\nthis is a text file\n'.repeat(40));
  await ffmpegGen('-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-t', '0', '-y', f('empty.wav'));
  await fs.writeFile(f('zero-bytes.wav'), '');
  await ffmpegGen('-f', 'lavfi', '-i', 'testsrc=s=64x64:d=0.5', '-y', f('silent-video.mp4'));
  // An m4a cut in half loses its moov atom (written at the end without faststart).
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=d=2', '-c:a', 'aac', '-y', f('whole.m4a'));
  const whole = await fs.readFile(f('whole.m4a'));
  await fs.writeFile(f('truncated.m4a'), whole.subarray(0, whole.length >> 1));
  // 10 minutes at 8 kHz: cheap to make, 38 MB of float PCM if it were held at once.
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=f=220:d=600:sample_rate=8000', '-c:a', 'flac', '-y', f('long.flac'));
});
afterAll(() => cleanup());

function rms(x: Float32Array, start = 0, end = x.length): number {
  const [from, to] = [Math.round(start), Math.round(end)];
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (to - from));
}

/** Zero crossings per second ≈ 2 × frequency for a pure tone. */
function frequency(x: Float32Array, rate: number): number {
  let z = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1]! < 0) !== (x[i]! < 0)) z++;
  return (z / 2) * (rate / x.length);
}

describe('probe', () => {
  it('reads format, audio and video streams from ffprobe JSON', async () => {
    const a = await probeMedia(bins, f('tone.wav'));
    expect(a.audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 44100, channels: 2 });
    expect(a.audio!.durationSec).toBeCloseTo(1, 2);
    expect(a.video).toBeUndefined();
    const v = await probeMedia(bins, f('silent-video.mp4'));
    expect(v.video).toMatchObject({ codec: 'h264', width: 64, height: 64, fps: 25 });
    expect(v.audio).toBeUndefined();
  });
});

describe('decodeAudio', () => {
  it('downmixes to mono float PCM at the requested rate', async () => {
    const pcm = await decodeAudio(bins, f('tone.mp3'), { sampleRate: 16000 });
    expect(Math.abs(pcm.length - 16000)).toBeLessThan(1200); // mp3 encoder delay/padding
    expect(frequency(pcm.subarray(2000, 14000), 16000)).toBeCloseTo(440, -1);
    expect(rms(pcm, 2000, 14000)).toBeCloseTo(0.125 / Math.SQRT2, 2); // lavfi sine amplitude is 1/8
  });

  it('keeps channels interleaved and decodes a span', async () => {
    const st = await decodeAudio(bins, f('tone.wav'), { sampleRate: 16000, channels: 2, startSec: 0.25, durationSec: 0.5 });
    expect(st.length).toBe(2 * 8000);
    const left = st.filter((_, i) => i % 2 === 0);
    const right = st.filter((_, i) => i % 2 === 1);
    expect(frequency(left, 16000)).toBeCloseTo(440, -1);
    expect(frequency(right, 16000)).toBeCloseTo(880, -1);
  });

  it('fails with one line naming the file for each kind of bad input', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['missing.mp3', 'E108', /file not found/],
      ['lyrics.mp3', 'E110', /not a readable media file/],
      ['empty.wav', 'E110', /no audio samples/],
      ['zero-bytes.wav', 'E110', /invalid data|not a readable/],
      ['silent-video.mp4', 'E110', /has no audio stream/],
      ['truncated.m4a', 'E110', /truncated or corrupt/],
    ];
    for (const [name, code, msg] of cases) {
      const e = await thrown(decodeAudio(bins, f(name), { sampleRate: 16000 }));
      expect({ name, code: e.code }).toEqual({ name, code });
      expect(e.oneLine()).toMatch(msg);
      expect(e.oneLine()).toContain(name);
      expect(e.oneLine()).not.toContain('\n');
    }
  });

  it('a span past the end says so', async () => {
    expect((await thrown(decodeAudio(bins, f('tone.wav'), { sampleRate: 16000, startSec: 5 }))).oneLine()).toMatch(/no audio after 5 s/);
  });
});

describe('decodeAudioStream', () => {
  it('streams a long file in fixed-size chunks (bounded memory) and delivers every sample', async () => {
    const chunkSamples = 32768;
    const sizes = new Map<number, number>();
    let total = 0;
    let energy = 0;
    for await (const chunk of decodeAudioStream(bins, f('long.flac'), { sampleRate: 16000, chunkSamples })) {
      sizes.set(chunk.length, (sizes.get(chunk.length) ?? 0) + 1);
      total += chunk.length;
      energy += chunk.reduce((a, v) => a + v * v, 0);
    }
    expect(total).toBe(600 * 16000);
    // Every chunk is exactly chunkSamples except a single shorter tail: nothing accumulates.
    const full = sizes.get(chunkSamples)!;
    expect(full).toBe(Math.floor(total / chunkSamples));
    expect([...sizes.keys()].filter((k) => k !== chunkSamples)).toEqual([total % chunkSamples]);
    expect(Math.sqrt(energy / total)).toBeCloseTo(0.125 / Math.SQRT2, 2);
  });

  it('reuse: every full chunk is the one array, refilled with the next samples (the same samples as fresh arrays)', async () => {
    const o = { sampleRate: 16000, chunkSamples: 4096 };
    const fresh: Float32Array[] = [];
    for await (const chunk of decodeAudioStream(bins, f('long.flac'), o)) if (fresh.push(chunk) === 20) break;
    const arrays = new Set<Float32Array>();
    const copies: Float32Array[] = [];
    for await (const chunk of decodeAudioStream(bins, f('long.flac'), { ...o, reuse: true })) {
      if (chunk.length === o.chunkSamples) arrays.add(chunk);
      copies.push(chunk.slice());
      if (copies.length === fresh.length) break;
    }
    expect(arrays.size).toBe(1);
    expect(new Set(fresh).size).toBe(fresh.length);
    expect(copies.length).toBeGreaterThan(3);
    copies.forEach((c, i) => expect(c).toEqual(fresh[i]));
  });

  it('stopping early is fine, and errors surface as S2VError', async () => {
    let n = 0;
    for await (const chunk of decodeAudioStream(bins, f('long.flac'), { sampleRate: 16000, chunkSamples: 4096 })) {
      expect(chunk.length).toBe(4096);
      if (++n === 3) break;
    }
    expect(n).toBe(3);
    const consume = async (name: string) => {
      for await (const _ of decodeAudioStream(bins, f(name), { sampleRate: 16000 })) void _;
    };
    expect((await thrown(consume('silent-video.mp4'))).code).toBe('E110');
    expect((await thrown(consume('empty.wav'))).oneLine()).toMatch(/no audio samples/);
  });

  it('cancelling the signal mid-stream rejects with E121', async () => {
    const ac = new AbortController();
    const run = async () => {
      for await (const _ of decodeAudioStream(bins, f('long.flac'), { sampleRate: 16000, chunkSamples: 4096, signal: ac.signal })) {
        void _;
        ac.abort();
      }
    };
    expect((await thrown(run())).code).toBe('E121');
  });
});

describe('writeWav', () => {
  it('writes 16-bit PCM that decodes back to the same samples, atomically', async () => {
    const pcm = new Float32Array(2 * 1000);
    for (let i = 0; i < 1000; i++) {
      pcm[2 * i] = Math.sin(i / 10) * 0.5;
      pcm[2 * i + 1] = i % 2 ? 1.5 : -1.5; // clipped to ±1
    }
    await writeWav(f('out.wav'), pcm, 16000, 2);
    const head = (await fs.readFile(f('out.wav'))).subarray(0, 44);
    expect(head.toString('latin1', 0, 4)).toBe('RIFF');
    expect(head.readUInt16LE(22)).toBe(2);
    expect(head.readUInt32LE(24)).toBe(16000);
    expect(head.readUInt16LE(34)).toBe(16);
    const back = await decodeAudio(bins, f('out.wav'), { sampleRate: 16000, channels: 2 });
    expect(back.length).toBe(pcm.length);
    for (let i = 0; i < 1000; i++) {
      expect(Math.abs(back[2 * i]! - pcm[2 * i]!)).toBeLessThan(1e-4);
      expect(Math.abs(back[2 * i + 1]!)).toBeGreaterThan(0.999);
    }
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('planar channels (written in pieces) give exactly the bytes of the interleaved write', async () => {
    const frames = 600_000; // > one 1 MB piece
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    const inter = new Float32Array(2 * frames);
    for (let i = 0; i < frames; i++) {
      left[i] = Math.sin(i / 7) * 0.8;
      right[i] = i % 3 ? -1.2 : 0.25;
      inter[2 * i] = left[i]!;
      inter[2 * i + 1] = right[i]!;
    }
    await writeWav(f('inter.wav'), inter, 44100, 2);
    await writeWav(f('planar.wav'), [left, right], 44100, 2);
    expect((await fs.readFile(f('planar.wav'))).equals(await fs.readFile(f('inter.wav')))).toBe(true);
    expect((await thrown(writeWav(f('y.wav'), [left, right.subarray(1)], 44100, 2))).code).toBe('E106');
  });

  it('rejects a missing folder (E109) and ragged channel data (E106)', async () => {
    expect((await thrown(writeWav(f('no/such/dir/x.wav'), new Float32Array(4), 16000, 1))).code).toBe('E109');
    expect((await thrown(writeWav(f('x.wav'), new Float32Array(3), 16000, 2))).code).toBe('E106');
  });
});

describe('trimAudio', () => {
  it('cuts the span with fades into a WAV of the exact length', async () => {
    await trimAudio(bins, { input: f('tone.wav'), output: f('cut.wav'), startSec: 0.2, durationSec: 0.5, fadeInSec: 0.1, fadeOutSec: 0.1 });
    const p = await probeMedia(bins, f('cut.wav'));
    expect(p.audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 44100, channels: 2 });
    const pcm = await decodeAudio(bins, f('cut.wav'), { sampleRate: 44100 });
    expect(pcm.length).toBe(Math.round(0.5 * 44100));
    const ms = 441 / 10; // samples per ms
    expect(rms(pcm, 0, 2 * ms)).toBeLessThan(0.01); // fade-in starts from silence
    expect(rms(pcm, pcm.length - 2 * ms)).toBeLessThan(0.01); // fade-out ends in silence
    expect(rms(pcm, 200 * ms, 300 * ms)).toBeGreaterThan(0.05); // untouched middle
  });

  it('start past the end, bad input and missing input fail without leaving files', async () => {
    expect((await thrown(trimAudio(bins, { input: f('tone.wav'), output: f('late.wav'), startSec: 3, durationSec: 1 }))).oneLine()).toMatch(/past the end/);
    expect((await thrown(trimAudio(bins, { input: f('lyrics.mp3'), output: f('bad.wav'), startSec: 0, durationSec: 1 }))).code).toBe('E110');
    expect((await thrown(trimAudio(bins, { input: f('nope.wav'), output: f('bad.wav'), startSec: 0, durationSec: 1 }))).code).toBe('E108');
    const names = await fs.readdir(dir);
    expect(names.filter((n) => n === 'late.wav' || n === 'bad.wav' || n.endsWith('.partial'))).toEqual([]);
  });
});
