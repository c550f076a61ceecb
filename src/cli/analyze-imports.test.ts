/**
 * `s2v analyze` initialises only the modules it runs: the CLI's entry and the analyze command,
 * followed through their static imports (what loads before and while the command runs), reach
 * neither the node catalog, the graph schemas, the runtime's other services nor the remote
 * backends. Each of those is module code run at start-up (zod schemas built, a catalog
 * registered): before the split, main.ts imported them all and loading the CLI for `analyze`
 * took ≈ 30 ms more of a 0.65 s analysis (traced on a 30 s clip). Read from esbuild's metafile,
 * the way the CLI's bundle is built (bin/load-cli.js).
 */
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const rel = (f: string) => path.relative(root, path.resolve(root, f)).split(path.sep).join('/');

/** Files reached from `entries` through static imports only (a dynamic import() loads when it runs). */
async function staticClosure(entries: string[]): Promise<Set<string>> {
  const result = await build({
    entryPoints: entries.map((e) => path.join(root, e)),
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: 'out',
    logLevel: 'silent',
  });
  const inputs = result.metafile.inputs;
  const seen = new Set<string>();
  const todo = entries.map(rel);
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f) || !inputs[f]) continue;
    seen.add(f);
    for (const i of inputs[f]!.imports) if (!i.external && i.kind !== 'dynamic-import') todo.push(rel(i.path));
  }
  return seen;
}

describe('s2v analyze loads what the analysis needs', () => {
  it('the CLI entry and the analyze command reach neither the node catalog, the graph schemas, the runtime nor the backends', async () => {
    const reached = [...(await staticClosure(['src/cli/main.ts', 'src/cli/analyze.ts']))];
    // The closure is real: the analysis, the VAD's inference and ffmpeg are in it.
    expect(reached).toEqual(expect.arrayContaining(['src/audio/analyze.ts', 'src/inference/pool.ts', 'src/media/index.ts', 'src/runtime/analysis.ts']));
    const heavy = reached.filter((f) => f.startsWith('nodes/') || f.startsWith('src/backends/') || f.startsWith('src/speech/') || ['src/runtime/index.ts', 'src/engine/index.ts', 'src/engine/graph.ts', 'src/engine/evaluator.ts'].includes(f));
    expect(heavy).toEqual([]);
  });

  it("s2v analyze's own bundle (src/cli/analyze-main.ts, everything it can load, dynamic imports included) holds no zod and none of the CLI's other commands", async () => {
    const result = await build({
      entryPoints: [path.join(root, 'src/cli/analyze-main.ts')],
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'cjs',
      external: ['onnxruntime-node', 'esbuild', 'ws', 'vite', 'nw', '@ffmpeg-installer/*', '@ffprobe-installer/*', '@ricky0123/*', '@met4citizen/*', '@vladmandic/*', '@sogni-ai/*'],
      outfile: 'out.cjs',
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs).map(rel);
    expect(inputs).toEqual(expect.arrayContaining(['src/audio/analyze.ts', 'src/cli/analyze.ts', 'src/inference/registry.ts']));
    expect(inputs.filter((f) => f.includes('node_modules/zod/'))).toEqual([]);
    const others = inputs.filter((f) => /^src\/cli\/(graph-commands|studio|pack|unpack|doctor|backends|graph-from|main)\.ts$/.test(f) || f.startsWith('src/server/') || f.startsWith('nodes/'));
    expect(others).toEqual([]);
  });
});
