/** The CLI's fast-start bundle must behave exactly like running the sources through tsx. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types
import { CACHE_DIR, freshBundle } from '../../bin/load-cli.js';
import { createMediaService } from '../../src/media/index.js';
import { clickTrack } from '../fixtures/audio/synth.js';

const root = path.resolve(import.meta.dirname, '../..');
// Every command here counts as a quick one for the code cache, however loaded the machine is.
const s2v = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(root, 'bin/s2v.js'), ...args], { encoding: 'utf8', timeout: 90_000, killSignal: 'SIGKILL', env: { ...process.env, S2V_CODE_CACHE_SHORT_SEC: '600', ...env } });

/** Runs `s2v --version` until the bundle is fresh (a build within a second of an edit is not trusted). */
function ensureFresh(): string {
  for (let i = 0; i < 5 && !freshBundle(); i++) {
    expect(s2v(['--version']).status).toBe(0);
    if (!freshBundle()) spawnSync('sleep', ['1.1']);
  }
  const bundle = freshBundle() as string | undefined;
  expect(bundle).toBeTruthy();
  return bundle!;
}

describe('s2v loader', () => {
  it('bundled and tsx runs print the same catalog and models', () => {
    for (const cmd of [['nodes', '--json'], ['models', '--json']]) {
      const bundled = s2v(cmd);
      const viaTsx = s2v(cmd, { S2V_NO_BUNDLE: '1' });
      expect(bundled.status).toBe(0);
      expect(viaTsx.status).toBe(0);
      expect(bundled.stdout).toBe(viaTsx.stdout);
      expect(JSON.parse(bundled.stdout).length).toBeGreaterThan(3);
    }
  });

  it('loading the loader loads neither node:crypto nor the code fingerprints (which imports it): only a build needs them', () => {
    const code = `await import(${JSON.stringify(path.join(root, 'bin/load-cli.js'))}); console.log(JSON.stringify(process.moduleLoadList.filter((x) => / crypto$/.test(x))));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('the bundle is rebuilt when a source it was built from changes (its mtime)', () => {
    const bundle = ensureFresh();
    expect(path.dirname(bundle)).toBe(CACHE_DIR);
    const file = path.join(root, 'nodes/prompt/prompt.node.ts');
    const st = fs.statSync(file);
    try {
      fs.utimesSync(file, st.atime, new Date(st.mtimeMs - 5000));
      expect(freshBundle()).toBeUndefined();
      // The next start builds again and trusts the new build.
      expect(s2v(['--version']).status).toBe(0);
      expect(freshBundle()).toBe(bundle);
    } finally {
      fs.utimesSync(file, st.atime, st.mtime);
    }
    expect(freshBundle()).toBeUndefined();
    ensureFresh();
  }, 60_000);

  it('the loader itself is one of the inputs: changing how bundles are made rebuilds them', () => {
    ensureFresh();
    const file = path.join(root, 'bin/load-cli.js');
    const st = fs.statSync(file);
    try {
      fs.utimesSync(file, st.atime, new Date(st.mtimeMs + 5000));
      expect(freshBundle()).toBeUndefined();
    } finally {
      fs.utimesSync(file, st.atime, st.mtime);
    }
  });

  it("s2v analyze runs from its own bundle (a quarter of the CLI's, no zod) with its own compiled code, and prints what the sources print", async () => {
    const bundle = ensureFresh();
    const own = freshBundle(CACHE_DIR, 'analyze') as string;
    expect(own).toBeTruthy();
    expect(own).not.toBe(bundle);
    expect(fs.statSync(own).size).toBeLessThan(fs.statSync(bundle).size / 2);
    expect(fs.readFileSync(own, 'latin1')).not.toMatch(/node_modules\/zod\//);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-loader-'));
    try {
      const wav = path.join(dir, 'clicks.wav');
      const c = clickTrack({ bpm: 120, durationSec: 6 });
      await createMediaService().writeWav(wav, c.pcm, c.sampleRate, 1);
      for (const f of [`${own}.analyze.v8`, `${bundle}.analyze.v8`]) fs.rmSync(f, { force: true });
      const bundled = s2v(['analyze', wav, '--json']);
      expect(bundled.status, bundled.stderr).toBe(0);
      // The code it ran was the analysis's bundle: its compiled code is left beside that one.
      expect(fs.existsSync(`${own}.analyze.v8`)).toBe(true);
      expect(fs.existsSync(`${bundle}.analyze.v8`)).toBe(false);
      const viaTsx = s2v(['analyze', wav, '--json'], { S2V_NO_BUNDLE: '1' });
      expect(viaTsx.status, viaTsx.stderr).toBe(0);
      expect(bundled.stdout).toBe(viaTsx.stdout);
      expect(JSON.parse(bundled.stdout).beats.length).toBeGreaterThan(5);
      // Errors and exit codes as the whole CLI gives them.
      for (const args of [['analyze'], ['analyze', path.join(dir, 'none.wav')], ['analyze', wav, '--fps', 'x']]) {
        const a = s2v(args);
        const b = s2v(args, { S2V_NO_BUNDLE: '1' });
        expect([a.status, a.stderr, a.stdout], args.join(' ')).toEqual([b.status, b.stderr, b.stdout]);
        expect(a.status).toBe(2);
        expect(a.stderr.trim().split('\n')).toHaveLength(1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('compiled code is kept per command, and a damaged code cache is only a slower start', () => {
    const bundle = ensureFresh();
    const codeFile = `${bundle}.nodes.v8`;
    fs.rmSync(codeFile, { force: true });
    const first = s2v(['nodes', '--json']);
    expect(first.status).toBe(0);
    const good = fs.readFileSync(codeFile);
    expect(good.length).toBeGreaterThan(1000);
    fs.writeFileSync(codeFile, Buffer.from('not V8 code, just bytes'));
    const again = s2v(['nodes', '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    // V8 refused the bytes; the run left usable code for the next one.
    expect(fs.readFileSync(codeFile).length).toBeGreaterThan(1000);
  }, 60_000);

  it("import() of a package still works in code taken from the code cache (doctor's NW.js check imports nw)", () => {
    const bundle = ensureFresh();
    fs.rmSync(`${bundle}.doctor.v8`, { force: true });
    const nwCheck = (env: Record<string, string> = {}) => {
      const r = s2v(['doctor', '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      return (JSON.parse(r.stdout) as Array<{ name: string; detail: string }>).find((c) => c.name === 'NW.js');
    };
    const compiled = nwCheck();
    expect(fs.existsSync(`${bundle}.doctor.v8`)).toBe(true);
    const fromCache = nwCheck();
    const viaTsx = nwCheck({ S2V_NO_BUNDLE: '1' });
    expect(viaTsx?.detail).toBeTruthy();
    expect(compiled).toEqual(viaTsx);
    expect(fromCache).toEqual(viaTsx);
  }, 60_000);

  it('a failing command leaves no compiled code behind', () => {
    const bundle = ensureFresh();
    const codeFiles = [`${bundle}.validate.v8`, `${bundle}.validate.long.v8`];
    for (const f of codeFiles) fs.rmSync(f, { force: true });
    const r = s2v(['validate', path.join(root, 'no-such-graph.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no-such-graph\.json/);
    expect(codeFiles.filter((f) => fs.existsSync(f))).toEqual([]);
  });

  it('an error thrown by the bundle\'s own code surfaces once, as itself: no second run through tsx; a bundle that cannot compile still falls back', () => {
    const { format } = JSON.parse(fs.readFileSync(path.join(path.dirname(ensureFresh()), 'cli.json'), 'utf8')) as { format: number };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-loader-'));
    try {
      fs.writeFileSync(path.join(dir, 'cli.json'), JSON.stringify({ format, root, bundle: 'cli-test.cjs', inputs: [] }));
      const load = (body: string) => {
        fs.writeFileSync(path.join(dir, 'cli-test.cjs'), `(function (exports, require, module, __filename, __dirname, __s2vImport) {${body}\n})`);
        const script =
          `const { loadCli } = await import(${JSON.stringify(path.join(root, 'bin/load-cli.js'))});` +
          `await loadCli('test', ${JSON.stringify(dir)}).then((m) => console.log('loaded', typeof m.main), (e) => console.log('threw', e.message));`;
        return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 90_000, killSignal: 'SIGKILL', env: { ...process.env, S2V_NO_BUNDLE: '' } });
      };
      const thrown = load("console.log('top-level ran'); throw new Error('top-level failure');");
      expect(thrown.stdout.trim().split('\n')).toEqual(['top-level ran', 'threw top-level failure']);
      // A bundle V8 cannot compile is a build problem: the sources run through tsx instead.
      const broken = load('this is not JavaScript (');
      expect(broken.stdout.trim()).toBe('loaded function');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
