// Pure argument-builder tests: no ffmpeg runs here.
import { describe, expect, it } from 'vitest';
import {
  ALPHA_ON_BLACK,
  chooseLowres,
  compareArgs,
  pixelFormatHasAlpha,
  decodeAudioArgs,
  decodeImageArgs,
  encodeOnlyArgs,
  encodeVideoArgs,
  escapeFilterValue,
  H264,
  orientationFilters,
  placeImage,
  previewSize,
  sec,
  trimAudioArgs,
} from './args.js';

/** Value following `flag` (first occurrence from `from`). */
function after(args: string[], flag: string, from = 0): string | undefined {
  const i = args.indexOf(flag, from);
  return i < 0 ? undefined : args[i + 1];
}

/** Every `-map` value, in order. */
/** Each flag is followed by its value (first occurrence): a builder's options read as a table. */
function expectFlags(args: string[], flags: Record<string, string>): void {
  for (const [flag, value] of Object.entries(flags)) expect(after(args, flag), flag).toBe(value);
}

function maps(args: string[]): string[] {
  return args.flatMap((a, i) => (a === '-map' ? [args[i + 1]!] : []));
}

describe('sec', () => {
  it('formats seconds without exponents and trailing zeros', () => {
    expect(sec(1.5)).toBe('1.5');
    expect(sec(2)).toBe('2');
    expect(sec(1e-7)).toBe('0');
    expect(sec(100 / 3)).toBe('33.333333');
  });
});

describe('decodeAudioArgs', () => {
  it('seeks before the input, limits after it, and emits mono f32le on stdout by default', () => {
    const a = decodeAudioArgs({ input: '/a/song.mp3', sampleRate: 22050, startSec: 1.25, durationSec: 3 });
    expect(a.indexOf('-ss')).toBeLessThan(a.indexOf('-i'));
    expect(a.indexOf('-t')).toBeGreaterThan(a.indexOf('-i'));
    expectFlags(a, { '-ss': '1.25', '-t': '3', '-ac': '1', '-ar': '22050', '-f': 'f32le', '-map': '0:a:0' });
    expect(a.at(-1)).toBe('pipe:1');
  });
  it('omits -ss/-t for a whole-file decode and keeps the channel count asked for', () => {
    const a = decodeAudioArgs({ input: 'x.wav', sampleRate: 48000, channels: 2 });
    expect(a).not.toContain('-ss');
    expect(a).not.toContain('-t');
    expect(after(a, '-ac')).toBe('2');
  });
});

describe('trimAudioArgs', () => {
  it('fade-out ends exactly at the cut; fades are clamped to the span', () => {
    const a = trimAudioArgs({ input: 'in.mp3', output: 'o.wav', startSec: 10, durationSec: 4, fadeInSec: 0.5, fadeOutSec: 1 });
    expectFlags(a, { '-af': 'asetpts=PTS-STARTPTS,afade=t=in:st=0:d=0.5,afade=t=out:st=3:d=1', '-c:a': 'pcm_s16le', '-f': 'wav' });
    expect(a.at(-1)).toBe('o.wav');
    const b = trimAudioArgs({ input: 'in.mp3', output: 'o.wav', startSec: 0, durationSec: 0.5, fadeOutSec: 2 });
    expect(after(b, '-af')).toContain('afade=t=out:st=0:d=0.5');
    expect(b).not.toContain('-ss');
  });
  it('seeks to exactly startSec before the input and keeps exactly durationSec of the first audio stream', () => {
    const a = trimAudioArgs({ input: 'in.mp3', output: 'o.wav', startSec: 10.25, durationSec: 4 });
    expect(after(a, '-ss')).toBe('10.25');
    expect(a.indexOf('-ss')).toBeLessThan(a.indexOf('-i'));
    expect(after(a, '-i')).toBe('in.mp3');
    expect(after(a, '-t')).toBe('4');
    expect(a.indexOf('-t')).toBeGreaterThan(a.indexOf('-i'));
    expect(maps(a)).toEqual(['0:a:0']);
  });
  it('no fades → no audio filter', () => {
    expect(trimAudioArgs({ input: 'i', output: 'o', startSec: 1, durationSec: 2 })).not.toContain('-af');
  });
});

