// Loads the CLI fast. TypeScript sources run through tsx, whose loader hooks cost ~0.5–1 s on
// every start; a cached run should feel instant. So the CLI is bundled once with esbuild into
// one CommonJS file under node_modules/.cache/s2v/ and run as plain JavaScript:
// - CommonJS, not ESM, because Node 20 keeps no compiled code for ES modules, while a script
//   compiled with vm.Script can hand V8 the code it compiled last time (`cachedData`, what
//   v8-compile-cache does). Compiling the 1.4 MB bundle was a third of a cached re-run.
// - Freshness: the build records every file esbuild read (its metafile) with size and mtime;
//   a start stats just those files, so an edit to any of them rebuilds the bundle.
// - Each module keeps its own import.meta.url, so files found relative to their source
//   (models, workers) resolve as before.
// If bundling or compiling the bundle fails, or S2V_NO_BUNDLE=1, the sources run through tsx
// instead; an error thrown by the CLI's own code is that error, never a second run through tsx.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

import { CACHE_DIR, FORMAT, MANIFEST, freshBundle, root } from './fresh-bundle.js';

export { CACHE_DIR, freshBundle };
const DYNAMIC_IMPORT = '__s2vImport';
// node:crypto and the code fingerprints serve only a build or a write: loaded then, not on every
// start (together ≈ 6–8 ms of each `s2v` command's start on this machine, measured standalone).
const nodeRequire = createRequire(import.meta.url);
const crypto = () => nodeRequire('node:crypto');
/** The string src/engine/cache/code-version.ts holds until the bundle's fingerprints replace it. */
const CODE_FINGERPRINTS = JSON.stringify('__S2V_CODE_FINGERPRINTS__');

/**
 * Writes `data` to `file` whole or not at all (another s2v process may be reading it); on failure
 * the temp file is removed and the error is one line naming `file`. (The sources' version is
 * src/engine/temp-file.ts, which this loader runs before and cannot import.)
 */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${crypto().randomBytes(3).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`cannot write ${file} (${e.code ?? e.message})`);
  }
}

/** esbuild plugin: give every module its original import.meta.url/dirname/filename. */
const keepModuleLocation = {
  name: 'keep-module-location',
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx|mts|mjs|js)$/, namespace: 'file' }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      const ext = path.extname(args.path).slice(1);
      return { contents, loader: ext === 'tsx' ? 'tsx' : ext === 'mts' || ext === 'ts' ? 'ts' : 'js' };
    });
  },
};

/**
 * esbuild plugin: zod's namespace exports all of its ~50 locales (a quarter of the bundle, all
 * compiled and loaded on every start); nothing here ever switches locale, so the bundle keeps
 * English only (what zod sets by default). The tsx fallback still sees them all.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(args.resolveDir, '../locales/en.js'), namespace: 'zod-en', pluginData: args.resolveDir };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

/**
 * esbuild plugin: modules a cached re-run never touches — Node's child_process (ffmpeg),
 * worker_threads (the inference pool), zlib (provenance), readline (prompts) and headaudio's
 * viseme classifier (six ES modules) — load on first use instead of at start (≈ 5 ms of a
 * cached re-run's module set-up, measured in-process). Each import of one gets a stand-in
 * whose properties require the real module when first read; esbuild reads imports as
 * properties of that object, so the code using them is unchanged.
 */
const LAZY_MODULES = ['node:child_process', 'node:worker_threads', 'node:zlib', 'node:readline/promises', '@met4citizen/headaudio/modules/processor.mjs'];
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    const names = new Set(LAZY_MODULES.flatMap((n) => [n, n.replace(/^node:/, '')]));
    build.onResolve({ filter: /.*/ }, (args) => {
      if (!names.has(args.path)) return undefined;
      // The stand-in's own require() is the real module.
      if (args.namespace === 'lazy-module') return { path: args.path, external: true };
      const id = args.path.startsWith('@') ? args.path : `node:${args.path.replace(/^node:/, '')}`;
      // A .cjs name: esbuild reads a .mjs stand-in as an ES module, whose `module` is the bundle's.
      return { path: `${id}.cjs`, namespace: 'lazy-module', pluginData: id };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-module' }, async (args) => {
      const id = args.pluginData;
      const exported = Object.keys(await import(id)).filter((k) => k !== 'default');
      const contents =
        `let real;\nconst load = () => (real ??= require(${JSON.stringify(id)}));\n` +
        `for (const name of ${JSON.stringify(exported)}) Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] });\n`;
      return { contents, loader: 'js', resolveDir: root };
    });
  },
};

/** Every dependency named in package.json except the ones inlined into the bundle. */
function externalPackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies });
  return names.filter((n) => n !== 'zod');
}

/**
 * Node 20 forgets, for functions it takes from a code cache, the import() hook a vm.Script was
 * given ("A dynamic import callback was not specified"). The bundle's import() calls (what
 * esbuild left as import(): external packages such as ws and vite, and computed specifiers) are
 * therefore renamed to a function the loader passes in, found with es-module-lexer (which
 * skips strings, comments and regular expressions).
 */
