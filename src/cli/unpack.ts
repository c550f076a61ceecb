/** `s2v unpack NAME.s2vpack [-d DIR]`: check everything, then write (see src/bundle/unpack.ts); lists what is missing. */
import path from 'node:path';
import { S2VError } from '../engine/index.js';
import { catalog } from '../../nodes/index.js';
import { unpackBundle } from '../bundle/unpack.js';
import { formatNeed, whatIsMissing } from '../bundle/needs.js';
import { createServices } from '../runtime/index.js';
import { flagValue, parseArgs } from './args.js';
import type { CliIO } from './io.js';

export async function unpackCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { dir: { value: true, alias: 'd' } });
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new S2VError('E100', 'usage: s2v unpack NAME.s2vpack [-d DIR]', { where: 'unpack' });
  const dir = flagValue(p, 'dir') ?? path.basename(file).replace(/\.s2vpack$/i, '') ?? 'bundle';
  const r = await unpackBundle(path.resolve(file), dir, catalog);
  const rel = path.relative(process.cwd(), r.graphPath) || r.graphPath;
  io.stdout(`unpacked "${r.index.title}" into ${path.relative(process.cwd(), r.dir) || '.'}: ${r.index.entries.length} files, graph ${rel}\n`);
  const needs = await whatIsMissing(r.graph, { catalog, graphDir: r.dir, backends: createServices().backends, sharedModels: r.models });
  if (needs.length) {
    io.stdout(`before running it, you need:\n`);
    for (const n of needs) io.stdout(`  - ${formatNeed(n)}\n`);
  } else io.stdout(`ready: s2v run ${rel}\n`);
  return 0;
}