describe('placeImage', () => {
  it('fit/letterbox: a wide image gets bars top and bottom, centred', () => {
    expect(placeImage(1920, 1080, 512, 512, 'letterbox')).toEqual({ scaleWidth: 512, scaleHeight: 288, mode: 'pad', x: 0, y: 112 });
    expect(placeImage(1920, 1080, 512, 512, 'fit')).toEqual(placeImage(1920, 1080, 512, 512, 'letterbox'));
  });
  it('fill: covers the box and crops the centre', () => {
    expect(placeImage(1920, 1080, 512, 512, 'fill')).toEqual({ scaleWidth: 910, scaleHeight: 512, mode: 'crop', x: 199, y: 0 });
  });
  it('never rounds a fill below the box or a fit above it (odd sizes)', () => {
    for (const [w, h] of [[333, 777], [7, 3], [8000, 8000], [16, 16], [1001, 999]] as const) {
      for (const [W, H] of [[513, 511], [2, 2], [1280, 720]] as const) {
        const fill = placeImage(w, h, W, H, 'fill');
        expect(fill.scaleWidth).toBeGreaterThanOrEqual(W);
        expect(fill.scaleHeight).toBeGreaterThanOrEqual(H);
        expect(fill.x + W).toBeLessThanOrEqual(fill.scaleWidth);
        const fit = placeImage(w, h, W, H, 'fit');
        expect(fit.scaleWidth).toBeLessThanOrEqual(W);
        expect(fit.scaleHeight).toBeLessThanOrEqual(H);
        expect(fit.x + fit.scaleWidth).toBeLessThanOrEqual(W);
      }
    }
  });
});

describe('decodeImageArgs', () => {
  it('orientation 6 scales the stored (portrait-on-disk) axes, then rotates clockwise, then pads', () => {
    // Stored 400×300 with orientation 6 displays as 300×400; into 600×400 it becomes 300×400 centred.
    const a = decodeImageArgs({ input: 'p.jpg', storedWidth: 400, storedHeight: 300, orientation: 6, width: 600, height: 400, fit: 'fit' });
    const vf = after(a, '-vf')!;
    expect(vf).toBe('scale=400:300:flags=lanczos+accurate_rnd+full_chroma_int,transpose=clock,pad=600:400:150:0:color=black,setsar=1,format=rgb24');
    expect(a.indexOf('-noautorotate')).toBeLessThan(a.indexOf('-i'));
    expect(after(a, '-frames:v')).toBe('1');
    expect(after(a, '-pix_fmt')).toBe('rgb24');
  });
  it('composites alpha only for formats that have it, and passes lowres before the input', () => {
    const a = decodeImageArgs({ input: 'a.png', storedWidth: 8, storedHeight: 8, orientation: 1, width: 8, height: 8, fit: 'fit', hasAlpha: true, lowres: 2 });
    expect(after(a, '-vf')!.startsWith(`${ALPHA_ON_BLACK},scale=`)).toBe(true);
    expect(after(a, '-lowres')).toBe('2');
    expect(a.indexOf('-lowres')).toBeLessThan(a.indexOf('-i'));
    expect(pixelFormatHasAlpha('rgba')).toBe(true);
    expect(pixelFormatHasAlpha('ya8')).toBe(true);
    expect(pixelFormatHasAlpha('yuvj420p')).toBe(false);
    expect(pixelFormatHasAlpha('gray')).toBe(false);
  });
  it('chooseLowres: largest JPEG reduction that still covers the scaled size', () => {
    expect(chooseLowres('mjpeg', 8000, 8000, 64, 64)).toBe(3);
    expect(chooseLowres('mjpeg', 4000, 3000, 1024, 768)).toBe(1);
    expect(chooseLowres('mjpeg', 4000, 3000, 1600, 1600)).toBe(0);
    expect(chooseLowres('png', 8000, 8000, 64, 64)).toBe(0);
  });
  it('fill crops after scaling', () => {
    const vf = after(decodeImageArgs({ input: 'x.png', storedWidth: 200, storedHeight: 100, orientation: 1, width: 50, height: 50, fit: 'fill' }), '-vf')!;
    expect(vf).toContain('scale=100:50');
    expect(vf).toContain('crop=50:50:25:0');
    expect(vf).not.toContain('transpose');
  });
  it('maps all eight EXIF orientations', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((o) => orientationFilters(o).join(','))).toEqual([
      '', 'hflip', 'hflip,vflip', 'vflip', 'transpose=cclock_flip', 'transpose=clock', 'transpose=clock_flip', 'transpose=cclock',
    ]);
  });
});

