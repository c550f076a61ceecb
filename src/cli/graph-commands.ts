/**
 * The commands that work on graphs, models and the cache: `s2v run`, `validate`, `nodes`, `models`
 * and `cache`. Loaded by main.ts only when one of them runs, so that `s2v analyze` (and the other
 * lazily loaded commands) do not initialise the node catalog, the graph schemas and the runtime.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  DiskCache,
  ancestorsOf,
  S2VError,
  errorLine,
  isS2VError,
  makeDirs,
  runGraph,
  type GraphDoc,
  type RunEvent,
  type VideoValue,
} from '../engine/index.js';
import { createRuntime, createServices } from '../runtime/index.js';
import { catalog } from '../../nodes/index.js';
import { exportedFiles } from '../../nodes/output/output.node.js';
import { flagValue, flagValues, hasFlag, parseArgs } from './args.js';
import { parseAssignment, prepareCliGraph, readGraphFile } from './graph-io.js';
import { ProgressBar } from './progress.js';
import type { CliIO } from './io.js';
import { RunWatch, cacheOnlyCatalog, recordingIO, type RunMemoRequest } from './run-memo.js';

export async function validateCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, {});
  const file = p.positional[0];
  if (!file) throw new S2VError('E100', 'which graph? usage: s2v validate <graph.json>', { where: 'validate' });
  noMoreArguments(p.positional.slice(1), 'validate');
  const graph = await readGraphFile(file);
  const { whatIsMissing, formatNeed } = await import('../bundle/needs.js');
  const needs = await whatIsMissing(graph, { catalog, graphDir: path.dirname(path.resolve(file)), backends: createServices().backends });
  if (needs.length) {
    io.stdout(`${graph.metadata.title}: missing before it can run:\n${needs.map((n) => `  - ${formatNeed(n)}\n`).join('')}`);
    io.stderr(`error: E108 ${file}: ${needs.length} thing${needs.length > 1 ? 's' : ''} missing (listed above)\n`);
    return 2;
  }
  await prepareCliGraph(graph, catalog, { graphDir: path.dirname(path.resolve(file)), cwd: process.cwd(), inputs: [], sets: [] });
  io.stdout(`ok: ${graph.metadata.title} — ${graph.nodes.length} nodes, ${graph.edges.length} edges, inputs: ${graph.inputs.map((i) => i.name).join(', ') || 'none'}\n`);
  return 0;
}

/** A word a command takes none of (`s2v nodes foo`) is a mistake to say, not to ignore. */
function noMoreArguments(extra: string[], where: string): void {
  if (extra.length) throw new S2VError('E100', `unexpected argument "${extra[0]}"`, { where, hint: 'run s2v --help' });
}

export function nodesCommand(argv: string[], io: CliIO): number {
  const p = parseArgs(argv, { json: {} });
  noMoreArguments(p.positional, 'nodes');
  const info = catalog.info();
  if (hasFlag(p, 'json')) {
    io.stdout(`${JSON.stringify(info)}\n`);
    return 0;
  }
  for (const n of info) {
    const ins = Object.entries(n.inputs).map(([k, v]) => `${k}:${v.type}${v.optional ? '?' : ''}`).join(', ');
    const outs = Object.entries(n.outputs).map(([k, v]) => `${k}:${v.type}`).join(', ');
    io.stdout(`${n.type.padEnd(15)} ${n.title.padEnd(15)} (${ins || '—'}) → (${outs || '—'})  ${n.description}\n`);
  }
  return 0;
}

export async function modelsCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { json: {} });
  noMoreArguments(p.positional, 'models');
  const services = createServices();
  const models = await services.inference.listModels();
  const remote = (await services.backends?.listRemoteModels()) ?? [];
  if (hasFlag(p, 'json')) {
    io.stdout(`${JSON.stringify([...models, ...remote.map((m) => ({ ...m, kind: m.backend, remote: true, requiresImage: m.image === 'required' }))])}\n`);
    return 0;
  }
  for (const m of models) {
    io.stdout(`${m.id.padEnd(12)} ${m.kind.padEnd(4)} ${m.requiresImage ? 'needs image' : 'no image  '}  ${m.title} — ${m.description.split('. ')[0]}\n`);
  }
  for (const m of remote) {
    const needs = m.image === 'required' ? 'needs image' : m.image === 'optional' ? 'image opt. ' : 'no image   ';
    io.stdout(`${m.id.padEnd(27)} ${m.backend.padEnd(7)} ${needs}  ${m.title} — needs ${m.requirements}\n`);
  }
  io.stdout(`execution provider: ${services.inference.executionProvider()}\n`);
  return 0;
}

