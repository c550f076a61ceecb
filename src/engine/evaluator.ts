/**
 * The evaluator: runs a graph in topological order with bounded concurrency, serving
 * nodes from the cache when their content key matches. Only changed nodes and what is
 * downstream of them run again. Errors are reported on the node that threw; everything
 * downstream of it is reported blocked, not failed.
 */
import type { Catalog } from './catalog.js';
import type { GraphDoc } from './graph.js';
import type { NodeContext, NodeLineage } from './node.js';
import type { Services } from './services/index.js';
import type { CacheStore } from './cache/store.js';
import { cacheKey, canonicalJson, sha256 } from './cache/key.js';
import { ancestorsOf, topoOrder, validateGraph } from './validate.js';
import { S2VError, atNode, cancelledError, errorLine, isS2VError } from './errors.js';
import type { RunEvent, RunSummary } from './run-events.js';
import { randomBytes } from 'node:crypto';

export interface RunOptions {
  catalog: Catalog;
  services: Services;
  cache: CacheStore;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  /** Run only this node and what it depends on. */
  target?: string;
  /** How many independent nodes may run at once. */
  concurrency?: number;
}

export interface NodeResult {
  status: 'ran' | 'cached' | 'error' | 'blocked' | 'cancelled';
  key?: string;
  outputs?: Record<string, unknown>;
  warnings: string[];
  error?: string;
}

export interface RunResult {
  ok: boolean;
  ran: string[];
  cached: string[];
  failed: string[];
  blocked: string[];
  nodes: Map<string, NodeResult>;
  /** First error, as thrown (for exit codes and messages). */
  error?: unknown;
  seconds: number;
  /** The order the run visited its nodes in (as in `run-start`). */
  plan: string[];
  /** As sent in `run-done`. */
  summary: RunSummary;
}

function summarize(v: unknown): string {
  if (v && typeof v === 'object' && 'kind' in v) {
    const o = v as { kind: string; path?: string };
    return o.path ? `${o.kind} ${o.path}` : o.kind;
  }
  if (typeof v === 'string') return v.length > 60 ? `${JSON.stringify(v.slice(0, 57))}…` : JSON.stringify(v);
  return String(v);
}

/** Sub-results (ctx.cached): their own entries, keyed apart from node keys by a prefix in the hash input. */
async function cachedPart<T>(cache: CacheStore, keyParts: unknown, produce: (dir: string) => Promise<T>): Promise<{ value: T; hit: boolean }> {
  const key = sha256(canonicalJson({ part: 1, keyParts }));
  const hit = await cache.get(key);
  if (hit) return { value: hit.outputs.value as T, hit: true };
  const pending = await cache.begin(key);
  try {
    const value = await produce(pending.dir);
    const entry = await pending.commit({ value }, []);
    return { value: entry.outputs.value as T, hit: false };
  } catch (e) {
    await pending.discard().catch(() => undefined);
    throw e;
  }
}

