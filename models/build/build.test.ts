import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_SPECS, buildModel } from './catalog.js';
import { encodeModel } from './onnx-writer.js';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('model build', () => {
  it.each(MODEL_SPECS.map((s) => [s.id, s] as const))('%s: committed .onnx and manifest equal a fresh in-memory build', (id, spec) => {
    const built = buildModel(spec);
    const onDisk = readFileSync(path.join(modelsDir, id, built.file));
    expect(Buffer.compare(Buffer.from(built.bytes), onDisk), `models/${id}/${built.file} is stale: run npm run build:models`).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(modelsDir, id, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(built.manifest);
    expect(manifest.files[0].sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
    if (built.prepare) {
      const prep = readFileSync(path.join(modelsDir, id, built.prepare.file));
      expect(Buffer.compare(Buffer.from(built.prepare.bytes), prep), `models/${id}/${built.prepare.file} is stale: run npm run build:models`).toBe(0);
    }
    expect(onDisk.length).toBeLessThan(2_000_000);
  });

  it('building twice gives identical bytes', () => {
    for (const spec of MODEL_SPECS) expect(Buffer.from(buildModel(spec).bytes).equals(Buffer.from(buildModel(spec).bytes))).toBe(true);
  });

  it('encodes protobuf fields the way onnx.proto defines them', () => {
    const bytes = encodeModel({
      graphName: 'g', nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'], name: 'n', attrs: { alpha: 0.5, k: -1 } }],
      initializers: [], inputs: [{ name: 'x', type: 'FLOAT', shape: ['N', 2] }], outputs: [{ name: 'y', type: 'FLOAT', shape: ['N', 2] }],
      opset: 17, irVersion: 8, producer: 'p',
    });
    // field 1 (ir_version) varint 8, field 2 (producer_name) "p"
    expect([...bytes.subarray(0, 5)]).toEqual([0x08, 8, 0x12, 1, 0x70]);
    // a negative int attribute is a 10-byte two's-complement varint
    expect(Buffer.from(bytes).includes(Buffer.from([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(true);
    // opset_import: field 8 { domain "", version 17 }
    expect(Buffer.from(bytes).includes(Buffer.from([0x42, 4, 0x0a, 0, 0x10, 17]))).toBe(true);
  });
});
