/**
 * What the last run did to each node, fed by the server's WebSocket events, plus the
 * outputs each node produced (kept across runs so players stay filled) and the render
 * history of Output nodes.
 */
import { atom, type Atom } from 'jotai';
import { selectAtom } from 'jotai/utils';
import type { VideoValue } from '../../engine/types.js';
import type { RunMessage } from '../../protocol/studio-api.js';
import { store } from './store.js';
import { announce } from './status.js';
import { docAtom } from './doc.js';
import { signatures } from './signature.js';

/** `changed`: the node (or something upstream) was edited after this state was recorded. */
export type NodeRunState = 'queued' | 'running' | 'cached' | 'done' | 'error' | 'blocked' | 'cancelled' | 'changed';

export interface NodeRun {
  state: NodeRunState;
  fraction?: number;
  message?: string;
  error?: string;
  blockedBy?: string;
  warnings: string[];
  /** The node's signature (signature.ts) when this state was recorded. */
  sig?: string;
  /** When the node started running (epoch ms), for the time estimate. */
  startedAt?: number;
  /** The frame being rendered (an image file path), while the node runs. */
  preview?: string;
  previewAt?: number;
}

export interface RunState {
  runId?: string;
  status: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  nodes: Record<string, NodeRun>;
  summary?: string;
  error?: string;
  startedAt?: number;
}

/** Signatures of the document as it is now. */
export const currentSigsAtom = atom((get) => signatures(get(docAtom)));

export const runAtom = atom<RunState>({ status: 'idle', nodes: {} });
export type NodeOutputs = Record<string, Record<string, unknown>>;
export const outputsAtom = atom<NodeOutputs>({});
/** A finished render of an Output node and when it finished (epoch ms). */
export type RenderEntry = VideoValue & { renderedAt: number; exported?: string };
/** Earlier renders per Output node, newest first (persisted by render-history.ts). */
export const renderHistoryAtom = atom<Record<string, RenderEntry[]>>({});

const changedOf = new WeakMap<NodeRun, NodeRun>();
/** A recorded state as it holds for the graph now: "changed" once the node or its inputs were edited. */
export function effectiveRun(r: NodeRun | undefined, sig: string | undefined): NodeRun | undefined {
  if (!r || !r.sig || r.sig === sig || r.state === 'running' || r.state === 'queued') return r;
  let c = changedOf.get(r);
  if (!c) {
    c = { state: 'changed', warnings: [], sig: r.sig };
    changedOf.set(r, c);
  }
  return c;
}

const nodeRunAtoms = new Map<string, Atom<NodeRun | undefined>>();
/** Per-node slice so one node's progress re-renders only that node. */
export function nodeRunAtom(id: string): Atom<NodeRun | undefined> {
  let a = nodeRunAtoms.get(id);
  if (!a) {
    const raw = selectAtom(runAtom, (s) => s.nodes[id]);
    const sig = selectAtom(currentSigsAtom, (m) => m.get(id));
    a = atom((get) => effectiveRun(get(raw), get(sig)));
    nodeRunAtoms.set(id, a);
  }
  return a;
}
const nodeOutAtoms = new Map<string, Atom<Record<string, unknown> | undefined>>();
export function nodeOutputsAtom(id: string): Atom<Record<string, unknown> | undefined> {
  let a = nodeOutAtoms.get(id);
  if (!a) {
    a = selectAtom(outputsAtom, (s) => s[id]);
    nodeOutAtoms.set(id, a);
  }
  return a;
}

/** Overall progress 0..1 of the current run. */
export const runProgressAtom = atom((get) => {
  const nodes = Object.values(get(runAtom).nodes).filter((n) => n.state !== 'changed');
  if (!nodes.length) return 0;
  let sum = 0;
  for (const n of nodes) {
    if (n.state === 'running') sum += n.fraction ?? 0;
    else if (n.state !== 'queued') sum += 1;
  }
  return sum / nodes.length;
});

/** A WebSocket message from the server: the server's own wire type, not a second copy. */
export type ServerEvent = RunMessage;

/** Events that arrive before POST /api/runs answers are kept until we know our run id. */
let early: ServerEvent[] = [];

export function beginRun(runId: string): void {
  store.set(runAtom, (s) => ({ ...s, runId }));
  const mine = early.filter((e) => e.runId === runId);
  early = [];
  for (const e of mine) applyEvent(e);
}

/** States before the run that is starting, put back if the server refuses it. */
let beforeRun: RunState | undefined;

/**
 * Mark the run as starting before the server has answered with its id. Nodes outside the
 * run keep what they showed; the run's nodes are queued with the signature they run with.
 */
export function pendingRun(nodeIds: string[]): void {
  const prev = store.get(runAtom);
  beforeRun = prev;
  const sigs = store.get(currentSigsAtom);
  const nodes: Record<string, NodeRun> = { ...prev.nodes };
  for (const id of nodeIds) nodes[id] = { state: 'queued', warnings: [], sig: sigs.get(id) };
  store.set(runAtom, { status: 'running', nodes, startedAt: Date.now() });
}

/**
 * The server refused the run (invalid graph): nothing is queued any more. The node it named
 * shows the reason until the graph changes under it.
 */
