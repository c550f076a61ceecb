import { describe, expect, it } from 'vitest';
import { S2VError } from '../engine/index.js';
import { locateFfmpeg, realLocateDeps, type LocateDeps } from './locate.js';

/** A fake machine: a set of executable files, installed packages and an environment. */
function fake(opts: { files?: string[]; packages?: Record<string, unknown>; env?: Record<string, string> }): LocateDeps & { loaded: string[] } {
  const files = new Set(opts.files ?? []);
  const loaded: string[] = [];
  return {
    env: { PATH: '/usr/local/bin:/usr/bin', ...opts.env },
    loadPackage(name) {
      loaded.push(name);
      return opts.packages?.[name];
    },
    isExecutable: (p) => files.has(p),
    platform: 'linux',
    loaded,
  };
}

describe('locateFfmpeg', () => {
  it('prefers FFMPEG_PATH / FFPROBE_PATH over everything else', () => {
    const deps = fake({
      files: ['/opt/ff/ffmpeg', '/opt/probe/ffprobe', '/usr/bin/ffmpeg', '/usr/bin/ffprobe', '/pkg/ffmpeg'],
      packages: { 'ffmpeg-static': '/pkg/ffmpeg' },
      env: { FFMPEG_PATH: '/opt/ff/ffmpeg', FFPROBE_PATH: '/opt/probe/ffprobe' },
    });
    expect(locateFfmpeg(deps)).toEqual({ ffmpeg: '/opt/ff/ffmpeg', ffprobe: '/opt/probe/ffprobe' });
  });

  it('a FFMPEG_PATH that is not executable is an E122 error, not a silent fallback', () => {
    const deps = fake({ files: ['/usr/bin/ffmpeg', '/usr/bin/ffprobe'], env: { FFMPEG_PATH: '/nope/ffmpeg' } });
    expect(() => locateFfmpeg(deps)).toThrow(/FFMPEG_PATH/);
  });

  it('uses ffmpeg-static, then takes ffprobe from next to it', () => {
    const deps = fake({
      files: ['/pkg/bin/ffmpeg', '/pkg/bin/ffprobe', '/usr/bin/ffmpeg', '/usr/bin/ffprobe'],
      packages: { 'ffmpeg-static': '/pkg/bin/ffmpeg' },
    });
    expect(locateFfmpeg(deps)).toEqual({ ffmpeg: '/pkg/bin/ffmpeg', ffprobe: '/pkg/bin/ffprobe' });
  });

  it('skips ffmpeg-static whose binary is missing and falls to @ffmpeg-installer, then ffprobe-static', () => {
    const deps = fake({
      files: ['/inst/ffmpeg', '/probe-static/ffprobe', '/usr/bin/ffmpeg', '/usr/bin/ffprobe'],
      packages: {
        'ffmpeg-static': '/not-downloaded/ffmpeg',
        '@ffmpeg-installer/ffmpeg': { path: '/inst/ffmpeg' },
        'ffprobe-static': { path: '/probe-static/ffprobe' },
      },
    });
    expect(locateFfmpeg(deps)).toEqual({ ffmpeg: '/inst/ffmpeg', ffprobe: '/probe-static/ffprobe' });
  });

  it('uses @ffprobe-installer before PATH for ffprobe', () => {
    const deps = fake({
      files: ['/usr/bin/ffmpeg', '/x/ffprobe', '/usr/local/bin/ffprobe'],
      packages: { '@ffprobe-installer/ffprobe': { path: '/x/ffprobe' } },
    });
    // ffmpeg's sibling /usr/bin/ffprobe does not exist here, so the package wins over PATH.
    expect(locateFfmpeg(deps)).toEqual({ ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/x/ffprobe' });
  });

  it('falls back to PATH in PATH order, after trying all packages', () => {
    const deps = fake({ files: ['/usr/bin/ffmpeg', '/usr/local/bin/ffprobe', '/usr/bin/ffprobe'] });
    expect(locateFfmpeg(deps)).toEqual({ ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' });
    expect(deps.loaded).toEqual(['ffmpeg-static', '@ffmpeg-installer/ffmpeg']);
  });

  it('nothing found → E122 "ffmpeg not found" with an install hint', () => {
    const deps = fake({});
    let err: unknown;
    try {
      locateFfmpeg(deps);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(S2VError);
    expect((err as S2VError).code).toBe('E122');
    expect((err as S2VError).oneLine()).toMatch(/ffmpeg not found.*apt-get install ffmpeg.*FFMPEG_PATH/);
  });

  it('ffmpeg found but no ffprobe anywhere → E122 naming ffprobe', () => {
    expect(() => locateFfmpeg(fake({ files: ['/usr/bin/ffmpeg'] }))).toThrow(/ffprobe not found/);
  });

  it('the real lookup skips the uninstalled npm packages and finds the system binaries', () => {
    expect(realLocateDeps.loadPackage('s2v-no-such-package')).toBeUndefined();
    const found = locateFfmpeg({ ...realLocateDeps, env: { PATH: process.env.PATH } });
    expect(found.ffmpeg).toMatch(/ffmpeg$/);
    expect(found.ffprobe).toMatch(/ffprobe$/);
  });
});
