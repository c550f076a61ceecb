/**
 * Restore a graph from a video's provenance (s2v graph-from, and a video dropped on the
 * studio canvas). The result validates against this build's catalog; when the video was a
 * Video Model or Compare result (no Output node in its lineage), an Output node is added so
 * the graph renders to a file again.
 */
import { parseGraph, validateGraph, type Catalog, type GraphDoc } from '../engine/index.js';
import { decodeProvenance, PROVENANCE_TAG, type Provenance } from '../engine/index.js';

export interface Restored {
  graph: GraphDoc;
  provenance: Provenance;
}

export function graphFromTags(tags: Record<string, string>, where: string, catalog: Catalog): Restored {
  const provenance = decodeProvenance(tags[PROVENANCE_TAG], where);
  const graph = parseGraph(provenance.graph, `${where} (provenance)`);
  const target = graph.nodes.find((n) => n.id === provenance.target);
  if (target && target.type !== 'output' && catalog.get(target.type)?.outputs.video) {
    let id = 'output';
    for (let i = 2; graph.nodes.some((n) => n.id === id); i++) id = `output${i}`;
    graph.nodes.push({ id, type: 'output', version: catalog.get('output')?.version ?? 1, params: { path: 'out/restored.mp4' }, position: { x: target.position.x + 320, y: target.position.y } });
    graph.edges.push({ from: { node: target.id, port: 'video' }, to: { node: id, port: 'video' } });
  }
  validateGraph(graph, catalog);
  return { graph, provenance };
}