export function refuseRun(error: string, node?: string): void {
  const prev = beforeRun ?? { status: 'idle', nodes: {} };
  beforeRun = undefined;
  const nodes = { ...prev.nodes };
  if (node) nodes[node] = { state: 'error', error, warnings: [], sig: store.get(currentSigsAtom).get(node) };
  store.set(runAtom, { status: 'failed', nodes, error, summary: `refused: ${error}` });
}

function patchNode(id: string, f: (n: NodeRun) => NodeRun): void {
  store.set(runAtom, (s) => ({ ...s, nodes: { ...s.nodes, [id]: f(s.nodes[id] ?? { state: 'queued', warnings: [] }) } }));
}

export function applyEvent(e: ServerEvent): void {
  const cur = store.get(runAtom);
  if (!cur.runId || e.runId !== cur.runId) {
    if (cur.status === 'running' && !cur.runId) early.push(e);
    return;
  }
  switch (e.event) {
    case 'run-start':
      for (const id of e.nodes) if (!cur.nodes[id]) patchNode(id, (n) => n);
      break;
    case 'node-start':
      patchNode(e.node, (n) => ({ ...n, state: 'running', fraction: 0, error: undefined, startedAt: Date.now(), preview: undefined }));
      break;
    case 'node-progress':
      patchNode(e.node, (n) => ({
        ...n,
        state: 'running',
        fraction: e.fraction,
        message: e.message,
        ...(e.preview ? { preview: e.preview, previewAt: Date.now() } : {}),
      }));
      break;
    case 'node-cached':
      patchNode(e.node, (n) => ({ ...n, state: 'cached', fraction: 1 }));
      break;
    case 'node-done':
      patchNode(e.node, (n) => ({ ...n, state: 'done', fraction: 1, message: `${e.seconds.toFixed(1)} s`, preview: undefined }));
      break;
    case 'node-warning':
      patchNode(e.node, (n) => ({ ...n, warnings: [...n.warnings, e.message] }));
      break;
    case 'node-error': {
      const cancelled = /E121|cancelled/.test(e.message);
      patchNode(e.node, (n) => ({ ...n, state: cancelled ? 'cancelled' : 'error', error: e.message, preview: undefined }));
      break;
    }
    case 'node-blocked':
      patchNode(e.node, (n) => ({ ...n, state: 'blocked', blockedBy: e.blockedBy }));
      break;
    case 'run-done': {
      if (e.outputs) mergeOutputs(e.outputs, new Set(e.ran));
      const s = store.get(runAtom);
      const wasCancelled = (!e.ok && e.failed.length > 0 && e.failed.every((id) => s.nodes[id]?.state === 'cancelled'));
      const status = e.ok ? 'done' : wasCancelled ? 'cancelled' : 'failed';
      const nodes = { ...s.nodes };
      // Nodes the evaluator never reached (cancel, or outside the target) are no longer queued.
      for (const [id, n] of Object.entries(nodes)) if (n.state === 'queued' || n.state === 'running') nodes[id] = { ...n, state: 'cancelled', preview: undefined };
      // The evaluator counts a cancelled node as failed; the user cancelled, nothing failed.
      const summary =
        status === 'cancelled'
          ? `cancelled after ${e.seconds.toFixed(1)} s: ${e.ran.length} ran, ${e.cached.length} cached`
          : `${e.ran.length} ran, ${e.cached.length} cached, ${e.failed.length} failed, ${e.blocked.length} blocked in ${e.seconds.toFixed(1)} s`;
      store.set(runAtom, { ...s, nodes, status, summary, error: e.error });
      announce(
        status === 'done' ? `Run finished: ${summary}` : status === 'cancelled' ? 'Run cancelled' : `Run failed: ${e.error ?? summary}`,
        status === 'failed' ? 'error' : 'info',
        status === 'failed' ? e.failed[0] : undefined,
      );
      break;
    }
  }
}

const isVideo = (x: unknown): x is VideoValue => !!x && typeof x === 'object' && (x as VideoValue).kind === 'video';

function mergeOutputs(outputs: NodeOutputs, ran: Set<string>): void {
  store.set(outputsAtom, (o) => ({ ...o, ...outputs }));
  const edges = store.get(docAtom).edges;
  store.set(renderHistoryAtom, (h) => {
    const next = { ...h };
    for (const [id, ports] of Object.entries(outputs)) {
      const v = Object.values(ports).find(isVideo);
      if (!v || !ran.has(id)) continue;
      // An Output node rewrites the same file on every run, so the history points at the
      // video that fed it: a content-addressed cache artifact that later runs leave alone.
      const feed = edges.filter((e) => e.to.node === id).map((e) => outputs[e.from.node]?.[e.from.port]).find(isVideo);
      const entry: RenderEntry = { ...(feed ?? v), exported: v.path, renderedAt: Date.now() };
      const list = (next[id] ?? []).filter((x) => x.path !== entry.path);
      next[id] = [entry, ...list].slice(0, 12);
    }
    return next;
  });
}

export const isRunningAtom = atom((get) => get(runAtom).status === 'running');
