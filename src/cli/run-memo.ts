/**
 * Writing the run memo that bin/run-memo.js answers a run from without loading the engine (its
 * header says what a memo holds and how it is read). A RunWatch sees, before the run reads them,
 * every file the "all cached" verdict depends on:
 * - the graph file, and the input files the fingerprints hash (files.hashFile is wrapped);
 * - the whole models/ folder: its listing, every model folder's manifest.json (present or not:
 *   both registries read them all, and one bad manifest fails a run) and the files under each
 *   model folder (model weights, ComfyUI workflows) — model files inside npm packages are not
 *   there, so a run whose fingerprint hashed such a model leaves no memo;
 * and after the run, the exported videos and the files Output wrote beside them (its stillValid()
 * compares the video's size and checks the preview and sync report are there) and every
 * node's cache entry (its meta.json as a file: a new one under the same key is told apart). A memo is written only when the run's own verdict was "every node cached"
 * — checked, after a run that did work, by running the graph once more in this process with
 * nodes that refuse to run — and only when every watched file is, at the end, exactly as first
 * seen and had settled before the run began (its newer of mtime and ctime at least SETTLE_MS
 * old, file-hashes.ts's rule: an edit inside the same timestamp tick would leave its stats as
 * they were). What the run's cached nodes compute from besides their params and inputs is
 * listed per node type below (KNOWN_FINGERPRINTS, KNOWN_STILL_VALID); a graph with any other
 * fingerprint() or stillValid() leaves no memo. Everything else that decides a run — the code,
 * the node versions, the params' schemas — is in the CLI bundle whose name keys the memo.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { SETTLE_MS, createCatalog, makeDirs, replaceFile, type Catalog, type GraphDoc, type InferenceService, type Services } from '../engine/index.js';
import { DEFAULT_MODELS_DIR } from '../inference/index.js';
import type { CliIO } from './io.js';

/** What bin/run-memo.js's runMemoRequest() says this run is asked (see there). */
export interface RunMemoRequest {
  key: string;
  /** Where the memo goes (inside `cacheDir`). */
  file: string;
  cacheDir: string;
  argv: string[];
  cwd: string;
  /** The environment variables that can change a run, credentials left out and server addresses without user info or query (run-memo.js memoValue), as [name, value]. */
  env: Array<[string, string]>;
  bundle: string;
  tty: number | false;
  /** Whether the CLI bundle is still the one the key names. */
  stillCurrent(): boolean;
}

/** Must match bin/run-memo.js (a test checks). */
export const MEMO_FORMAT = 3;

/**
 * Node types whose fingerprint() reads only what a RunWatch sees: input files through
 * files.hashFile (Image, Audio File, Mic), models/ plus --preview (Video Model), models/ (Audio
 * Features), and the code fingerprints the bundle carries (Audio Features, Screenwriter,
 * Audio-Generate, Video Model: the bundle's name keys the memo, and a change to the beat net's
 * weights makes a new bundle).
 */
export const KNOWN_FINGERPRINTS: ReadonlySet<string> = new Set(['image', 'audio-file', 'mic', 'video-model', 'audio-features', 'screenwriter', 'audio-generate']);
/** Node types whose stillValid() reads only their exported files (Output: the video, its preview and sync report). */
export const KNOWN_STILL_VALID: ReadonlySet<string> = new Set(['output']);

type Seen = Stats | undefined | 'unreadable';

function statNow(file: string): Seen {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return 'unreadable';
  }
}