describe('encodeVideoArgs', () => {
  const base = { width: 640, height: 360, fps: 24, frames: 48, output: '/out/.v.partial' };

  it('reads rgb24 frames from stdin and writes faststart H.264 yuv420p, exact frame count', () => {
    const a = encodeVideoArgs(base);
    expectFlags(a, { '-f': 'rawvideo', '-pix_fmt': 'rgb24', '-video_size': '640x360', '-framerate': '24', '-i': 'pipe:0', '-c:v': 'libx264', '-preset': 'veryfast' });
    expect(after(a, '-pix_fmt', a.indexOf('-c:v'))).toBe('yuv420p');
    expect(after(a, '-movflags')).toBe('+faststart');
    // The frame count is enforced by the writer; a -frames:v cap would cut the audio tail.
    expect(a).not.toContain('-frames:v');
    expect(a).not.toContain('-c:a');
    expect(a.at(-1)).toBe('/out/.v.partial');
    expect(maps(a)).toEqual(['[v0]']);
  });

  it('audio starts at audioStartSec and is padded/cut to exactly frames/fps', () => {
    const a = encodeVideoArgs({ ...base, audioPath: '/a/song.wav', audioStartSec: 12.5 });
    const second = a.indexOf('-i', a.indexOf('pipe:0'));
    expect(a[second + 1]).toBe('/a/song.wav');
    expect(a[second - 2]).toBe('-ss');
    expect(a[second - 1]).toBe('12.5');
    const graph = after(a, '-filter_complex')!;
    expect(graph).toContain('[1:a]asetpts=PTS-STARTPTS,aresample=48000,apad=whole_len=96000,atrim=duration=2[a0]');
    expect(after(a, '-c:a')).toBe('aac');
    expect(maps(a)).toEqual(['[v0]', '[a0]']);
    expect(graph).toContain('[1:a]');
  });

  it('adds a VP9/Opus WebM preview at most 360 px wide from the same pass', () => {
    const a = encodeVideoArgs({ ...base, width: 1280, height: 720, audioPath: 'a.wav', previewOutput: '/out/.p.partial' });
    const graph = after(a, '-filter_complex')!;
    expect(graph).toContain('split=2[v0][vp]');
    expect(graph).toContain('[vp]scale=360:202');
    expect(graph).toContain('asplit=2[a0][a1]');
    const webm = a.indexOf('webm');
    expect(webm).toBeGreaterThan(a.indexOf('mp4'));
    expect(a.slice(a.indexOf('mp4'))).toContain('libvpx-vp9');
    expect(a.slice(a.indexOf('mp4'))).toContain('libopus');
    expect(a.at(-1)).toBe('/out/.p.partial');
    // The mp4 gets the full-size video and the first audio copy; the preview the scaled pair.
    const mp4 = a.slice(0, a.indexOf('mp4'));
    const preview = a.slice(a.indexOf('mp4'));
    expect(maps(mp4)).toEqual(['[v0]', '[a0]']);
    expect(maps(preview)).toEqual(['[v1]', '[a1]']);
  });

  it('the bench baseline uses the very same H.264 settings with a lavfi source', () => {
    const a = encodeOnlyArgs({ width: 512, height: 512, fps: 24, frames: 10, output: 'o.mp4' });
    expect(after(a, '-f')).toBe('lavfi');
    expect(a.join(' ')).toContain(H264.join(' '));
    expect(encodeVideoArgs(base).join(' ')).toContain(H264.join(' '));
    expect(after(a, '-frames:v')).toBe('10');
  });
});

