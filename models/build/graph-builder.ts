/**
 * A small builder over onnx-writer: values are names, ops append nodes with
 * deterministic generated names, constants become initializers. Builders for the
 * shipped models read like the maths they compute.
 */
import { encodeModel, type AttrValue, type ElemType, type OnnxNode, type Tensor, type ValueInfo } from './onnx-writer.js';

export type V = string;

export class GraphBuilder {
  nodes: OnnxNode[] = [];
  readonly initializers: Tensor[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private counter = 0;
  private constCache = new Map<string, V>();

  constructor(readonly name: string) {}

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, type: ElemType, shape: Array<number | string>): V {
    this.inputs.push({ name, type, shape });
    return name;
  }

  output(value: V, name: string, type: ElemType, shape: Array<number | string>): void {
    this.op('Identity', [value], {}, name);
    this.outputs.push({ name, type, shape });
  }

  /** Append one node; returns its (first) output name. */
  op(opType: string, inputs: V[], attrs: Record<string, AttrValue> = {}, outName?: string): V {
    const out = outName ?? this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [out], name: `n${this.nodes.length}_${opType}`, attrs });
    return out;
  }

  /**
   * ONNX If: `cond` is a one-element bool tensor; each branch builds its value from
   * outer-scope values (constants it creates land in the main graph's initializers).
   * Lets a model skip work a style does not use (e.g. particles when there are none).
   */
  ifElse(cond: V, thenBranch: () => V, elseBranch: () => V, type: ElemType = 'FLOAT'): V {
    const branch = (label: string, build: () => V) => {
      const outer = this.nodes;
      this.nodes = [];
      const value = build();
      const out = this.fresh(`${label}_out`);
      this.op('Identity', [value], {}, out);
      const graph = { graphName: `${this.name}_${out}`, nodes: this.nodes, initializers: [], inputs: [], outputs: [{ name: out, type }] };
      this.nodes = outer;
      return graph;
    };
    const thenGraph = branch('then', thenBranch);
    const elseGraph = branch('else', elseBranch);
    return this.op('If', [cond], { then_branch: { graph: thenGraph }, else_branch: { graph: elseGraph } });
  }

  /** Float constant (scalar when dims is []); identical constants are shared. */
  f(values: number | number[], dims?: number[]): V {
    const arr = typeof values === 'number' ? [values] : values;
    const shape = dims ?? (typeof values === 'number' ? [] : [arr.length]);
    const key = `f:${shape.join('x')}:${arr.join(',')}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = this.fresh('c');
    this.initializers.push({ name, type: 'FLOAT', dims: shape, data: new Float32Array(arr) });
    this.constCache.set(key, name);
    return name;
  }

  /** int64 constant (shapes, axes, indices). */
  i64(values: number | number[], dims?: number[]): V {
    const arr = typeof values === 'number' ? [values] : values;
    const shape = dims ?? (typeof values === 'number' ? [] : [arr.length]);
    const key = `i:${shape.join('x')}:${arr.join(',')}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = this.fresh('k');
    this.initializers.push({ name, type: 'INT64', dims: shape, data: BigInt64Array.from(arr.map((v) => BigInt(v))) });
    this.constCache.set(key, name);
    return name;
  }

  add(a: V, b: V): V { return this.op('Add', [a, b]); }
  sub(a: V, b: V): V { return this.op('Sub', [a, b]); }
  mul(a: V, b: V): V { return this.op('Mul', [a, b]); }
  div(a: V, b: V): V { return this.op('Div', [a, b]); }
  sin(a: V): V { return this.op('Sin', [a]); }
  cos(a: V): V { return this.op('Cos', [a]); }
  exp(a: V): V { return this.op('Exp', [a]); }
  abs(a: V): V { return this.op('Abs', [a]); }
  neg(a: V): V { return this.op('Neg', [a]); }
  sqrt(a: V): V { return this.op('Sqrt', [a]); }
  relu(a: V): V { return this.op('Relu', [a]); }
  max(a: V, b: V): V { return this.op('Max', [a, b]); }
  min(a: V, b: V): V { return this.op('Min', [a, b]); }
  /** a * k + c with float constants. */
  affine(a: V, k: number, c = 0): V {
    const scaled = k === 1 ? a : this.mul(a, this.f(k));
    return c === 0 ? scaled : this.add(scaled, this.f(c));
  }
  clip(a: V, lo: number, hi: number): V { return this.op('Clip', [a, this.f(lo), this.f(hi)]); }
  reshape(a: V, shape: number[] | V): V {
    return this.op('Reshape', [a, typeof shape === 'string' ? shape : this.i64(shape)]);
  }
  unsqueeze(a: V, axes: number[]): V { return this.op('Unsqueeze', [a, this.i64(axes)]); }
  concat(values: V[], axis: number): V { return this.op('Concat', values, { axis }); }
  transpose(a: V, perm: number[]): V { return this.op('Transpose', [a], { perm }); }
  shape(a: V): V { return this.op('Shape', [a]); }
  /** Column `i` of a [N, K] tensor as [N, 1, 1, 1…] with `rank` total dims. */
  column(m: V, i: number, rank = 2): V {
    const col = this.op('Slice', [m, this.i64([i]), this.i64([i + 1]), this.i64([1])]); // [N,1]
    return rank === 2 ? col : this.unsqueeze(col, Array.from({ length: rank - 2 }, (_, k) => k + 2));
  }
  /** Element `i` of a [1, S] style vector as a scalar-like [1]. */
  element(v: V, i: number): V {
    return this.op('Slice', [v, this.i64([i]), this.i64([i + 1]), this.i64([1])]);
  }
  slice(a: V, starts: number[], ends: number[], axes: number[]): V {
    return this.op('Slice', [a, this.i64(starts), this.i64(ends), this.i64(axes)]);
  }
  /** One dimension of a tensor's shape, as a float scalar tensor [1]. */
  dimAsFloat(a: V, axis: number): V {
    const d = this.op('Slice', [this.shape(a), this.i64([axis]), this.i64([axis + 1]), this.i64([0])]);
    return this.op('Cast', [d], { to: 1 });
  }
  dim(a: V, axis: number): V {
    return this.op('Slice', [this.shape(a), this.i64([axis]), this.i64([axis + 1]), this.i64([0])]);
  }

  encode(docString: string, metadata: Record<string, string> = {}): Uint8Array {
    return encodeModel({
      graphName: this.name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      opset: 17,
      irVersion: 8,
      producer: 's2v-studio models/build',
      docString,
      metadata,
    });
  }
}
