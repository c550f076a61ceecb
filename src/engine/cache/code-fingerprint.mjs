// Fingerprints of the code (and the data files it reads) behind a kind of result, for cache keys:
// a result computed by other analysis code or other beat-net weights must never be served, one
// computed by the same code always may be. Plain JavaScript, Node built-ins only (esbuild is
// imported on demand), because two sides compute it and must agree:
// - bin/load-cli.js, when it bundles the CLI: from the bundle's own esbuild metafile, written
//   into the bundle (code-version.ts reads it; a start then hashes nothing);
// - code-version.ts, when the sources run through tsx or vitest (no bundle): esbuild's metafile
//   of the part's entries alone, remembered on disk with each input's size and mtime (the way
//   fresh-bundle.js checks the bundle), so a start stats the ~60 inputs and hashes none.
// A part's fingerprint covers every repo file its entries import, transitively (a change to a
// comment counts: the bytes are what is compared), the data files it reads at run time, and the
// version of every package it imports (or names). Files outside that closure — the studio UI,
// the CLI's printing, other nodes — do not move it.
import fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { builtinModules } from 'node:module';

const BUILTINS = new Set(builtinModules);

/**
 * The parts whose fingerprint a cache key carries. `entries`: the modules that do the work
 * (repo-relative; everything they import counts); `data`: files they read at run time;
 * `packages`: packages whose version counts though no entry imports them (onnxruntime runs the
 * VAD through the inference service).
 */
export const CODE_PARTS = {
  // Audio Features: the analysis (src/audio/service.ts and what it imports: tempo, beats, phase,
  // the beat net, VAD post-processing, visemes), the decode that feeds it, and the inference
  // service that runs the VAD (with the worker scripts both start, which no module imports).
  analysis: {
    entries: ['src/audio/service.ts', 'src/media/audio.ts', 'src/inference/index.ts'],
    data: ['models/beatnet/beat-net.json', 'src/inference/session-worker.cjs', 'src/audio/viseme-worker.mjs'],
    packages: ['onnxruntime-node'],
  },
  // Screenwriter: the built-in writer (its vocabulary) and the prompt it sends a local LLM.
  screenwriter: {
    entries: ['nodes/screenwriter/screenwriter.node.ts'],
    data: [],
    packages: [],
  },
  // Audio-Generate: the music generator (arrangement, instruments, mastering), the speech
  // service's command lines, and the WAV writer.
  'audio-generate': {
    entries: ['nodes/audio-generate/audio-generate.node.ts', 'src/speech/index.ts', 'src/media/audio.ts'],
    data: [],
    packages: [],
  },
  // Video Model, rendering locally: controls, style, plan, face mesh, render loop, and the media
  // and inference services it renders through (image decode, encoder settings, face finding,
  // the session pool). The models' own files count by their sha256 (modelHash).
  'video-model': {
    entries: ['nodes/video-model/video-model.node.ts', 'src/media/index.ts', 'src/inference/index.ts'],
    data: ['src/inference/session-worker.cjs'],
    packages: ['onnxruntime-node'],
  },
};

/** Bumped when what a fingerprint covers changes: every key then changes once. */
const FORMAT = 1;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The package a bare specifier or a node_modules path names (`@scope/name` or `name`). */
function packageOf(spec) {
  const m = /^((?:@[^/]+\/)?[^/]+)/.exec(spec);
  return m ? m[1] : spec;
}

function packageVersion(root, name) {
  try {
    return JSON.parse(fs.readFileSync(`${root}/node_modules/${name}/package.json`, 'utf8')).version ?? 'unknown';
  } catch {
    return 'missing';
  }
}

/**
 * The fingerprint of `part` from an esbuild metafile (paths relative to `root`) that holds its
 * entries, and the files it was made from (for freshness checks: the repo files, the data files
 * and each counted package's package.json). Both sides walk the metafile the same way: from the
 * entries along `imports`, skipping Node built-ins and the stand-ins load-cli.js's plugins make
 * (`namespace:` inputs, whose package counts instead); a package's files count by its version.
 */