describe('previewSize', () => {
  it('keeps small videos, shrinks wide ones to 360 with even height', () => {
    expect(previewSize(320, 240)).toEqual({ width: 320, height: 240 });
    expect(previewSize(512, 512)).toEqual({ width: 360, height: 360 });
    expect(previewSize(1920, 1080)).toEqual({ width: 360, height: 202 });
    expect(previewSize(1000, 333).height % 2).toBe(0);
  });
});

describe('escapeFilterValue', () => {
  it('escapes for both the option and the graph parser', () => {
    expect(escapeFilterValue('/a/b.ttf')).toBe('/a/b.ttf');
    // C:\x → option level C\:\\x → graph level doubles every backslash.
    expect(escapeFilterValue('C:\\x')).toBe('C\\\\:\\\\\\\\x');
    expect(escapeFilterValue('a,b')).toBe('a\\,b');
    expect(escapeFilterValue("it's")).toBe("it\\\\\\'s");
  });
});

describe('compareArgs', () => {
  const cell = (p: string, w: number) => ({ path: p, scaleWidth: w, scaleHeight: 360, cellWidth: w, cellHeight: 360, labelFile: `/tmp/${p}.txt` });

  it('row: one input per video, hstack, labels via textfile, audio from the first input', () => {
    const a = compareArgs({
      cells: [cell('a.mp4', 640), cell('b.mp4', 480)],
      layout: 'row', fps: 24, durationSec: 2, fontFile: '/f.ttf', audioFromFirst: true, output: 'o', totalWidth: 1120, totalHeight: 360,
    });
    expect(a.filter((x) => x === '-i')).toHaveLength(2);
    const g = after(a, '-filter_complex')!;
    expect(g).toContain('[c0][c1]hstack=inputs=2:shortest=1');
    expect(g).toContain('drawtext=fontfile=/f.ttf:textfile=/tmp/a.mp4.txt:expansion=none');
    expect(g).toContain('[0:a:0]');
    expect(after(a, '-t')).toBe('2');
    expect(maps(a)).toEqual(['[v0]', '[a0]']);
  });

  it('grid of 3 fills the fourth xstack cell from a black source (no xstack fill in ffmpeg 4.1); a separate audio file is the last input', () => {
    const c = { path: 'x', scaleWidth: 300, scaleHeight: 200, cellWidth: 320, cellHeight: 200 };
    const a = compareArgs({
      cells: [c, c, c], layout: 'grid', fps: 30, durationSec: 1, audioPath: 'music.wav', output: 'o', previewOutput: 'p', totalWidth: 640, totalHeight: 400,
    });
    const g = after(a, '-filter_complex')!;
    expect(g).toContain('color=c=black:s=320x200:r=30,setsar=1[c3]');
    expect(g).toContain('[c0][c1][c2][c3]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0:shortest=1');
    expect(g).not.toContain('fill=');
    expect(g).toContain('pad=320:200:10:0');
    expect(g).toContain('[3:a:0]');
    expect(g).not.toContain('drawtext');
    expect(a.filter((x) => x === '-i')).toHaveLength(4);
    expect(a).toContain('webm');
    expect(maps(a)).toEqual(['[v0]', '[a0]', '[v1]', '[a1]']);
    expect(after(a, '-i', a.lastIndexOf('-i'))).toBe('music.wav');
  });
});
