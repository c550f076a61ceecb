/**
 * Runs started from the studio. Each run has its own AbortController; every evaluator
 * event is recorded on the run (for late joiners polling GET /api/runs/:id) and
 * broadcast with its runId over the WebSocket.
 */
import { randomBytes } from 'node:crypto';
import { errorLine, runGraph, type CacheStore, type Catalog, type GraphDoc, type Services } from '../engine/index.js';
import type { RunMessage, RunSummary } from '../protocol/studio-api.js';

export type { RunMessage, RunSummary };

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';


export interface RunRecord {
  runId: string;
  status: RunStatus;
  events: RunMessage[];
  result?: RunSummary;
}

interface LiveRun extends RunRecord {
  controller: AbortController;
  finished: Promise<void>;
}

/** Progress events beyond this many per run are broadcast but not kept (bounded memory). */
const MAX_KEPT_EVENTS = 5000;
/** Finished runs kept for GET /api/runs/:id. */
const MAX_KEPT_RUNS = 50;

export interface RunManagerOptions {
  catalog: Catalog;
  services: Services;
  cache: CacheStore;
  broadcast(msg: RunMessage): void;
  /** Called with every file path found in a finished run's outputs (so it may be served/revealed). */
  onOutputPaths?(paths: string[]): void;
}

function collectPaths(v: unknown, out: string[]): void {
  if (Array.isArray(v)) v.forEach((x) => collectPaths(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'path' || k === 'previewPath') && typeof x === 'string') out.push(x);
      else collectPaths(x, out);
    }
  }
}

export class RunManager {
  private runs = new Map<string, LiveRun>();
  constructor(private readonly opts: RunManagerOptions) {}

  /** Start a run of an already prepared (validated, confined) graph. */
  start(graph: GraphDoc, target?: string): string {
    const runId = randomBytes(8).toString('hex');
    const controller = new AbortController();
    const run: LiveRun = { runId, status: 'running', events: [], controller, finished: Promise.resolve() };
    this.runs.set(runId, run);
    this.prune();
    const emit = (msg: RunMessage) => {
      if (run.events.length < MAX_KEPT_EVENTS || msg.event !== 'node-progress') run.events.push(msg);
      this.opts.broadcast(msg);
    };
    // runGraph emits run-start before its first await, so it is sent before this returns the id.
    run.finished = this.execute(run, graph, target, emit);
    return runId;
  }

  /** The run ended: record it before anyone hears of it, so a client told "done" finds the result and its files. */
  private finish(run: LiveRun, summary: RunSummary, emit: (m: RunMessage) => void): void {
    if (run.result) return;
    const paths: string[] = [];
    collectPaths(summary.outputs, paths);
    this.opts.onOutputPaths?.(paths);
    run.result = summary;
    run.status = run.controller.signal.aborted ? 'cancelled' : summary.ok ? 'done' : 'failed';
    emit({ runId: run.runId, event: 'run-done', ...summary });
  }

  private async execute(run: LiveRun, graph: GraphDoc, target: string | undefined, emit: (m: RunMessage) => void): Promise<void> {
    const { catalog, services, cache } = this.opts;
    const t0 = performance.now();
    try {
      await runGraph(graph, {
        catalog,
        services,
        cache,
        target,
        signal: run.controller.signal,
        onEvent: (e) => {
          if (e.event !== 'run-done') return emit({ runId: run.runId, ...e });
          const { event: _done, ...summary } = e;
          this.finish(run, summary, emit);
        },
      });
    } catch (e) {
      this.finish(run, { ok: false, ran: [], cached: [], failed: [], blocked: [], seconds: (performance.now() - t0) / 1000, outputs: {}, error: errorLine(e) }, emit);
    }
  }

  get(runId: string): RunRecord | undefined {
    const r = this.runs.get(runId);
    return r && { runId: r.runId, status: r.status, events: r.events, result: r.result };
  }

  /** Ask a running run to stop; false when it is unknown or already finished. */
  cancel(runId: string): boolean {
    const r = this.runs.get(runId);
    if (!r || r.status !== 'running') return false;
    r.controller.abort();
    return true;
  }

  /**
   * Cancel everything and wait for the runs to settle (server shutdown), but not forever:
   * a node that ignores its signal must not keep the studio from quitting.
   */
  async closeAll(graceMs = 5000): Promise<void> {
    const live = [...this.runs.values()].filter((r) => r.status === 'running');
    for (const r of live) r.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(live.map((r) => r.finished)), grace]);
    clearTimeout(timer);
  }

  private prune(): void {
    const done = [...this.runs.values()].filter((r) => r.status !== 'running');
    for (const r of done.slice(0, Math.max(0, done.length - MAX_KEPT_RUNS))) this.runs.delete(r.runId);
  }
}
