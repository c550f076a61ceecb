/**
 * The node SDK. A node is one declarative object: identity, typed ports, a zod params
 * schema (type + validator + migration anchor), widget hints (data, never components),
 * a cache policy and `evaluate`. Everything the engine, CLI and studio need lives here.
 */
import type { z } from 'zod';
import type { PortType, PortValueByType } from './types.js';
import type { Services } from './services/index.js';
import type { GraphDoc } from './graph.js';

export interface PortSpec {
  type: PortType;
  label?: string;
  description?: string;
  /** Inputs only: the node runs without it. */
  optional?: boolean;
  /** Inputs only: the param this input replaces when it is wired (the studio shows that param as driven). */
  overrides?: string;
}

/** Hints the studio maps to widgets. Plain data so the engine never imports React. */
export type WidgetHint =
  | { kind: 'file'; accept: 'image' | 'audio' | 'video' | 'graph'; label?: string }
  | { kind: 'text'; multiline?: boolean; placeholder?: string; label?: string }
  | { kind: 'number'; min?: number; max?: number; step?: number; unit?: string; label?: string }
  | { kind: 'slider'; min: number; max: number; step?: number; label?: string }
  | { kind: 'select'; options: Array<{ value: string; label: string }>; label?: string }
  | { kind: 'toggle'; label?: string }
  | { kind: 'model'; label?: string }
  | { kind: 'hidden' };

/**
 * `pure`: output depends only on params + inputs.
 * `fingerprint`: also on outside state (file contents, model files) that `fingerprint()` hashes.
 * `never`: live input (microphone), always re-runs.
 */
export type CachePolicy = 'pure' | 'fingerprint' | 'never';

export interface NodeContext {
  nodeId: string;
  nodeType: string;
  signal: AbortSignal;
  /**
   * 0..1 progress for this node, optionally with a short message and a preview frame (an
   * image file the studio shows on the node while it runs; local and remote models send one).
   */
  progress(fraction: number, message?: string, extra?: { preview?: string }): void;
  /** A warning shown on the node and in the CLI summary. */
  warn(message: string): void;
  log(message: string): void;
  /**
   * This result is a stand-in (e.g. a fallback because a service was down): use it for this
   * run, but do not keep it in the cache, so the next run tries again.
   */
  doNotCache(): void;
  /**
   * A fresh directory for this node's output files. It becomes part of the cache entry
   * only when the node succeeds; a crash or cancel leaves nothing behind.
   */
  artifactDir(): Promise<string>;
  /**
   * A sub-result with its own cache entry (e.g. one segment of a remote generation), so a
   * retake re-runs only the part whose key changed and a failed run keeps the parts that
   * finished. `keyParts` must hold everything the result depends on (never URLs or
   * credentials); `produce` writes its files into `dir` and returns JSON data (paths inside
   * `dir` are kept valid). Hosts without a cache may omit it; callers then run `produce`.
   */
  cached?<T>(keyParts: unknown, produce: (dir: string) => Promise<T>): Promise<{ value: T; hit: boolean }>;
  /**
   * The part of the graph this node's result comes from (itself and its ancestors, params
   * resolved) and the fingerprints (file and model hashes) those nodes reported. Nodes that
   * write a video embed it as provenance. Absent in hosts that run single nodes (tests).
   */
  lineage?(): NodeLineage;
  services: Services;
}

export interface NodeLineage {
  graph: GraphDoc;
  fingerprints: Record<string, string>;
  /** Per node id: which params hold file paths (from the node types' `fileParams`). */
  fileParams: Record<string, string[]>;
}

type InputValues<I extends Record<string, PortSpec>> = {
  [K in keyof I]: I[K]['optional'] extends true
    ? PortValueByType[I[K]['type']] | undefined
    : PortValueByType[I[K]['type']];
};
type OutputValues<O extends Record<string, PortSpec>> = { [K in keyof O]: PortValueByType[O[K]['type']] };

export interface NodeDef<
  I extends Record<string, PortSpec> = Record<string, PortSpec>,
  O extends Record<string, PortSpec> = Record<string, PortSpec>,
  S extends z.ZodType = z.ZodType,
> {
  type: string;
  version: number;
  title: string;
  category: 'source' | 'audio' | 'text' | 'model' | 'output' | 'utility';
  description: string;
  inputs: I;
  outputs: O;
  params: S;
  widgets?: Partial<Record<string, WidgetHint>>;
  /** Params that hold file paths (resolved and fingerprinted by the host). */
  fileParams?: string[];
  cache: CachePolicy;
  /** Hash of outside state the output depends on (file bytes, model hash). */
  fingerprint?(params: z.output<S>, ctx: NodeContext): Promise<string>;
  /** For cached outputs that live outside the cache (e.g. an exported file): still there? */
  stillValid?(outputs: OutputValues<O>, params: z.output<S>): Promise<boolean>;
  /** Upgrade params saved by an older version of this node. */
  migrate?(params: Record<string, unknown>, fromVersion: number): Record<string, unknown>;
  evaluate(args: { inputs: InputValues<I>; params: z.output<S>; ctx: NodeContext }): Promise<OutputValues<O>>;
}

/** Identity helper that keeps the literal types of ports and params. */
export function defineNode<
  const I extends Record<string, PortSpec>,
  const O extends Record<string, PortSpec>,
  S extends z.ZodType,
>(def: NodeDef<I, O, S>): NodeDef<I, O, S> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDef = NodeDef<any, any, any>;

/** JSON-friendly description of a node type for `s2v nodes --json` and the studio palette. */
export interface NodeTypeInfo {
  type: string;
  version: number;
  title: string;
  category: string;
  description: string;
  inputs: Record<string, PortSpec>;
  outputs: Record<string, PortSpec>;
  params: Record<string, { default?: unknown; widget?: WidgetHint; description?: string }>;
  fileParams: string[];
  cache: CachePolicy;
}
