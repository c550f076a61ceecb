// The exact ffmpeg/ffprobe command lines, flag by flag, and the edge cases of the
// placement arithmetic. args.test.ts checks what each flag means; here every flag is
// pinned, so a changed encoder setting, a lost `-nostdin` or a typo in a filter is a
// deliberate, reviewed change rather than a silent one (these strings reach ffmpeg 4.1
// and 5.x alike; the real-ffmpeg tests in this folder run them).
import { describe, expect, it } from 'vitest';
import {
  AAC, H264, OPUS, QUIET, RGB_TO_YUV, VP9_PREVIEW, ALPHA_ON_BLACK,
  chooseLowres, compareArgs, decodeAudioArgs, decodeImageArgs, encodeVideoArgs, even, gridLayout, orientationSwapsAxes,
  pixelFormatHasAlpha, placeImage, previewSize, probeArgs, trimAudioArgs,
} from './args.js';

describe('shared flag sets', () => {
  it('quiet, H.264, AAC, VP9 preview, Opus and the RGB→BT.709 conversion', () => {
    expect([...QUIET]).toEqual(['-hide_banner', '-nostdin', '-loglevel', 'error']);
    expect([...H264]).toEqual(['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv']);
    expect([...AAC]).toEqual(['-c:a', 'aac', '-b:a', '192k']);
    expect([...VP9_PREVIEW]).toEqual(['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-threads', '2', '-tile-columns', '1', '-crf', '34', '-b:v', '0', '-pix_fmt', 'yuv420p']);
    expect([...OPUS]).toEqual(['-c:a', 'libopus', '-b:a', '96k']);
    expect(RGB_TO_YUV).toBe('scale=out_color_matrix=bt709:out_range=tv,format=yuv420p');
  });
});

