import { useAtomValue } from 'jotai';
import { selectAtom } from 'jotai/utils';
import { useMemo } from 'react';
import type { GraphDoc, GraphNode } from '../../engine/graph.js';
import type { AudioValue } from '../../engine/types.js';
import { docAtom } from '../state/doc.js';
import { outputsAtom } from '../state/run.js';
import { infoFor } from '../state/catalog.js';
import { downstreamOf, upstreamOf } from '../graph/ops.js';

/** The nodes feeding each input of `nodeId` (re-renders only when those links change). */
export function useUpstream(nodeId: string): Map<string, { node: GraphNode; port: string }> {
  const a = useMemo(
    () =>
      selectAtom(
        docAtom,
        (doc: GraphDoc) => upstreamOf(doc, nodeId),
        (a, b) => a.size === b.size && [...a].every(([k, v]) => b.get(k)?.node === v.node && b.get(k)?.port === v.port),
      ),
    [nodeId],
  );
  return useAtomValue(a);
}

export function useDownstream(nodeId: string): GraphNode[] {
  const a = useMemo(
    () =>
      selectAtom(
        docAtom,
        (doc: GraphDoc) => downstreamOf(doc, nodeId),
        (a, b) => a.length === b.length && a.every((n, i) => n === b[i]),
      ),
    [nodeId],
  );
  return useAtomValue(a);
}

/**
 * Where the audio feeding a node can be heard before running: a source node's file param,
 * else the audio that node produced in the last run.
 */
export function useUpstreamAudioPath(nodeId: string): string | undefined {
  const up = useUpstream(nodeId);
  const outputs = useAtomValue(outputsAtom);
  for (const [, { node, port }] of up) {
    const info = infoFor(node.type);
    if (info?.outputs[port]?.type !== 'audio') continue;
    const produced = outputs[node.id]?.[port] as AudioValue | undefined;
    for (const fp of info.fileParams) {
      const v = node.params[fp];
      if (typeof v === 'string' && v) return v;
    }
    if (produced?.path) return produced.path;
  }
  return undefined;
}
