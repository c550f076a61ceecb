/** The node catalog: an ordered, immutable list of node types (registered once, at module level). */
import { z } from 'zod';
import type { AnyNodeDef, NodeTypeInfo, WidgetHint } from './node.js';
import { S2VError } from './errors.js';

export interface Catalog {
  readonly defs: readonly AnyNodeDef[];
  get(type: string): AnyNodeDef | undefined;
  /** `at`: where the type was asked for (a readable place, or `atNode(id)` for a graph node). */
  require(type: string, at?: string | { where: string; node?: string }): AnyNodeDef;
  info(): NodeTypeInfo[];
}

export function createCatalog(defs: readonly AnyNodeDef[]): Catalog {
  const byType = new Map<string, AnyNodeDef>();
  for (const d of defs) {
    if (byType.has(d.type)) throw new Error(`duplicate node type ${d.type}`);
    byType.set(d.type, d);
  }
  return {
    defs,
    get: (t) => byType.get(t),
    require(type, at) {
      const d = byType.get(type);
      if (!d) {
        throw new S2VError('E103', `unknown node type "${type}"`, {
          ...(typeof at === 'string' ? { where: at } : at),
          hint: `known types: ${[...byType.keys()].join(', ')}`,
        });
      }
      return d;
    },
    info: () => defs.map(nodeTypeInfo),
  };
}

export function nodeTypeInfo(d: AnyNodeDef): NodeTypeInfo {
  const params: NodeTypeInfo['params'] = {};
  const schema = d.params as z.ZodType;
  const defaults = safeDefaults(schema);
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  for (const key of Object.keys(shape)) {
    params[key] = {
      default: defaults?.[key],
      widget: d.widgets?.[key] as WidgetHint | undefined,
      description: shape[key]?.description,
    };
  }
  return {
    type: d.type,
    version: d.version,
    title: d.title,
    category: d.category,
    description: d.description,
    inputs: d.inputs,
    outputs: d.outputs,
    params,
    fileParams: d.fileParams ?? [],
    cache: d.cache,
  };
}

function safeDefaults(schema: z.ZodType): Record<string, unknown> | undefined {
  const r = schema.safeParse({});
  return r.success ? (r.data as Record<string, unknown>) : undefined;
}
