/**
 * Graph document v1: nodes, edges, graph-level named inputs and metadata.
 * Validated with zod on load; older documents pass through `migrateGraph` first.
 * Graph files are data: nothing here executes code or reads files.
 */
import { z } from 'zod';
import { PORT_TYPES } from './types.js';
import { S2VError } from './errors.js';

export const CURRENT_SCHEMA_VERSION = 1;

const id = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/, 'ids use letters, digits, _ . - (max 64)');

export const graphNodeSchema = z.object({
  id,
  type: z.string().min(1),
  version: z.number().int().positive().default(1),
  params: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  label: z.string().optional(),
});

export const endpointSchema = z.object({ node: id, port: z.string().min(1) });

export const graphEdgeSchema = z.object({
  id: z.string().optional(),
  from: endpointSchema,
  to: endpointSchema,
});

export const graphInputSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'input names are identifiers'),
  type: z.enum([...PORT_TYPES, 'string', 'path']).or(z.string()),
  description: z.string().default(''),
  default: z.unknown().optional(),
  bind: z.object({ node: id, param: z.string().min(1) }),
});

export const graphSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  metadata: z
    .object({
      title: z.string().default('Untitled'),
      description: z.string().default(''),
      tags: z.array(z.string()).default([]),
    })
    .default({ title: 'Untitled', description: '', tags: [] }),
  inputs: z.array(graphInputSchema).default([]),
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema).default([]),
});

export type GraphDoc = z.output<typeof graphSchema>;
export type GraphNode = z.output<typeof graphNodeSchema>;
export type GraphEdge = z.output<typeof graphEdgeSchema>;
export type GraphInput = z.output<typeof graphInputSchema>;

/** Migrations from version N to N+1, keyed by N. Version 0 is the unversioned draft. */
const migrations: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  0: (doc) => ({ ...doc, schemaVersion: 1 }),
};

export function migrateGraph(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let doc = raw as Record<string, unknown>;
  let v = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
  if (v > CURRENT_SCHEMA_VERSION) {
    throw new S2VError('E102', `schemaVersion ${v} is newer than this S2V Studio understands (${CURRENT_SCHEMA_VERSION})`, {
      hint: 'update S2V Studio',
    });
  }
  while (v < CURRENT_SCHEMA_VERSION) {
    const step = migrations[v];
    if (!step) break;
    doc = step(doc);
    v += 1;
  }
  return doc;
}

/** Name the node or edge a zod issue path points at, in the user's words. */
function describePath(raw: unknown, path: PropertyKey[]): string {
  const [head, index, ...rest] = path;
  const r = raw as Record<string, unknown[]> | null;
  if ((head === 'nodes' || head === 'edges' || head === 'inputs') && typeof index === 'number') {
    const item = r?.[head]?.[index] as Record<string, unknown> | undefined;
    const tail = rest.length ? `.${rest.join('.')}` : '';
    if (head === 'nodes') return `node ${typeof item?.id === 'string' ? `"${item.id}"` : `#${index}`}${tail}`;
    if (head === 'inputs') return `input ${typeof item?.name === 'string' ? `"${item.name}"` : `#${index}`}${tail}`;
    return `edge #${index}${tail}`;
  }
  return path.length ? path.join('.') : 'graph';
}

/** Parse and validate a graph document (structure only; see validateGraph for semantics). */
export function parseGraph(raw: unknown, source = 'graph'): GraphDoc {
  const migrated = migrateGraph(raw);
  const res = graphSchema.safeParse(migrated);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    // A problem with the document as a whole is already placed by `where`.
    const what = issue.path.length ? `${describePath(migrated, issue.path)}: ${issue.message}` : `not a graph document (${issue.message})`;
    throw new S2VError('E102', what, {
      where: source,
      hint: 'see README "Graph format"',
    });
  }
  return res.data;
}

export function parseGraphText(text: string, source = 'graph'): GraphDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new S2VError('E101', `not valid JSON (${(e as Error).message.split('\n')[0]})`, { where: source });
  }
  return parseGraph(raw, source);
}
