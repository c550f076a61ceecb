import { describe, expect, it } from 'vitest';
import { collectChecks, doctorCommand, formatChecks, type Check } from './doctor.js';
import { FFMPEG, FFPROBE } from '../../test/support/ffmpeg.js';
import systemTools from './system-tools.json' with { type: 'json' };

describe('s2v doctor', () => {
  it('reports the ffmpeg/ffprobe the app uses with their versions, onnxruntime providers, NW.js, speech and every test tool', async () => {
    const checks = await collectChecks();
    const by = (n: string) => checks.find((c) => c.name === n)!;
    expect(by('ffmpeg')).toMatchObject({ found: true, path: FFMPEG, essential: true });
    expect(by('ffprobe')).toMatchObject({ found: true, path: FFPROBE });
    expect(by('ffmpeg').version).toMatch(/\d/);
    expect(by('onnxruntime')).toMatchObject({ found: true, version: expect.stringMatching(/^\d+\.\d+/) });
    expect(by('onnxruntime').detail).toMatch(/execution providers: cpu.*using cpu/);
    const nw = by('NW.js');
    if (!nw.found) expect(nw.disables).toMatch(/npm start/);
    // npm test's pretest makes sure espeak-ng is there on Linux; macOS has `say`.
    expect(by('speech (TTS)')).toMatchObject({ found: true, path: expect.stringMatching(process.platform === 'darwin' ? /say$/ : /espeak-ng$/) });
    expect(by('speech (TTS)').version).toMatch(/\d/);
    expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(systemTools.tools.map((t) => t.name)));
  });

  it('prints one line per check and exits 0 when a render can run', async () => {
    let out = '';
    const code = await doctorCommand([], { stdout: (s) => (out += s), stderr: () => {}, isTTY: false });
    expect(code).toBe(0);
    expect(out.trim().split('\n').at(-1)).toBe('ready to render');
    expect(out).toMatch(/^ffmpeg +ok/m);
  });

  it('a missing essential says what it turns off and that rendering is not possible', () => {
    const checks: Check[] = [
      { name: 'ffmpeg', found: false, essential: true, disables: 'every render (decoding audio and images, encoding video)' },
      { name: 'NW.js', found: false, disables: '`npm start` (the desktop window)' },
    ];
    const text = formatChecks(checks);
    expect(text).toMatch(/^ffmpeg +MISSING.*without it: every render/m);
    expect(text).toMatch(/^NW\.js +MISSING.*without it: `npm start`/m);
    expect(text.trim().split('\n').at(-1)).toBe('not ready to render: ffmpeg missing');
  });
});