describe('probe and decode command lines', () => {
  it('probeArgs: JSON format and streams, frame counting on request', () => {
    expect(probeArgs('/a b.mp4')).toEqual(['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '/a b.mp4']);
    expect(probeArgs('x', { countFrames: true })).toEqual(['-v', 'error', '-count_frames', '-print_format', 'json', '-show_format', '-show_streams', 'x']);
  });

  it('decodeAudioArgs: the whole line', () => {
    expect(decodeAudioArgs({ input: 'in.mp3', sampleRate: 16000, startSec: 2, durationSec: 1.5, channels: 2 })).toEqual([
      ...QUIET, '-ss', '2', '-i', 'in.mp3', '-t', '1.5', '-map', '0:a:0', '-vn', '-sn', '-dn', '-ac', '2', '-ar', '16000',
      '-f', 'f32le', '-c:a', 'pcm_f32le', '-flush_packets', '0', 'pipe:1',
    ]);
    // A start of 0 is no seek at all.
    expect(decodeAudioArgs({ input: 'in.mp3', sampleRate: 8000, startSec: 0 })).not.toContain('-ss');
  });

  it('trimAudioArgs: the whole line, with and without fades; zero fades add no filter', () => {
    expect(trimAudioArgs({ input: 'in.wav', output: 'out.wav', startSec: 1.5, durationSec: 2, fadeInSec: 0.25, fadeOutSec: 0.5 })).toEqual([
      ...QUIET, '-ss', '1.5', '-i', 'in.wav', '-t', '2', '-map', '0:a:0', '-vn', '-sn', '-dn',
      '-af', 'asetpts=PTS-STARTPTS,afade=t=in:st=0:d=0.25,afade=t=out:st=1.5:d=0.5',
      '-map_metadata', '-1', '-fflags', '+bitexact', '-c:a', 'pcm_s16le', '-f', 'wav', '-y', 'out.wav',
    ]);
    expect(trimAudioArgs({ input: 'i', output: 'o', startSec: 0, durationSec: 1, fadeInSec: 0, fadeOutSec: 0 })).toEqual([
      ...QUIET, '-i', 'i', '-t', '1', '-map', '0:a:0', '-vn', '-sn', '-dn', '-map_metadata', '-1', '-fflags', '+bitexact', '-c:a', 'pcm_s16le', '-f', 'wav', '-y', 'o',
    ]);
    expect(trimAudioArgs({ input: 'i', output: 'o', startSec: 0, durationSec: 1, fadeInSec: 3 })).toContain('asetpts=PTS-STARTPTS,afade=t=in:st=0:d=1');
  });

  it('decodeImageArgs: the whole line for a rotated JPEG at reduced size, and for an image with alpha', () => {
    expect(decodeImageArgs({ input: 'p.jpg', storedWidth: 800, storedHeight: 600, orientation: 6, width: 300, height: 400, fit: 'fill', lowres: 1 })).toEqual([
      ...QUIET, '-lowres', '1', '-noautorotate', '-i', 'p.jpg', '-map', '0:v:0', '-frames:v', '1',
      // Shown 600×800 covers 300×400 at half size: scaled in stored axes (400×300), then turned.
      '-vf', 'scale=400:300:flags=lanczos+accurate_rnd+full_chroma_int,transpose=clock,crop=300:400:0:0,setsar=1,format=rgb24',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ]);
    expect(decodeImageArgs({ input: 'a.png', storedWidth: 100, storedHeight: 50, orientation: 1, width: 64, height: 64, fit: 'fit', hasAlpha: true })).toEqual([
      ...QUIET, '-noautorotate', '-i', 'a.png', '-map', '0:v:0', '-frames:v', '1',
      '-vf', `${ALPHA_ON_BLACK},scale=64:32:flags=lanczos+accurate_rnd+full_chroma_int,pad=64:64:0:16:color=black,setsar=1,format=rgb24`,
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    ]);
  });
});

describe('encode and compare command lines', () => {
  it('encodeVideoArgs: the whole line with audio from an offset and a preview', () => {
    expect(encodeVideoArgs({ width: 640, height: 360, fps: 25, frames: 50, output: 'v.partial', audioPath: 's.wav', audioStartSec: 3, previewOutput: 'p.partial' })).toEqual([
      ...QUIET,
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', '640x360', '-framerate', '25', '-i', 'pipe:0',
      '-ss', '3', '-i', 's.wav',
      '-filter_complex',
      `[0:v]${RGB_TO_YUV},split=2[v0][vp];[vp]scale=360:202:flags=bicubic[v1];[1:a]asetpts=PTS-STARTPTS,aresample=48000,apad=whole_len=96000,atrim=duration=2,asplit=2[a0][a1]`,
      '-map', '[v0]', '-map', '[a0]', ...H264, ...AAC, '-movflags', '+faststart', '-f', 'mp4', '-y', 'v.partial',
      '-map', '[v1]', '-map', '[a1]', ...VP9_PREVIEW, ...OPUS, '-f', 'webm', '-y', 'p.partial',
    ]);
  });

  it('encodeVideoArgs: silent video without a preview has no audio flags at all', () => {
    expect(encodeVideoArgs({ width: 64, height: 64, fps: 10, frames: 5, output: 'o' })).toEqual([
      ...QUIET, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', '64x64', '-framerate', '10', '-i', 'pipe:0',
      '-filter_complex', `[0:v]${RGB_TO_YUV}[v0]`, '-map', '[v0]', ...H264, '-movflags', '+faststart', '-f', 'mp4', '-y', 'o',
    ]);
  });

  it('compareArgs: the whole line for a labelled row with the first input’s audio', () => {
    const a = compareArgs({
      cells: [
        { path: 'a.mp4', scaleWidth: 120, scaleHeight: 90, cellWidth: 120, cellHeight: 90, labelFile: '/t/a.txt' },
        { path: 'b.mp4', scaleWidth: 150, scaleHeight: 80, cellWidth: 160, cellHeight: 90, labelFile: '/t/b.txt' },
      ],
      layout: 'row', fps: 24, durationSec: 1.5, fontFile: '/f/D.ttf', audioFromFirst: true, output: 'o.mp4', totalWidth: 280, totalHeight: 90,
    });
    const label = (file: string) => `drawtext=fontfile=/f/D.ttf:textfile=${file}:expansion=none:x=6:y=6:fontsize=12:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=3`;
    expect(a).toEqual([
      ...QUIET, '-i', 'a.mp4', '-i', 'b.mp4',
      '-filter_complex', [
        `[0:v]setpts=PTS-STARTPTS,fps=24,scale=120:90:flags=bicubic,setsar=1,${label('/t/a.txt')}[c0]`,
        `[1:v]setpts=PTS-STARTPTS,fps=24,scale=150:80:flags=bicubic,setsar=1,pad=160:90:5:5:color=black,${label('/t/b.txt')}[c1]`,
        `[c0][c1]hstack=inputs=2:shortest=1,${RGB_TO_YUV}[v0]`,
        '[0:a:0]asetpts=PTS-STARTPTS,aresample=48000,apad=whole_len=72000,atrim=duration=1.5[a0]',
      ].join(';'),
      '-map', '[v0]', '-map', '[a0]', ...H264, ...AAC, '-t', '1.5', '-movflags', '+faststart', '-f', 'mp4', '-y', 'o.mp4',
    ]);
  });

  it('compareArgs: a silent 2×2 grid of four with a preview; two cells in "grid" stay a row', () => {
    const c = (p: string) => ({ path: p, scaleWidth: 640, scaleHeight: 360, cellWidth: 640, cellHeight: 360 });
    const a = compareArgs({ cells: ['1', '2', '3', '4'].map(c), layout: 'grid', fps: 30, durationSec: 2, output: 'o', previewOutput: 'p', totalWidth: 1280, totalHeight: 720 });
    const g = a[a.indexOf('-filter_complex') + 1]!;
    // Four cells fill the grid: no black fill (three leave one empty; see args.test.ts).
    expect(g.split(';').slice(4)).toEqual([`[c0][c1][c2][c3]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0:shortest=1,${RGB_TO_YUV},split=2[v0][vp]`, '[vp]scale=360:202:flags=bicubic[v1]']);
    expect(a.slice(a.indexOf('-map'))).toEqual(['-map', '[v0]', ...H264, '-t', '2', '-movflags', '+faststart', '-f', 'mp4', '-y', 'o', '-map', '[v1]', ...VP9_PREVIEW, '-t', '2', '-f', 'webm', '-y', 'p']);
    const two = compareArgs({ cells: ['1', '2'].map(c), layout: 'grid', fps: 30, durationSec: 2, output: 'o', totalWidth: 1280, totalHeight: 360 });
    expect(two[two.indexOf('-filter_complex') + 1]).toContain('[c0][c1]hstack=inputs=2:shortest=1');
    // Labels need both a font and a label file.
    const noFont = compareArgs({ cells: [{ ...c('1'), labelFile: '/l' }, c('2')], layout: 'row', fps: 30, durationSec: 2, output: 'o', totalWidth: 1280, totalHeight: 360 });
    expect(noFont.join(' ')).not.toContain('drawtext');
    expect(gridLayout(3)).toBe('0_0|w0_0|0_h0');
  });
});

describe('placement arithmetic', () => {
  it('placeImage fill on a tall source crops top and bottom equally; fit of a tall source pads left and right', () => {
    expect(placeImage(100, 300, 64, 64, 'fill')).toEqual({ scaleWidth: 64, scaleHeight: 192, mode: 'crop', x: 0, y: 64 });
    expect(placeImage(100, 300, 64, 64, 'fit')).toEqual({ scaleWidth: 21, scaleHeight: 64, mode: 'pad', x: 21, y: 0 });
    expect(placeImage(300, 100, 90, 90, 'letterbox')).toEqual({ scaleWidth: 90, scaleHeight: 30, mode: 'pad', x: 0, y: 30 });
    expect(placeImage(3000, 2, 64, 64, 'fit')).toEqual({ scaleWidth: 64, scaleHeight: 1, mode: 'pad', x: 0, y: 31 });
  });

  it('orientationSwapsAxes only for 5–8', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 0].map(orientationSwapsAxes)).toEqual([false, false, false, false, true, true, true, true, false, false]);
  });

  it('pixelFormatHasAlpha: formats starting with an alpha layout only', () => {
    for (const f of ['rgba', 'bgra', 'argb', 'abgr', 'ya8', 'yuva420p', 'gbrap', 'pal8', 'rgba64le']) expect(pixelFormatHasAlpha(f), f).toBe(true);
    for (const f of ['rgb24', 'yuv420p', 'gray', 'gbrp', 'xrgba', undefined, '']) expect(pixelFormatHasAlpha(f), String(f)).toBe(false);
  });

  it('chooseLowres: only for mjpeg, never below the scaled size on either axis, at most 1/8', () => {
    expect(chooseLowres('png', 4000, 4000, 100, 100)).toBe(0);
    expect(chooseLowres('mjpeg', 4000, 4000, 100, 100)).toBe(3);
    expect(chooseLowres('mjpeg', 800, 600, 400, 300)).toBe(1);
    expect(chooseLowres('mjpeg', 800, 600, 401, 300)).toBe(0);
    expect(chooseLowres('mjpeg', 800, 600, 400, 301)).toBe(0);
    expect(chooseLowres('mjpeg', 1600, 1200, 400, 300)).toBe(2);
    expect(chooseLowres('mjpeg', 1600, 600, 400, 300)).toBe(1);
  });

  it('previewSize keeps exactly 360 wide; even() rounds to the nearest even number, at least 2', () => {
    expect(previewSize(360, 203)).toEqual({ width: 360, height: 204 });
    expect(previewSize(361, 200)).toEqual({ width: 360, height: 200 });
    expect([even(0), even(1), even(2.9), even(3), even(5.2)]).toEqual([2, 2, 2, 4, 6]);
  });
});