export function partFingerprint(root, part, metafile) {
  const inputs = metafile.inputs;
  const files = new Set();
  const packages = new Set(part.packages);
  const todo = [...part.entries];
  const seen = new Set();
  while (todo.length) {
    const rel = todo.pop();
    if (seen.has(rel)) continue;
    seen.add(rel);
    const input = inputs[rel];
    if (!input) throw new Error(`code fingerprint: ${rel} is not in the build`);
    // (esbuild names a file of a linked node_modules by its real path, outside the root.)
    const inPackage = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(rel);
    if (inPackage) {
      packages.add(inPackage[1]);
      continue;
    }
    files.add(rel);
    for (const imp of input.imports) {
      let p = imp.path;
      const lazy = /^lazy-module:(.*)\.cjs$/.exec(p);
      if (lazy) p = lazy[1];
      if (p.startsWith('node:') || /^[a-z-]+:/.test(p) || BUILTINS.has(p.split('/')[0])) continue;
      if (imp.external || lazy) {
        if (!p.startsWith('.') && !p.startsWith('/')) packages.add(packageOf(p));
        continue;
      }
      todo.push(p);
    }
  }
  const lines = [`format ${FORMAT}`];
  for (const rel of [...files].sort()) lines.push(`file ${rel} ${sha256(fs.readFileSync(`${root}/${rel}`))}`);
  for (const rel of [...part.data].sort()) {
    let bytes;
    try {
      bytes = fs.readFileSync(`${root}/${rel}`);
    } catch {
      bytes = 'missing';
    }
    lines.push(`data ${rel} ${sha256(bytes)}`);
  }
  const names = [...packages].sort();
  for (const name of names) lines.push(`package ${name} ${packageVersion(root, name)}`);
  return {
    fingerprint: sha256(lines.join('\n')),
    // A package not installed counts as `missing`; its package.json cannot be stat'ed.
    inputs: [...[...files].sort(), ...part.data.filter((rel) => fs.existsSync(`${root}/${rel}`)), ...names.map((n) => `node_modules/${n}/package.json`).filter((rel) => fs.existsSync(`${root}/${rel}`))],
  };
}

/** esbuild's metafile for `part`'s entries alone, resolved as the CLI bundle resolves them. */
export async function partMetafile(root, part) {
  // Named through a variable: a literal import would make esbuild part of every fingerprint.
  const bundler = 'esbuild';
  const { build } = await import(bundler);
  const pkg = JSON.parse(fs.readFileSync(`${root}/package.json`, 'utf8'));
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies }).filter((n) => n !== 'zod');
  const result = await build({
    absWorkingDir: root,
    entryPoints: part.entries.map((e) => `${root}/${e}`),
    bundle: true,
    write: false,
    outdir: `${root}/.code-fingerprint`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

/** [path, size, mtimeMs] of each input; mtime -1 (never matches) for one that changed while it was read. */
function statInputs(root, inputs, started, finished) {
  return inputs.map((rel) => {
    const st = fs.statSync(`${root}/${rel}`, { throwIfNoEntry: false });
    if (!st) return [rel, -1, -1];
    return [rel, st.size, st.mtimeMs > started - 1000 && st.mtimeMs <= finished ? -1 : st.mtimeMs];
  });
}

function stillFresh(root, recorded) {
  if (!Array.isArray(recorded)) return false;
  for (const input of recorded) {
    if (!Array.isArray(input) || typeof input[0] !== 'string') return false;
    const st = fs.statSync(`${root}/${input[0]}`, { throwIfNoEntry: false });
    if (!st || st.size !== input[1] || st.mtimeMs !== input[2]) return false;
  }
  return true;
}

/**
 * The fingerprint of the part `name` of the sources under `root`, as the bundle would carry it:
 * remembered in `cacheDir` (code-<name>.json) while every input keeps its size and mtime,
 * computed again (one esbuild pass, ~0.5 s) when any changed.
 */
export async function sourceFingerprint(root, name, cacheDir, parts = CODE_PARTS) {
  const part = parts[name];
  if (!part) throw new Error(`code fingerprint: no part "${name}"`);
  const file = `${cacheDir}/code-${name}.json`;
  try {
    const memo = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (memo && memo.format === FORMAT && memo.root === root && typeof memo.fingerprint === 'string' && JSON.stringify(memo.part) === JSON.stringify(part) && stillFresh(root, memo.inputs)) return memo.fingerprint;
  } catch {
    // No memo yet, or an unreadable one: computed below.
  }
  const started = Date.now();
  const { fingerprint, inputs } = partFingerprint(root, part, await partMetafile(root, part));
  const recorded = statInputs(root, inputs, started, Date.now());
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, root, part, fingerprint, inputs: recorded }));
    fs.renameSync(tmp, file);
  } catch {
    // Only a missed speed-up: the next start computes it again.
    fs.rmSync(tmp, { force: true });
  }
  return fingerprint;
}