export async function cacheCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { 'cache-dir': { value: true }, json: {} });
  const sub = p.positional[0];
  const cache = new DiskCache(flagValue(p, 'cache-dir'));
  if (sub === 'stats') {
    const s = await cache.stats();
    if (hasFlag(p, 'json')) io.stdout(`${JSON.stringify(s)}\n`);
    else io.stdout(`${s.dir}: ${s.entries} entries${s.memos ? `, ${s.memos} run memo${s.memos === 1 ? '' : 's'}` : ''}, ${(s.bytes / 1e6).toFixed(1)} MB (cap ${((s.capBytes ?? 0) / 1e9).toFixed(1)} GB)\n`);
    return 0;
  }
  if (sub === 'clear') {
    await cache.clear();
    io.stdout(`cleared ${cache.dir}\n`);
    return 0;
  }
  throw new S2VError('E100', `expected "stats" or "clear", got "${sub ?? ''}"`, { where: 'cache' });
}

export async function runCommand(argv: string[], io: CliIO, debug = false, memo?: RunMemoRequest): Promise<number> {
  const p = parseArgs(argv, {
    input: { value: true, repeat: true },
    set: { value: true, repeat: true },
    output: { value: true, alias: 'o' },
    to: { value: true },
    'cache-dir': { value: true },
    'no-cache': {},
    preview: {},
    json: {},
    yes: { alias: 'y' },
  });
  const file = p.positional[0];
  if (!file) throw new S2VError('E100', 'which graph? usage: s2v run <graph.json>', { where: 'run' });
  if (p.positional.length > 1) throw new S2VError('E100', `unexpected argument "${p.positional[1]}"`, { where: 'run' });
  const json = hasFlag(p, 'json');
  const target = flagValue(p, 'to');
  const graphFile = path.resolve(file);
  // Seen before anything reads them: a file that changes during the run leaves no memo.
  const watch = memo && !debug && !target && !hasFlag(p, 'no-cache') ? new RunWatch(memo) : undefined;
  watch?.see(graphFile);
  watch?.seeModels();
  const graph = await readGraphFile(graphFile);
  const prepared = await prepareCliGraph(graph, catalog, {
    graphDir: path.dirname(graphFile),
    cwd: process.cwd(),
    inputs: flagValues(p, 'input').map((v) => parseAssignment('--input', v)),
    sets: flagValues(p, 'set').map((v) => parseAssignment('--set', v)),
    output: flagValue(p, 'output'),
  });
  const cacheDir = flagValue(p, 'cache-dir');
  if (cacheDir) await makeDirs(path.resolve(cacheDir));
  // Only the Outputs this run reaches: `--to features` writes no video, so makes no out/ folder.
  const reached = target ? ancestorsOf(prepared, target) : undefined;
  await preflightOutputs(prepared.nodes.filter((n) => n.type === 'output' && (!reached || reached.has(n.id))).map((n) => String(n.params.path ?? 'out/render.mp4')));

  const { cliBackendHooks } = await import('./backends.js');
  // A terminal shows no WebM preview or live frame: they are made only with --preview.
  const runtime = createRuntime({ cacheDir, noCache: hasFlag(p, 'no-cache'), previews: hasFlag(p, 'preview'), ...cliBackendHooks(io, { yes: hasFlag(p, 'yes'), json }) });
  watch?.watch(runtime.services);
  watch?.checkNodes(prepared, runtime.catalog);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const recording = watch ? recordingIO(io) : undefined;
    const { code, result } = await renderGraph(prepared, runtime, recording ?? io, { json, target, signal: controller.signal, debug });
    if (code === 0 && watch && recording) await leaveMemo(watch, prepared, runtime, { io, recorded: recording.recorded, result: result!, json });
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runtime.dispose();
  }
}

type RunResult = Awaited<ReturnType<typeof runGraph>>;
type Runtime = ReturnType<typeof createRuntime>;

