/**
 * What node tests share: a NodeContext that records what the node reports (warnings, logs,
 * progress, doNotCache) with artifact folders under a temp dir, the real runtime services
 * with their set-up and tear-down, and the error a graph is refused with when validated.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createCatalog, parseGraph, resolveParams, type AnyNodeDef, type NodeContext, type Services } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';

export interface RecordingContext {
  ctx: NodeContext;
  warnings: string[];
  logs: string[];
  progress: number[];
  /** False once the node called ctx.doNotCache(). */
  cacheable(): boolean;
}

export function recordingContext(opts: { services: Services; nodeId?: string; nodeType?: string; signal?: AbortSignal; dir?: string }): RecordingContext {
  const warnings: string[] = [];
  const logs: string[] = [];
  const progress: number[] = [];
  let cacheable = true;
  const ctx: NodeContext = {
    nodeId: opts.nodeId ?? 'n1',
    nodeType: opts.nodeType ?? 'test',
    signal: opts.signal ?? new AbortController().signal,
    progress: (f) => progress.push(f),
    warn: (m) => warnings.push(m),
    log: (m) => logs.push(m),
    doNotCache: () => {
      cacheable = false;
    },
    artifactDir: () => fs.mkdtemp(path.join(opts.dir ?? os.tmpdir(), 's2v-node-')),
    services: opts.services,
  };
  return { ctx, warnings, logs, progress, cacheable: () => cacheable };
}

/**
 * The services `s2v run` wires (CPU provider) and a temp folder, for the tests of one file;
 * inference workers are stopped and the folder removed after them. Read the fields inside tests.
 */
export function useRealServices(prefix: string): { services: Services; tmp: string } {
  const state = {} as { services: Services; tmp: string };
  beforeAll(async () => {
    state.tmp = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    state.services = createServices({ provider: 'cpu' });
  });
  afterAll(async () => {
    await (state.services?.inference as unknown as { dispose?: () => Promise<void> })?.dispose?.();
    if (state.tmp) await fs.rm(state.tmp, { recursive: true, force: true });
  });
  return state;
}

/** The error a one-node graph of `node` with `params` is refused with when validated (undefined if accepted). */
export function refusalOf(node: AnyNodeDef, params: Record<string, unknown>, id = 'n1'): unknown {
  const doc = parseGraph({ version: 1, nodes: [{ id, type: node.type, version: node.version, params }], edges: [] });
  try {
    resolveParams(doc, createCatalog([node]));
  } catch (e) {
    return e;
  }
  return undefined;
}