function readBytes(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The real path (links resolved), or undefined when there is none now. */
function realNow(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

const identity = (file: string, st: Stats, real: string) => [file, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.dev, real] as const;
const sameFile = (a: Stats, b: Stats) => a.isFile() && b.isFile() && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;

/** What a finished run printed and left in the cache, as the memo needs it. */
export interface FinishedRun {
  /** The cache folder the run used (undefined: none kept, --no-cache). */
  cacheDir: string | undefined;
  /** Every node's cache key (all were served from the cache). */
  entries: string[];
  /** The exported files (videos and what Output wrote beside them). */
  outputs: string[];
  stdout: string;
  stderr: string;
  inference: InferenceService;
}

export class RunWatch {
  private readonly started = Date.now();
  private readonly seen = new Map<string, Seen>();
  private readonly real = new Map<string, string | undefined>();
  private readonly dirs = new Map<string, string[]>();
  private readonly models = new Set<string>();
  private problem?: string;

  constructor(
    readonly request: RunMemoRequest,
    readonly modelsDir: string = DEFAULT_MODELS_DIR,
  ) {}

  /** Why no memo may be written (the first reason given wins). */
  refuse(why: string): void {
    this.problem ??= why;
  }

  /** Records a file's stats now, before the run reads it; the first sight is the one kept. */
  see(file: string): void {
    const abs = path.resolve(file);
    if (this.seen.has(abs)) return;
    this.seen.set(abs, statNow(abs));
    this.real.set(abs, realNow(abs));
  }

  private seeTree(dir: string): void {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) this.seeTree(p);
      else this.see(p);
    }
  }

  /** The models folder as the model registries will read it. */
  seeModels(): void {
    try {
      const names = readdirSync(this.modelsDir, { withFileTypes: true });
      this.dirs.set(this.modelsDir, names.map((e) => e.name).sort());
      for (const e of names) {
        if (!e.isDirectory()) continue;
        const manifest = path.join(this.modelsDir, e.name, 'manifest.json');
        this.see(manifest);
        if (this.seen.get(manifest) === undefined) continue;
        this.seeTree(path.join(this.modelsDir, e.name));
        this.checkManifest(manifest);
      }
    } catch (e) {
      this.refuse(`cannot list ${this.modelsDir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  /**
   * A manifest may name files outside its folder (files[].name or comfyui.workflow with `../`,
   * src/inference/registry.ts, src/backends/remote-models.ts): the registries read them, but this
   * watch sees only the model folders, so such a manifest leaves no memo. (One that does not parse
   * is the registries' to report.)
   */
  private checkManifest(manifest: string): void {
    let m: { files?: unknown; comfyui?: { workflow?: unknown } } | undefined;
    try {
      m = JSON.parse(readFileSync(manifest, 'utf8')) as typeof m;
    } catch {
      return;
    }
    const dir = path.dirname(manifest);
    const named: unknown[] = [m?.comfyui?.workflow];
    if (Array.isArray(m?.files)) for (const f of m.files as Array<{ name?: unknown; package?: unknown } | null>) if (f && !f.package) named.push(f.name);
    for (const name of named) {
      if (typeof name !== 'string') continue;
      const rel = path.relative(dir, path.resolve(dir, name));
      if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) this.refuse(`${manifest} names a file outside its folder ("${name}")`);
    }
  }

  /** Every file a fingerprint hashes is seen before it is read, and every model asked for is noted. */
  watch(services: Services): void {
    const { files, inference } = services;
    const hashFile = files.hashFile.bind(files);
    files.hashFile = async (p) => {
      this.see(p);
      return hashFile(p);
    };
    const modelHash = inference.modelHash.bind(inference);
    inference.modelHash = async (id) => {
      this.models.add(id);
      return modelHash(id);
    };
  }

  /** Refuses graphs whose nodes compute keys or validity from something this watch does not see. */
  checkNodes(graph: GraphDoc, catalog: Catalog): void {
    for (const n of graph.nodes) {
      const def = catalog.get(n.type);
      if (def?.fingerprint && !KNOWN_FINGERPRINTS.has(def.type)) this.refuse(`node type "${def.type}" has a fingerprint the run memo cannot check`);
      if (def?.stillValid && !KNOWN_STILL_VALID.has(def.type)) this.refuse(`node type "${def.type}" has a validity check the run memo cannot repeat`);
    }
  }

  /** Writes the memo for `run`; returns why not when it may not. */
  async write(run: FinishedRun): Promise<string | undefined> {
    if (this.problem) return this.problem;
    const req = this.request;
    if (run.cacheDir === undefined || path.resolve(run.cacheDir) !== req.cacheDir) return `the cache folder is not ${req.cacheDir}`;
    for (const id of this.models) {
      if ((await run.inference.getModel(id)).files.some((f) => f.package)) return `model "${id}" has files outside ${this.modelsDir}`;
    }
    const files: Array<readonly [string] | ReturnType<typeof identity>> = [];
    for (const [file, then] of this.seen) {
      const now = statNow(file);
      if (then === 'unreadable' || now === 'unreadable') return `cannot stat ${file}`;
      if (then === undefined || now === undefined) {
        if (then !== now) return `${file} appeared or went during the run`;
        files.push([file]);
        continue;
      }
      const real = realNow(file);
      if (!sameFile(then, now) || real === undefined || real !== this.real.get(file)) return `${file} changed during the run`;
      if (Math.max(now.mtimeMs, now.ctimeMs) > this.started - SETTLE_MS) return `${file} was modified less than ${SETTLE_MS / 1000} s before the run`;
      files.push(identity(file, now, real));
    }
    for (const dir of this.dirs.keys()) {
      const names = readdirSync(dir).sort();
      if (names.join('\0') !== this.dirs.get(dir)!.join('\0')) return `${dir} changed during the run`;
    }
    // The exported videos need not have settled: the slow path trusts their size alone.
    for (const out of run.outputs) {
      const st = statNow(out);
      const real = realNow(out);
      if (!st || st === 'unreadable' || !st.isFile() || real === undefined) return `the output ${out} is not there`;
      files.push(identity(out, st, real));
    }
    const entries: Array<[string, number, number, number, number | string]> = [];
    for (const key of run.entries) {
      const file = path.join(req.cacheDir, 'entries', key, 'meta.json');
      const st = /^[0-9a-f]{64}$/.test(key) ? statNow(file) : undefined;
      // A birth time tells a new entry under the same key from the old one; without one, the bytes do.
      const made = st && st !== 'unreadable' ? (st.birthtimeMs > 0 ? st.birthtimeMs : readBytes(file)) : undefined;
      if (!st || st === 'unreadable' || made === undefined) return `cache entry ${key} is not there`;
      entries.push([key, st.size, st.ino, st.dev, typeof made === 'number' ? made : createHash('sha256').update(made).digest('hex')]);
    }
    const last = lastLine(run.stdout);
    if (!last) return 'the run did not end as a fully cached run prints';
    if (!req.stillCurrent()) return 'the CLI sources changed during the run';
    const memo = {
      format: MEMO_FORMAT,
      key: req.key,
      bundle: req.bundle,
      argv: req.argv,
      cwd: req.cwd,
      env: req.env,
      tty: req.tty,
      cacheDir: req.cacheDir,
      files,
      dirs: [...this.dirs],
      entries,
      writable: [...new Set(run.outputs.map((o) => path.dirname(o)))],
      stderr: run.stderr,
      stdout: run.stdout.slice(0, last.at),
      last: last.value,
    };
    await makeDirs(path.dirname(req.file));
    // Readable by its owner only: it keeps the arguments and what the run printed.
    await replaceFile(req.file, JSON.stringify(memo), 0o600);
    return undefined;
  }
}

/** The run's closing line (`took …`, or --json's "done" event) as the memo replays it. */
function lastLine(stdout: string): { at: number; value: { kind: 'text'; cached: number } | { kind: 'json'; done: Record<string, unknown> } } | undefined {
  if (!stdout.endsWith('\n')) return undefined;
  const at = stdout.lastIndexOf('\n', stdout.length - 2) + 1;
  const line = stdout.slice(at, -1);
  const took = /^took \d+\.\d\d s — ran 0, cached (\d+)$/.exec(line);
  if (took) return { at, value: { kind: 'text', cached: Number(took[1]) } };
  try {
    const done = JSON.parse(line) as Record<string, unknown>;
    if (done && done.event === 'done' && Array.isArray(done.ran) && done.ran.length === 0 && typeof done.seconds === 'number') return { at, value: { kind: 'json', done } };
  } catch {
    // not JSON: not a line this memo can replay
  }
  return undefined;
}

/** `io`, with everything written through it kept (the memo replays it). */
export function recordingIO(io: CliIO): CliIO & { recorded: { stdout: string; stderr: string } } {
  const recorded = { stdout: '', stderr: '' };
  return {
    ...io,
    recorded,
    stdout: (s) => {
      recorded.stdout += s;
      io.stdout(s);
    },
    stderr: (s) => {
      recorded.stderr += s;
      io.stderr(s);
    },
  };
}

/**
 * The catalog with every node unable to run: evaluating the graph with it after a run that did
 * work tells, without doing any, whether a re-run would find every node cached, and what it prints.
 */
export function cacheOnlyCatalog(catalog: Catalog): Catalog {
  return createCatalog(
    catalog.defs.map((d) => ({
      ...d,
      evaluate: async () => {
        throw new Error(`node type "${d.type}" would run`);
      },
    })),
  );
}
