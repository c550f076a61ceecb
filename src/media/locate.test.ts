import { describe, expect, it } from 'vitest';
import { S2VError } from '../engine/index.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { locateFfmpeg, parseMajorVersion, realLocateDeps, type LocateDeps } from './locate.js';

/**
 * A fake machine: executable files, files without the execute bit (`plain`), installed
 * packages, ffmpeg versions by path and an environment. `chmodable` plain files can be made
 * executable; the others cannot.
 */
function fake(opts: {
  files?: string[];
  plain?: string[];
  chmodable?: string[];
  versions?: Record<string, number>;
  packages?: Record<string, unknown>;
  env?: Record<string, string>;
}): LocateDeps & { loaded: string[] } {
  const files = new Set(opts.files ?? []);
  const plain = new Set(opts.plain ?? []);
  const loaded: string[] = [];
  return {
    env: { PATH: '/usr/local/bin:/usr/bin', ...opts.env },
    loadPackage(name) {
      loaded.push(name);
      return opts.packages?.[name];
    },
    isExecutable: (p) => files.has(p),
    isFile: (p) => files.has(p) || plain.has(p),
    makeExecutable(p) {
      if (!opts.chmodable?.includes(p)) return undefined;
      files.add(p);
      return p;
    },
    majorVersion: (p) => opts.versions?.[p],
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

  it('a system ffmpeg ≥ 5 on PATH wins over the bundled 4.1; an older or unidentified one does not', () => {
    const bundled = { '@ffmpeg-installer/ffmpeg': { path: '/nm/ffmpeg' }, '@ffprobe-installer/ffprobe': { path: '/nm/probe/ffprobe' } };
    const files = ['/nm/ffmpeg', '/nm/probe/ffprobe', '/usr/bin/ffmpeg', '/usr/bin/ffprobe'];
    expect(locateFfmpeg(fake({ files, packages: bundled, versions: { '/usr/bin/ffmpeg': 5 } }))).toEqual({ ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' });
    expect(locateFfmpeg(fake({ files, packages: bundled, versions: { '/usr/bin/ffmpeg': 4 } }))).toEqual({ ffmpeg: '/nm/ffmpeg', ffprobe: '/nm/probe/ffprobe' });
    // A stand-in that does not answer -version (e.g. /bin/false mounted over it) is not preferred.
    expect(locateFfmpeg(fake({ files, packages: bundled }))).toEqual({ ffmpeg: '/nm/ffmpeg', ffprobe: '/nm/probe/ffprobe' });
  });

  it('a bundled binary that lost its execute bit is made executable and used', () => {
    const deps = fake({
      plain: ['/nm/ffmpeg', '/nm/probe/ffprobe'],
      chmodable: ['/nm/ffmpeg', '/nm/probe/ffprobe'],
      packages: { '@ffmpeg-installer/ffmpeg': { path: '/nm/ffmpeg' }, '@ffprobe-installer/ffprobe': { path: '/nm/probe/ffprobe' } },
    });
    expect(locateFfmpeg(deps)).toEqual({ ffmpeg: '/nm/ffmpeg', ffprobe: '/nm/probe/ffprobe' });
  });

  it('a bundled binary that cannot be made executable is an E122 naming it with the chmod fix', () => {
    const deps = fake({ files: ['/usr/bin/ffmpeg'], plain: ['/nm/ffmpeg'], packages: { '@ffmpeg-installer/ffmpeg': { path: '/nm/ffmpeg' } } });
    let err: S2VError | undefined;
    try {
      locateFfmpeg(deps);
    } catch (e) {
      err = e as S2VError;
    }
    expect(err?.code).toBe('E122');
    expect(err?.oneLine()).toMatch(/^E122 \/nm\/ffmpeg: ffmpeg from @ffmpeg-installer\/ffmpeg is not executable.*chmod \+x \/nm\/ffmpeg/);
  });

  it('really restores the execute bit of a copied binary (real file system)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-locate-'));
    try {
      const bin = path.join(dir, 'ffmpeg');
      fs.copyFileSync('/bin/true', bin);
      fs.chmodSync(bin, 0o644);
      expect(realLocateDeps.isExecutable(bin)).toBe(false);
      const runnable = realLocateDeps.makeExecutable(bin)!;
      expect(realLocateDeps.isExecutable(runnable)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the major version from ffmpeg -version output', () => {
    expect(parseMajorVersion('ffmpeg version 5.1.8-0+deb12u1 Copyright (c) 2000-2025')).toBe(5);
    expect(parseMajorVersion('ffmpeg version n6.1.1 Copyright')).toBe(6);
    expect(parseMajorVersion('ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/')).toBeUndefined();
    expect(parseMajorVersion('')).toBeUndefined();
  });

  it('the real lookup skips the uninstalled npm packages and finds the system binaries', () => {
    expect(realLocateDeps.loadPackage('s2v-no-such-package')).toBeUndefined();
    const found = locateFfmpeg({ ...realLocateDeps, env: { PATH: process.env.PATH } });
    expect(found.ffmpeg).toMatch(/ffmpeg$/);
    expect(found.ffprobe).toMatch(/ffprobe$/);
  });
});
