import { describe, expect, it } from 'vitest';
import { parseGraph, parseGraphText, validateGraph, canonicalJson, cacheKey, topoOrder } from './index.js';
import { stubCatalog } from '../../test/support/stub-nodes.js';
import { errOf } from '../../test/support/s2v-error.js';

/** A graph from "id:type" nodes and "node.port>node.port" edges, so a test shows its shape at a glance. */
function graphOf(nodes: string[], edges: string[]) {
  const end = (ref: string) => ({ node: ref.split('.')[0]!, port: ref.split('.')[1]! });
  return {
    schemaVersion: 1,
    nodes: nodes.map((n) => ({ id: n.split(':')[0]!, type: n.split(':')[1]!, params: {} })),
    edges: edges.map((e) => ({ from: end(e.split('>')[0]!), to: end(e.split('>')[1]!) })),
  };
}

const base = () => ({
  schemaVersion: 1,
  nodes: [
    { id: 'a', type: 'stub-text', params: {} },
    { id: 'j', type: 'stub-join', params: {} },
  ],
  edges: [{ from: { node: 'a', port: 'text' }, to: { node: 'j', port: 'a' } }],
});

describe('graph document', () => {
  it('rejects text that is not JSON with E101 naming the source', () => {
    const e = errOf(() => parseGraphText('{nope', 'g.json'));
    expect(e.code).toBe('E101');
    expect(e.oneLine()).toMatch(/^E101 g\.json: not valid JSON/);
  });

  it('names the node whose shape is wrong', () => {
    const doc = base();
    (doc.nodes[1] as Record<string, unknown>).type = 42;
    const e = errOf(() => parseGraph(doc, 'g.json'));
    expect(e.code).toBe('E102');
    expect(e.message).toMatch(/^node "j"\.type:/);
  });

  it('says once where a document that is not a graph came from', () => {
    expect(errOf(() => parseGraph(null, 'g.json')).oneLine()).toMatch(/^E102 g\.json: not a graph document \(/);
  });

  it('migrates an unversioned draft and refuses a future version', () => {
    const doc: Record<string, unknown> = base();
    delete doc.schemaVersion;
    expect(parseGraph(doc).schemaVersion).toBe(1);
    expect(errOf(() => parseGraph({ ...base(), schemaVersion: 9 })).message).toMatch(/newer/);
  });

  it('fills defaults for metadata, inputs, positions and versions', () => {
    const g = parseGraph(base());
    expect(g.metadata.title).toBe('Untitled');
    expect(g.inputs).toEqual([]);
    expect(g.nodes[0]!.position).toEqual({ x: 0, y: 0 });
    expect(g.nodes[0]!.version).toBe(1);
  });

  it('validates semantics with errors naming node or edge', () => {
    const unknown = base();
    unknown.nodes[0]!.type = 'warp-drive';
    expect(errOf(() => validateGraph(parseGraph(unknown), stubCatalog)).oneLine()).toMatch(/^E103 node "a": unknown node type "warp-drive"/);

    const mismatch = base();
    mismatch.nodes.push({ id: 'n', type: 'stub-number', params: {} });
    mismatch.edges.push({ from: { node: 'n', port: 'n' }, to: { node: 'j', port: 'b' } });
    const e = errOf(() => validateGraph(parseGraph(mismatch), stubCatalog));
    expect(e.code).toBe('E104');
    expect(e.oneLine()).toContain('n.n → j.b');
    expect(e.message).toContain('number cannot feed text');

    const badPort = base();
    badPort.edges[0]!.to.port = 'zzz';
    expect(errOf(() => validateGraph(parseGraph(badPort), stubCatalog)).message).toMatch(/stub-join has no input "zzz"/);

    const missing = base();
    missing.edges = [];
    expect(errOf(() => validateGraph(parseGraph(missing), stubCatalog)).oneLine()).toMatch(/node "j": required input "a"/);

    const badParam = base();
    badParam.nodes.push({ id: 'n', type: 'stub-number', params: { n: -1 } as never });
    expect(errOf(() => validateGraph(parseGraph(badParam), stubCatalog)).oneLine()).toMatch(/^E106 node "n": param n:/);
  });

  it('finds cycles and names a node on them', () => {
    const doc = graphOf(['x:stub-join', 'y:stub-join'], ['x.text>y.a', 'y.text>x.a']);
    const e = errOf(() => validateGraph(parseGraph(doc), stubCatalog));
    expect(e.code).toBe('E105');
    expect(e.message).toMatch(/cycle through "x", "y"/);
  });

  it('finds a three-node cycle fed from outside, naming every node on it and not the source that feeds it', () => {
    const doc = graphOf(
      ['src:stub-text', 'p:stub-join', 'q:stub-join', 'r:stub-join', 'side:stub-join'],
      ['src.text>p.b', 'src.text>side.a', 'p.text>q.a', 'q.text>r.a', 'r.text>p.a'],
    );
    const e = errOf(() => validateGraph(parseGraph(doc), stubCatalog));
    expect(e.code).toBe('E105');
    expect(e.message).toBe('the graph has a cycle through "p", "q", "r"');
    expect(e.oneLine()).toMatch(/^E105 node "p": /);
    // Without the edge that loops back, the same graph is valid and sorts sources first.
    doc.edges.pop();
    const order = topoOrder(parseGraph(doc));
    expect(order.indexOf('src')).toBeLessThan(order.indexOf('p'));
    expect(order.indexOf('p')).toBeLessThan(order.indexOf('q'));
    expect(order.indexOf('q')).toBeLessThan(order.indexOf('r'));
    expect(order).toHaveLength(5);
  });

  it('finds a node wired to itself', () => {
    const doc = {
      schemaVersion: 1,
      nodes: [{ id: 'x', type: 'stub-join', params: {} }],
      edges: [{ from: { node: 'x', port: 'text' }, to: { node: 'x', port: 'a' } }],
    };
    const e = errOf(() => validateGraph(parseGraph(doc), stubCatalog));
    expect(e.code).toBe('E105');
    expect(e.message).toBe('the graph has a cycle through "x"');
  });

  it('checks that graph inputs bind to a real node param', () => {
    const doc = { ...base(), inputs: [{ name: 'word', type: 'text', bind: { node: 'a', param: 'nope' } }] };
    expect(errOf(() => validateGraph(parseGraph(doc), stubCatalog)).oneLine()).toMatch(/^E107 input "word": node "a" \(stub-text\) has no param "nope"/);
  });
});

describe('cache keys', () => {
  it('are canonical: key order does not matter, values do', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    const k = (params: Record<string, unknown>, inputs: Record<string, string> = {}) => cacheKey({ type: 't', version: 1, params, inputs });
    expect(k({ x: 1, y: 2 })).toBe(k({ y: 2, x: 1 }));
    expect(k({ x: 1 })).not.toBe(k({ x: 2 }));
    expect(k({ x: 1 }, { a: 'u1:text' })).not.toBe(k({ x: 1 }, { a: 'u2:text' }));
    expect(cacheKey({ type: 't', version: 1, params: {}, inputs: {} })).not.toBe(cacheKey({ type: 't', version: 2, params: {}, inputs: {} }));
    expect(cacheKey({ type: 't', version: 1, params: {}, inputs: {}, fingerprint: 'f1' })).not.toBe(
      cacheKey({ type: 't', version: 1, params: {}, inputs: {}, fingerprint: 'f2' }),
    );
  });
});