async function routeDynamicImports(code) {
  const { init, parse } = await import('es-module-lexer');
  await init;
  const [imports] = parse(code);
  let out = '';
  let at = 0;
  for (const i of imports) {
    if (i.d < 0) continue;
    if (code.slice(i.ss, i.ss + 6) !== 'import') throw new Error(`unexpected import() at ${i.ss}`);
    out += `${code.slice(at, i.ss)}${DYNAMIC_IMPORT}`;
    at = i.ss + 6;
  }
  return out + code.slice(at);
}

/**
 * The bundles built, by variant: the whole CLI (src/cli/main.ts) and `s2v analyze`'s own
 * (src/cli/analyze-main.ts: a quarter of the size, no zod; its start is most of a short
 * analysis). Each entry exports the same `main`.
 */
const ENTRIES = { cli: 'src/cli/main.ts', analyze: 'src/cli/analyze-main.ts' };

/** The code the loader compiles for one of esbuild's outputs: ASCII, import() routed, wrapped. */
async function wrapBundle(text, fingerprints, required) {
  const parts = text.split(CODE_FINGERPRINTS).length - 1;
  if (required ? parts !== 1 : parts > 1) throw new Error('the bundle holds the code fingerprints\' placeholder other than once');
  // Stored as the function the loader calls, in ASCII: esbuild escapes non-ASCII in code but not
  // in comments, and one such character made V8 hold the 1 MB source as two bytes a character
  // (read, decoded, then copied again into the wrapper on every start).
  const body = (await routeDynamicImports(text.replace(CODE_FINGERPRINTS, () => JSON.stringify(JSON.stringify(fingerprints))))).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `(function (exports, require, module, __filename, __dirname, ${DYNAMIC_IMPORT}) {${body}\n})`;
}

/**
 * Bundles the CLI into `cacheDir` as cli-<hash>.cjs (and `s2v analyze`'s bundle beside it, see
 * ENTRIES) and records what they were built from in the manifest; returns the paths by variant
 * ({ cli, analyze }). Modules reached only through import() are still evaluated only when
 * imported (esbuild wraps each in a lazy initialiser), so `s2v studio`'s server loads only for
 * that command; external packages stay require()/import() calls.
 */
export async function bundleCli(cacheDir = CACHE_DIR) {
  const { build } = await import('esbuild');
  const started = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, f]) => [k, path.join(root, f)])),
    write: false,
    outdir: cacheDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Every package stays external except zod: its ESM build is ~100 small files, and
    // resolving and compiling them one by one was half the start-up of a cached run.
    external: externalPackages(),
    metafile: true,
    logLevel: 'silent',
    plugins: [keepModuleLocation, englishOnlyZod, lazyModules],
  });
  // The fingerprint of each code part (code-fingerprint.mjs) from what esbuild just read, written
  // into the bundle: cache keys then name the code that computed a result at no cost per start.
  // Hashed before the inputs are stat'ed below, so a file edited meanwhile makes the next start
  // build again (its recorded mtime cannot match).
  const { CODE_PARTS, partFingerprint } = await import('../src/engine/cache/code-fingerprint.mjs');
  const fingerprints = {};
  const partInputs = new Set();
  for (const [name, part] of Object.entries(CODE_PARTS)) {
    const { fingerprint, inputs } = partFingerprint(root, part, result.metafile);
    fingerprints[name] = fingerprint;
    for (const rel of inputs) partInputs.add(rel);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const names = {};
  for (const variant of Object.keys(ENTRIES)) {
    const output = result.outputFiles.find((o) => path.basename(o.path) === `${variant}.cjs`);
    if (!output) throw new Error(`esbuild wrote no ${variant}.cjs`);
    // Only the whole CLI computes cache keys; the analysis's bundle may hold the placeholder or not.
    const code = await wrapBundle(output.text, fingerprints, variant === 'cli');
    names[variant] = `cli-${crypto().createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`;
    const bundle = path.join(cacheDir, names[variant]);
    if (!fs.existsSync(bundle)) writeAtomic(bundle, code);
  }
  // What a bundle is built from, as the files whose size and mtime a start checks: package.json
  // (it names the external packages), this file (it decides how bundles are made), tsconfig.json,
  // then each source read, a package inlined from node_modules stood for by its package.json,
  // which an install rewrites (a start then stats ~150 files rather than ~290). Inputs a plugin
  // made up, named `namespace:…`, are not files. The code parts' data files (the beat net's
  // weights) and the packages whose version they count are the CLI's inputs too: new weights make
  // a new bundle, with a new fingerprint and name.
  const buildFiles = ['package.json', 'bin/load-cli.js', 'tsconfig.json'];
  const sourceFiles = (sources) => {
    const files = [];
    for (const k of sources) {
      if (/^[a-z-]+:/.test(k)) continue;
      const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(k);
      files.push(pkg ? `node_modules/${pkg[1]}/package.json` : k);
    }
    return files;
  };
  const files = new Set([...buildFiles, ...partInputs, ...sourceFiles(Object.keys(result.metafile.inputs))]);
  const stats = [...files].map((rel) => [rel, fs.statSync(path.join(root, rel))]);
  const finished = Date.now();
  // A file changed while esbuild was reading it (or so close to it the clock cannot tell) is
  // recorded as nothing that could match, so the next start builds again.
  const inputs = stats.map(([rel, st]) => [rel, st.size, st.mtimeMs > started - 1000 && st.mtimeMs <= finished ? -1 : st.mtimeMs]);
  // A command with a bundle of its own checks only what that bundle was built from (`s2v analyze`:
  // ~85 files of the ~230), a subset of the rows above.
  const bundles = {};
  for (const [variant, name] of Object.entries(names)) {
    if (variant === 'cli') continue;
    const output = Object.entries(result.metafile.outputs).find(([out]) => path.basename(out) === `${variant}.cjs`)[1];
    const own = new Set([...buildFiles, ...sourceFiles(Object.keys(output.inputs))]);
    bundles[variant] = { bundle: name, inputs: inputs.filter(([rel]) => own.has(rel)) };
  }
  writeAtomic(path.join(cacheDir, MANIFEST), JSON.stringify({ format: FORMAT, root, bundle: names.cli, inputs, bundles }));
  for (const old of fs.readdirSync(cacheDir)) {
    // Bundles from older sources (and their compiled code), and the ESM bundles of format 1.
    if (/^cli-[0-9a-f]+/.test(old) && !Object.values(names).some((n) => old.startsWith(n))) fs.rmSync(path.join(cacheDir, old), { recursive: true, force: true });
  }
  return Object.fromEntries(Object.entries(names).map(([k, n]) => [k, path.join(cacheDir, n)]));
}