/** Runs the graph and prints what `s2v run` prints; the exit code, and the result when it ran. */
async function renderGraph(
  prepared: GraphDoc,
  runtime: Pick<Runtime, 'catalog' | 'services' | 'cache'>,
  io: CliIO,
  opts: { json: boolean; target?: string; signal: AbortSignal; debug: boolean },
): Promise<{ code: number; result?: RunResult }> {
  const { json } = opts;
  let bar: ProgressBar | undefined;
  const warnings: string[] = [];
  const emit = (e: RunEvent) => {
    // The plan comes from the evaluator; the --json stream keeps its documented shape (node events, then "done").
    if (e.event === 'run-start') bar = !json && io.isTTY ? new ProgressBar(e.nodes, io.stderr) : undefined;
    if (e.event === 'run-start' || e.event === 'run-done') return;
    if (e.event === 'node-warning') warnings.push(`${e.node}: ${e.message}`);
    if (json) io.stdout(`${JSON.stringify(e)}\n`);
    else if (bar) bar.update(e);
    else if (e.event === 'node-start' || e.event === 'node-cached' || e.event === 'node-done') {
      io.stderr(`${e.event === 'node-cached' ? 'cached ' : e.event === 'node-start' ? 'run    ' : 'done   '} ${e.node} (${e.type})\n`);
    }
  };
  const result = await runGraph(prepared, {
    catalog: runtime.catalog,
    services: runtime.services,
    cache: runtime.cache,
    signal: opts.signal,
    onEvent: emit,
    target: opts.target,
  });
  bar?.clear();
  const outputs = prepared.nodes
    .filter((n) => n.type === 'output' && result.nodes.get(n.id)?.outputs)
    .map((n) => result.nodes.get(n.id)!.outputs!.video as VideoValue);
  if (!result.ok) {
    const first = result.failed[0];
    const line = `${errorLine(result.error)}${result.blocked.length ? ` — blocked: ${result.blocked.join(', ')}` : ''}`;
    const cancelled = opts.signal.aborted;
    if (json) io.stdout(`${JSON.stringify({ event: cancelled ? 'cancelled' : 'failed', node: first, message: errorLine(result.error), ran: result.ran, cached: result.cached, blocked: result.blocked })}\n`);
    io.stderr(`error: ${cancelled ? 'cancelled' : `node "${first}" failed: ${line}`}\n`);
    if (opts.debug && result.error instanceof Error) io.stderr(`${result.error.stack}\n`);
    // Bad input found while running (corrupt or empty media) is still bad input: exit 2.
    return { code: cancelled ? 130 : isS2VError(result.error) ? result.error.exitCode : 1, result };
  }
  const out = outputs[0];
  if (json) {
    io.stdout(`${JSON.stringify({ event: 'done', output: out?.path ?? null, outputs: outputs.map((o) => o.path), ran: result.ran, cached: result.cached, seconds: round(result.seconds, 3), sync: out?.sync, warnings })}\n`);
  } else {
    for (const w of warnings) io.stderr(`warning: ${w}\n`);
    for (const o of outputs) {
      const sync = o.sync ? ` · sync: onset r=${o.sync.onsetCorrelation.toFixed(2)}, beat alignment ${o.sync.beatAlignment.toFixed(2)}` : '';
      io.stdout(`wrote ${path.relative(process.cwd(), o.path) || o.path} (${o.durationSec.toFixed(2)} s, ${o.frames} frames @ ${o.fps} fps, ${o.width}×${o.height})${sync}\n`);
      if (o.previewPath) io.stdout(`preview ${path.relative(process.cwd(), o.previewPath)}\n`);
    }
    io.stdout(`took ${result.seconds.toFixed(2)} s — ran ${result.ran.length}, cached ${result.cached.length}\n`);
  }
  return { code: 0, result };
}

/**
 * Leaves the run memo for a run that succeeded: from what it printed when every node came from
 * the cache, else from what the graph prints when evaluated again here with nodes that refuse to
 * run (so the first re-run is already answered from the memo). Only a speed-up: any failure
 * means no memo.
 */
async function leaveMemo(watch: RunWatch, prepared: GraphDoc, runtime: Runtime, run: { io: CliIO; recorded: { stdout: string; stderr: string }; result: RunResult; json: boolean }): Promise<void> {
  let why: string | undefined;
  try {
    let { recorded, result } = run;
    if (result.ran.length) {
      const quiet = recordingIO({ stdout: () => undefined, stderr: () => undefined, isTTY: run.io.isTTY });
      const again = await renderGraph(prepared, { ...runtime, catalog: cacheOnlyCatalog(runtime.catalog) }, quiet, { json: run.json, signal: new AbortController().signal, debug: false });
      recorded = quiet.recorded;
      result = again.result!;
      if (again.code !== 0 || result.ran.length) why = 'a re-run would not find every node cached';
    }
    why ??= await watch.write({
      cacheDir: runtime.cache.dir,
      entries: [...result.nodes.values()].map((n) => n.key!),
      outputs: prepared.nodes.filter((n) => n.type === 'output').flatMap((n) => exportedFiles(result.nodes.get(n.id)!.outputs!.video as VideoValue)),
      stdout: recorded.stdout,
      stderr: recorded.stderr,
      inference: runtime.services.inference,
    });
  } catch (e) {
    why = errorLine(e);
  }
  if (process.env.S2V_DEBUG_RUN_MEMO) process.stderr.write(why ? `s2v: no run memo: ${why}\n` : 's2v: run memo written\n');
}

function round(n: number, d: number): number {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}

/** Fail before any work when an output can't be written (exit 2, nothing rendered). */
async function preflightOutputs(paths: string[]): Promise<void> {
  for (const p of paths) {
    const dest = path.resolve(p);
    const dir = path.dirname(dest);
    // The Output node refuses other names too, but only after the whole render.
    if (!/\.(mp4|m4v|mov)$/i.test(dest)) throw new S2VError('E109', 'output file must end in .mp4', { where: dest, hint: 'name it e.g. out.mp4' });
    try {
      await makeDirs(dir);
      // A file made and removed, not access(W_OK): as root, access() says yes to folders like /proc.
      const probe = path.join(dir, `.s2v-write-check-${process.pid}`);
      await (await fs.open(probe, 'wx')).close();
      await fs.rm(probe, { force: true });
    } catch (e) {
      const why = isS2VError(e) ? ` (${e.where}: ${e.message})` : '';
      throw new S2VError('E109', `cannot write the output file here${why}`, { where: dest, hint: 'choose a writable folder with -o' });
    }
    const st = await fs.stat(dest).catch(() => undefined);
    if (st?.isDirectory()) throw new S2VError('E109', 'output path is a folder', { where: dest });
  }
}