export async function runGraph(graph: GraphDoc, opts: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const { catalog, services, cache } = opts;
  const emit = (e: RunEvent) => opts.onEvent?.(e);
  const params = validateGraph(graph, catalog);
  let order = topoOrder(graph);
  if (opts.target) {
    if (!graph.nodes.some((n) => n.id === opts.target)) {
      throw new S2VError('E100', `no node "${opts.target}" to run up to`, { where: 'target' });
    }
    const keep = ancestorsOf(graph, opts.target);
    order = order.filter((id) => keep.has(id));
  }
  emit({ event: 'run-start', nodes: order });
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, Array<{ port: string; from: string; fromPort: string }>>();
  for (const e of graph.edges) {
    if (!incoming.has(e.to.node)) incoming.set(e.to.node, []);
    incoming.get(e.to.node)!.push({ port: e.to.port, from: e.from.node, fromPort: e.from.port });
  }

  const results = new Map<string, NodeResult>();
  const fingerprints = new Map<string, string>();
  /**
   * Results that must not outlive this run: live input ('never'), a node that called
   * doNotCache, and everything computed from them. Their entries are deleted when the run
   * ends, and they feed downstream keys a one-off key, so nothing downstream is served a
   * cached result that was built from a different value.
   */
  const dropAfterRun: string[] = [];
  const volatile = new Set<string>();
  const ran: string[] = [];
  const cached: string[] = [];
  let firstError: unknown;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const pending = new Set(order);
  const running = new Map<string, Promise<void>>();

  const runOne = async (id: string): Promise<void> => {
    const node = nodeById.get(id)!;
    const def = catalog.require(node.type);
    const p = params.get(id)!;
    const deps = incoming.get(id) ?? [];
    const inputs: Record<string, unknown> = {};
    const inputKeys: Record<string, string> = {};
    for (const d of deps) {
      const r = results.get(d.from)!;
      inputs[d.port] = r.outputs![d.fromPort];
      inputKeys[d.port] = `${r.key}:${d.fromPort}`;
    }
    const warnings: string[] = [];
    let keep = def.cache !== 'never' && !deps.some((d) => volatile.has(d.from));
    const ctx: NodeContext = {
      nodeId: id,
      nodeType: node.type,
      signal: opts.signal ?? new AbortController().signal,
      progress: (fraction, message, extra) =>
        emit({
          event: 'node-progress', node: id, type: node.type, fraction: Math.max(0, Math.min(1, fraction)), message,
          ...(extra?.preview ? { preview: extra.preview } : {}),
        }),
      warn: (message) => {
        warnings.push(message);
        emit({ event: 'node-warning', node: id, type: node.type, message });
      },
      log: () => undefined,
      doNotCache: () => {
        keep = false;
      },
      artifactDir: async () => {
        throw new Error('artifactDir() called before the node started');
      },
      cached: (keyParts, produce) => cachedPart(cache, keyParts, produce),
      lineage: () => lineageOf(graph, id, params, fingerprints, catalog),
      services,
    };
    let pendingEntry: Awaited<ReturnType<CacheStore['begin']>> | undefined;
    try {
      if (opts.signal?.aborted) throw cancelledError(`node "${id}"`, id);
      let fingerprint: string | undefined;
      if (def.cache === 'fingerprint' && def.fingerprint) fingerprint = await def.fingerprint(p, ctx);
      if (fingerprint !== undefined) fingerprints.set(id, fingerprint);
      const key =
        def.cache === 'never'
          ? `never-${randomBytes(12).toString('hex')}`
          : cacheKey({ type: def.type, version: def.version, params: p, fingerprint, inputs: inputKeys });
      if (def.cache !== 'never') {
        const hit = await cache.get(key);
        if (hit && (!def.stillValid || (await def.stillValid(hit.outputs as never, p)))) {
          results.set(id, { status: 'cached', key, outputs: hit.outputs, warnings: hit.warnings });
          cached.push(id);
          for (const w of hit.warnings) emit({ event: 'node-warning', node: id, type: node.type, message: w });
          emit({ event: 'node-cached', node: id, type: node.type });
          return;
        }
      }
      emit({ event: 'node-start', node: id, type: node.type });
      const started = performance.now();
      ctx.artifactDir = async () => {
        pendingEntry ??= await cache.begin(key);
        return pendingEntry.dir;
      };
      const outputs = (await def.evaluate({ inputs: inputs as never, params: p as never, ctx })) as Record<string, unknown>;
      if (opts.signal?.aborted) throw cancelledError(`node "${id}"`, id);
      for (const name of Object.keys(def.outputs)) {
        if (outputs[name] === undefined) throw new S2VError('E120', `produced no "${name}" output`, { ...atNode(id), exitCode: 1 });
      }
      pendingEntry ??= await cache.begin(key);
      const entry = await pendingEntry.commit(outputs, warnings);
      pendingEntry = undefined;
      // Files stay in place while this run's downstream nodes use them; the entry goes at the end.
      if (!keep) {
        dropAfterRun.push(key);
        volatile.add(id);
      }
      results.set(id, { status: 'ran', key: keep ? key : `${key}-once-${randomBytes(8).toString('hex')}`, outputs: entry.outputs, warnings });
      ran.push(id);
      emit({ event: 'node-done', node: id, type: node.type, seconds: (performance.now() - started) / 1000 });
    } catch (e) {
      await pendingEntry?.discard().catch(() => undefined);
      const cancelled = opts.signal?.aborted || (isS2VError(e) && e.code === 'E121');
      const err = cancelled ? cancelledError(`node "${id}"`, id) : e;
      // A node may name itself any way it likes in `where` (often its bare id); the field says which node it was.
      if (isS2VError(err)) err.node ??= id;
      firstError ??= err;
      results.set(id, { status: cancelled ? 'cancelled' : 'error', warnings, error: errorLine(err) });
      const seen: Record<string, string> = {};
      for (const [k, v] of Object.entries(inputs)) seen[k] = summarize(v);
      emit({
        event: 'node-error',
        node: id,
        type: node.type,
        message: errorLine(err),
        code: isS2VError(err) ? err.code : undefined,
        inputs: seen,
      });
    }
  };

  const depsOf = (id: string) => (incoming.get(id) ?? []).map((d) => d.from);
  while (pending.size || running.size) {
    let progressed = false;
    // Walks the set itself (deleting while iterating is safe) and stops once the workers are
    // full: copying and scanning every pending node each time one finished made a wide graph
    // quadratic (32 000 nodes: 92 s, a 100 000-node graph ran for a quarter of an hour, Ctrl-C or not).
    for (const id of pending) {
      if (running.size >= concurrency) break;
      const deps = depsOf(id);
      const bad = deps.find((d) => {
        const s = results.get(d)?.status;
        return s === 'error' || s === 'blocked' || s === 'cancelled';
      });
      if (bad) {
        pending.delete(id);
        // A blocked node's `error` holds the id of the node that failed first upstream.
        const root = results.get(bad)!.status === 'blocked' ? results.get(bad)!.error! : bad;
        results.set(id, { status: 'blocked', warnings: [], error: root });
        emit({ event: 'node-blocked', node: id, type: nodeById.get(id)!.type, blockedBy: root });
        progressed = true;
        continue;
      }
      if (deps.every((d) => results.has(d) && (results.get(d)!.status === 'ran' || results.get(d)!.status === 'cached'))) {
        pending.delete(id);
        const p = runOne(id).finally(() => running.delete(id));
        running.set(id, p);
        progressed = true;
      }
    }
    if (!progressed || running.size >= concurrency) {
      if (running.size) await Promise.race(running.values());
      else if (pending.size && !progressed) break;
    }
  }

  const failed = [...results].filter(([, r]) => r.status === 'error' || r.status === 'cancelled').map(([id]) => id);
  const blocked = [...results].filter(([, r]) => r.status === 'blocked').map(([id]) => id);
  for (const key of dropAfterRun) await cache.delete(key).catch(() => undefined);
  // Eviction walks the cache folder; only a run that wrote entries can have pushed it over the cap.
  if (ran.length) await cache.evict?.().catch(() => undefined);
  const outputs: RunSummary['outputs'] = {};
  for (const [id, r] of results) if (r.outputs && (r.status === 'ran' || r.status === 'cached')) outputs[id] = r.outputs;
  const summary: RunSummary = {
    ok: failed.length === 0 && blocked.length === 0,
    ran,
    cached,
    failed,
    blocked,
    seconds: (performance.now() - t0) / 1000,
    outputs,
    ...(firstError !== undefined ? { error: errorLine(firstError) } : {}),
  };
  emit({ event: 'run-done', ...summary });
  return { ok: summary.ok, ran, cached, failed, blocked, nodes: results, error: firstError, seconds: summary.seconds, plan: order, summary };
}

/** A node and its ancestors as a graph of their own, with resolved params (see NodeContext.lineage). */
function lineageOf(graph: GraphDoc, id: string, params: Map<string, Record<string, unknown>>, fingerprints: Map<string, string>, catalog: Catalog): NodeLineage {
  const keep = ancestorsOf(graph, id);
  const nodes = graph.nodes
    .filter((n) => keep.has(n.id))
    .map((n) => ({ ...n, version: catalog.get(n.type)?.version ?? n.version, params: structuredClone(params.get(n.id) ?? n.params) }));
  return {
    graph: {
      schemaVersion: graph.schemaVersion,
      metadata: structuredClone(graph.metadata),
      inputs: graph.inputs.filter((i) => keep.has(i.bind.node)).map((i) => structuredClone(i)),
      nodes,
      edges: graph.edges.filter((e) => keep.has(e.from.node) && keep.has(e.to.node)).map((e) => structuredClone(e)),
    },
    fingerprints: Object.fromEntries([...fingerprints].filter(([k]) => keep.has(k))),
    fileParams: Object.fromEntries(nodes.map((n) => [n.id, catalog.get(n.type)?.fileParams ?? []])),
  };
}
