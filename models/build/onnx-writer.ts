/**
 * A tiny, deterministic ONNX protobuf writer: just the parts of onnx.proto we need to
 * describe inference graphs (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto). Same input → same bytes, so the committed .onnx files
 * can be checked against a rebuild. No Python, no protobufjs.
 */

/** ONNX TensorProto.DataType values we use. */
export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type ElemType = keyof typeof DataType;

export interface Tensor {
  name: string;
  type: ElemType;
  dims: number[];
  data: Float32Array | Uint8Array | Int32Array | BigInt64Array;
}

export type AttrValue = number | string | number[] | { ints: number[] } | { floats: number[] } | { tensor: Tensor } | { graph: OnnxGraph };

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs?: Record<string, AttrValue>;
}

export interface ValueInfo {
  name: string;
  type: ElemType;
  /** Numbers are fixed sizes; strings are symbolic dims (e.g. "N"); omitted = unknown rank. */
  shape?: Array<number | string>;
}

/** A graph body: the main graph, or an If branch (which may read outer-scope values). */
export interface OnnxGraph {
  graphName: string;
  nodes: OnnxNode[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

export interface OnnxModel extends OnnxGraph {
  opset: number;
  irVersion: number;
  producer: string;
  docString?: string;
  metadata?: Record<string, string>;
}

/** Growable byte buffer with protobuf primitives. */
class Writer {
  private buf = new Uint8Array(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Base-128 varint; negative int64 values are written as 10-byte two's complement. */
  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytes(b);
  }

  lenDelimited(field: number, payload: Uint8Array): void {
    this.tag(field, 2);
    this.varint(payload.length);
    this.bytes(payload);
  }

  string(field: number, s: string): void {
    this.lenDelimited(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: Writer) => void): void {
    const w = new Writer();
    build(w);
    this.lenDelimited(field, w.finish());
  }

  packedInts(field: number, values: Array<number | bigint>): void {
    const w = new Writer();
    for (const v of values) w.varint(v);
    this.lenDelimited(field, w.finish());
  }

  packedFloats(field: number, values: number[]): void {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    this.lenDelimited(field, b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function rawBytes(t: Tensor): Uint8Array {
  // ONNX raw_data is little-endian, which is every platform Node runs on.
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

function writeTensor(w: Writer, t: Tensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, DataType[t.type]);
  w.string(8, t.name);
  w.lenDelimited(9, rawBytes(t));
}

const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } as const;

function writeAttr(w: Writer, name: string, v: AttrValue): void {
  w.string(1, name);
  if (typeof v === 'number') {
    if (Number.isInteger(v) && !Object.is(v, -0)) {
      w.int(3, v);
      w.int(20, AttrType.INT);
    } else {
      w.float(2, v);
      w.int(20, AttrType.FLOAT);
    }
  } else if (typeof v === 'string') {
    w.lenDelimited(4, new TextEncoder().encode(v));
    w.int(20, AttrType.STRING);
  } else if (Array.isArray(v) || 'ints' in v) {
    w.packedInts(8, Array.isArray(v) ? v : v.ints);
    w.int(20, AttrType.INTS);
  } else if ('floats' in v) {
    w.packedFloats(7, v.floats);
    w.int(20, AttrType.FLOATS);
  } else if ('graph' in v) {
    w.message(6, (gw) => writeGraph(gw, v.graph));
    w.int(20, AttrType.GRAPH);
  } else {
    w.message(5, (tw) => writeTensor(tw, v.tensor));
    w.int(20, AttrType.TENSOR);
  }
}

function writeNode(w: Writer, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  // Attribute order is part of the bytes; sort names so builders need not care.
  for (const key of Object.keys(n.attrs ?? {}).sort()) w.message(5, (aw) => writeAttr(aw, key, n.attrs![key]!));
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (tw) =>
    tw.message(1, (tt) => {
      tt.int(1, DataType[v.type]);
      const shape = v.shape;
      if (shape) {
        tt.message(2, (sw) => {
          for (const d of shape) sw.message(1, (dw) => (typeof d === 'number' ? dw.int(1, d) : dw.string(2, d)));
        });
      }
    }),
  );
}

function writeGraph(g: Writer, m: OnnxGraph): void {
  for (const n of m.nodes) g.message(1, (nw) => writeNode(nw, n));
  g.string(2, m.graphName);
  for (const t of m.initializers) g.message(5, (tw) => writeTensor(tw, t));
  for (const i of m.inputs) g.message(11, (vw) => writeValueInfo(vw, i));
  for (const o of m.outputs) g.message(12, (vw) => writeValueInfo(vw, o));
}

/** Serialise a model to ONNX protobuf bytes. */
export function encodeModel(m: OnnxModel): Uint8Array {
  const w = new Writer();
  w.int(1, m.irVersion);
  w.string(2, m.producer);
  w.string(3, '1');
  if (m.docString) w.string(6, m.docString);
  w.message(7, (g) => writeGraph(g, m));
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, m.opset);
  });
  for (const key of Object.keys(m.metadata ?? {}).sort()) {
    w.message(14, (e) => {
      e.string(1, key);
      e.string(2, m.metadata![key]!);
    });
  }
  return w.finish();
}
