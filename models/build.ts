/**
 * `npm run build:models`: regenerate every shipped ONNX graph and its manifest from the
 * TypeScript builders. Deterministic: running it twice changes nothing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_SPECS, buildModel } from './build/catalog.js';
import { buildFaceModel } from './build/face/catalog.js';
import { buildBilabialModel } from './build/bilabial/build.js';

const modelsDir = path.dirname(fileURLToPath(import.meta.url));

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

for (const spec of MODEL_SPECS) {
  const built = buildModel(spec);
  const dir = path.join(modelsDir, spec.id);
  await fs.mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, built.file), built.bytes);
  if (built.prepare) await writeAtomic(path.join(dir, built.prepare.file), built.prepare.bytes);
  await writeAtomic(path.join(dir, 'manifest.json'), `${JSON.stringify(built.manifest, null, 2)}\n`);
  console.log(`${spec.id}: ${built.file} ${built.bytes.length} bytes sha256 ${(built.manifest.files as Array<{ sha256: string }>)[0]!.sha256.slice(0, 12)}…`);
}

// Models with several files, or trained here (the bilabial detector: a few minutes).
for (const built of [buildFaceModel(), await buildBilabialModel(console.log)]) {
  const dir = path.join(modelsDir, built.id);
  await fs.mkdir(dir, { recursive: true });
  for (const f of built.files) await writeAtomic(path.join(dir, f.name), f.bytes);
  await writeAtomic(path.join(dir, 'manifest.json'), `${JSON.stringify(built.manifest, null, 2)}\n`);
  console.log(`${built.id}: ${built.files.map((f) => `${f.name} ${f.bytes.length} bytes`).join(', ')}`);
}