// A process that ran longer than this (a render) leaves poorer compiled code for a quick one (a
// cached re-run): V8 has dropped the bytecode of start-up functions unused for a while, and the
// cache-hit path never ran. Measured: a cached re-run took ~35 ms more CPU with a render's code.
// S2V_CODE_CACHE_SHORT_SEC moves the line (tests on a busy machine, where a quick command may take longer).
const SHORT_RUN_SEC = Number(process.env.S2V_CODE_CACHE_SHORT_SEC) || 1.5;

/** The first of `files` V8 accepts for `source`, as a compiled script, and which one it was. */
function compileWithCache(wrapped, bundle, files) {
  for (const file of files) {
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      continue;
    }
    const script = new vm.Script(wrapped, { filename: bundle, cachedData });
    if (!script.cachedDataRejected) return { script, used: file };
  }
  return { script: new vm.Script(wrapped, { filename: bundle }), used: undefined };
}

/**
 * Compiles the bundle with V8's compiled code from an earlier run of the same command (`variant`),
 * and leaves compiled code for the next one, written at exit after a successful run so it holds
 * the functions that command actually ran: from a short run when none was there or only a long
 * run's was (see SHORT_RUN_SEC), from a long run only when there was none at all. Code V8
 * refuses (another V8 version or flags) is replaced the same way.
 */
function compileBundle(bundle, variant) {
  const base = `${bundle}.${/^[a-z][a-z-]{0,20}$/.test(variant ?? '') ? variant : 'default'}`;
  const [short, long] = [`${base}.v8`, `${base}.long.v8`];
  const { script, used } = compileWithCache(fs.readFileSync(bundle, 'latin1'), bundle, [short, long]);
  if (used !== short) {
    process.once('exit', (code) => {
      const file = process.uptime() < SHORT_RUN_SEC ? short : used ? undefined : long;
      if (code !== 0 || !file) return;
      try {
        writeAtomic(file, script.createCachedData());
      } catch {
        // Only a missed speed-up: the next run compiles again.
      }
    });
  }
  // The wrapper function only: nothing of the CLI's own code has run yet.
  const wrapper = script.runInThisContext();
  /** Runs the CLI's modules; what they throw is the CLI's error. */
  return function run() {
    const module = { exports: {} };
    // Resolved from bin/, which finds the same node_modules as the bundle's own folder would.
    const dynamicImport = (specifier, options) => import(specifier, options);
    wrapper(module.exports, createRequire(bundle), module, bundle, path.dirname(bundle), dynamicImport);
    return module.exports;
  };
}

async function viaTsx() {
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

/**
 * The CLI module ({ main }); `variant` (the command) picks which compiled code to reuse. Only a
 * bundle that cannot be built or compiled falls back to tsx: once the bundle's own code runs,
 * what it throws is the CLI's error, reported once (run again through tsx, it would be hidden
 * by a second run, or reported twice, and any work before it done twice).
 */
export async function loadCli(variant, cacheDir = CACHE_DIR) {
  if (process.env.S2V_NO_BUNDLE === '1') return viaTsx();
  let run;
  try {
    const variantOf = (bundles) => bundles[variant] ?? bundles.cli;
    run = compileBundle(freshBundle(cacheDir, variant) ?? variantOf(await bundleCli(cacheDir)), variant);
  } catch (e) {
    if (process.env.S2V_DEBUG) console.error(`s2v: bundling failed, running sources through tsx (${e.message})`);
    return viaTsx();
  }
  return run();
}
