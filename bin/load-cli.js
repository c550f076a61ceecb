// Loads the CLI fast. TypeScript sources run through tsx, whose loader hooks cost ~0.5–1 s on
// every start; a cached run should feel instant. So the CLI is bundled once with esbuild into
// node_modules/.cache/s2v/ (keyed by the sources' sizes and mtimes, rebuilt automatically when
// anything changes) and run as plain JavaScript. Each module keeps its own import.meta.url, so
// files found relative to their source (models, workers) resolve as before. If bundling fails
// for any reason, or S2V_NO_BUNDLE=1, the sources run through tsx as a fallback.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'nodes'];
const SOURCE_EXT = /\.(ts|tsx|mts|js|mjs|cjs|json)$/;

/** A hash of every source file's path, size and mtime (cheap: stats only). */
export function sourceStamp() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    let items;
    try {
      items = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    items.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const it of items) {
      const p = path.join(dir, it.name);
      if (it.isDirectory()) {
        if (it.name !== 'node_modules' && it.name !== 'app') walk(p);
      } else if (SOURCE_EXT.test(it.name) && !it.name.includes('.test.')) {
        const st = fs.statSync(p);
        hash.update(`${path.relative(root, p)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(path.join(root, d));
  const pkg = fs.statSync(path.join(root, 'package.json'));
  hash.update(`package.json\0${pkg.size}\0${pkg.mtimeMs}`);
  return hash.digest('hex').slice(0, 16);
}

/** esbuild plugin: give every module its original import.meta.url/dirname/filename. */
const keepModuleLocation = {
  name: 'keep-module-location',
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx|mts|mjs|js)$/ }, async (args) => {
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

/** Every dependency named in package.json except the ones inlined into the bundle. */
function externalPackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies });
  return names.filter((n) => n !== 'zod');
}

/**
 * Bundles the CLI into `outDir` (main.mjs plus chunks). Code splitting keeps every dynamic
 * import() lazy — `s2v studio`'s server and its WebSocket library load only for that
 * command — where a single-file ESM bundle would hoist every external import to the top.
 */
export async function bundleCli(outDir) {
  const { build } = await import('esbuild');
  const tmp = `${outDir}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  await build({
    entryPoints: { main: path.join(root, 'src/cli/main.ts') },
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Every package stays external except zod: its ESM build is ~100 small files, and
    // resolving and compiling them one by one was half the start-up of a cached run.
    external: externalPackages(),
    logLevel: 'silent',
    plugins: [keepModuleLocation],
  });
  try {
    fs.renameSync(tmp, outDir);
  } catch (e) {
    // Another s2v process finished the same bundle first: use theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(outDir, 'main.mjs'))) throw e;
  }
  for (const old of fs.readdirSync(path.dirname(outDir))) {
    const p = path.join(path.dirname(outDir), old);
    if (p !== outDir && /^cli-[0-9a-f]+(\.mjs)?$/.test(old)) fs.rmSync(p, { recursive: true, force: true });
  }
}

async function viaTsx() {
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

/** The CLI module ({ main }). */
export async function loadCli() {
  if (process.env.S2V_NO_BUNDLE === '1') return viaTsx();
  try {
    const out = path.join(root, 'node_modules', '.cache', 's2v', `cli-${sourceStamp()}`);
    if (!fs.existsSync(path.join(out, 'main.mjs'))) await bundleCli(out);
    return await import(pathToFileURL(path.join(out, 'main.mjs')).href);
  } catch (e) {
    if (process.env.S2V_DEBUG) console.error(`s2v: bundling failed, running sources through tsx (${e.message})`);
    return viaTsx();
  }
}
