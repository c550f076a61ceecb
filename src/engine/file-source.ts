/**
 * The shared shape of source nodes that read one file the user picked (Image, Audio File,
 * Mic): a source with no inputs and one output of the file's kind, a `path` param shown as a
 * file picker, resolved by the host, and a cache key that follows the file's bytes — re-pick
 * the same file and nothing runs again; edit it and it does.
 */
import { z } from 'zod';
import type { NodeContext, WidgetHint } from './node.js';

export function fileSource<const A extends 'image' | 'audio' | 'video'>(accept: A, label: string) {
  return {
    category: 'source' as const,
    inputs: {},
    outputs: { [accept]: { type: accept } } as Record<A, { type: A }>,
    params: z.object({ path: z.string().default('').describe(label) }),
    widgets: { path: { kind: 'file', accept, label } satisfies WidgetHint },
    fileParams: ['path'],
    cache: 'fingerprint' as const,
    async fingerprint(params: { path: string }, ctx: NodeContext): Promise<string> {
      return params.path ? ctx.services.files.hashFile(params.path) : 'none';
    },
  };
}
