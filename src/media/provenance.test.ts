/** Provenance tags: the pure argument builders (no ffmpeg run here). */
import { describe, expect, it } from 'vitest';
import { MAX_TAG_BYTES, compareArgs, encodeVideoArgs, metadataArgs } from './args.js';
import { formatTagsArgs, retagArgs, thumbnailArgs } from './provenance.js';
import { assembleArgs } from './assemble.js';

describe('provenance argument builders', () => {
  it('metadataArgs passes key=value pairs and refuses odd keys or values past the argv limit', () => {
    expect(metadataArgs({ comment: 'S2V1 {"a":1}' })).toEqual(['-metadata', 'comment=S2V1 {"a":1}']);
    expect(metadataArgs(undefined)).toEqual([]);
    expect(() => metadataArgs({ 'com ment': 'x' })).toThrow(/metadata key "com ment" is not a plain lower-case name/);
    expect(() => metadataArgs({ comment: 'x'.repeat(MAX_TAG_BYTES + 1) })).toThrow(/more than 122880/);
  });

  it('the mp4 encode, the comparison and the remote-segment assembly put the tag among the mp4 output options (not the WebM preview)', () => {
    const enc = encodeVideoArgs({ width: 64, height: 64, fps: 24, frames: 24, output: '/t/v.mp4', previewOutput: '/t/p.webm', metadata: { comment: 'S2V1 x' } });
    const at = enc.indexOf('-metadata');
    expect(enc[at + 1]).toBe('comment=S2V1 x');
    expect(at).toBeLessThan(enc.indexOf('/t/v.mp4'));
    expect(enc.lastIndexOf('-metadata')).toBe(at);
    const cmp = compareArgs({
      cells: [0, 1].map((i) => ({ path: `/v${i}.mp4`, scaleWidth: 64, scaleHeight: 64, cellWidth: 64, cellHeight: 64 })),
      layout: 'row', fps: 24, durationSec: 1, output: '/t/c.mp4', totalWidth: 128, totalHeight: 64, metadata: { comment: 'S2V1 y' },
    });
    expect(cmp[cmp.indexOf('-metadata') + 1]).toBe('comment=S2V1 y');
    expect(cmp.indexOf('-metadata')).toBeLessThan(cmp.indexOf('/t/c.mp4'));
    const asm = assembleArgs({
      segments: [{ path: '/s.mp4', startFrame: 0 }], sourceFps: 16, width: 64, height: 64, fps: 24, frames: 24, fit: 'fill',
      audioPath: '/a.wav', output: '/t/r.mp4', previewOutput: '/t/r.webm', metadata: { comment: 'S2V1 r' },
    });
    expect(asm[asm.indexOf('-metadata') + 1]).toBe('comment=S2V1 r');
    expect(asm.indexOf('-metadata')).toBeLessThan(asm.indexOf('/t/r.mp4'));
    expect(asm.lastIndexOf('-metadata')).toBe(asm.indexOf('-metadata'));
  });

  it('retagging copies every stream unchanged and keeps the source tags', () => {
    const a = retagArgs({ input: '/in.mp4', output: '/out.tmp', metadata: { comment: 'S2V1 z' } });
    expect(a.slice(a.indexOf('-i'), a.indexOf('-i') + 2)).toEqual(['-i', '/in.mp4']);
    expect(a.join(' ')).toContain('-map 0 -c copy -map_metadata 0 -metadata comment=S2V1 z');
    expect(a.slice(-4)).toEqual(['-f', 'mp4', '-y', '/out.tmp']);
  });

  it('thumbnails: one frame at the time asked, scaled to the width, PNG or JPEG', () => {
    const png = thumbnailArgs({ input: '/v.mp4', output: '/t.png', atSec: 1.5, width: 320 });
    expect(png.join(' ')).toContain('-ss 1.5 -i /v.mp4 -frames:v 1 -vf scale=320:-2:flags=bicubic -f image2 -c:v png');
    const jpg = thumbnailArgs({ input: '/v.mp4', output: '/t.jpg', atSec: 2, width: 240, jpeg: true });
    expect(jpg.join(' ')).toContain('-c:v mjpeg -q:v 4');
    expect(formatTagsArgs('/v.mp4')).toEqual(['-v', 'error', '-print_format', 'json', '-show_entries', 'format_tags', '/v.mp4']);
  });
});
