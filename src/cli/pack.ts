/** `s2v pack <graph.json> -o NAME.s2vpack [--render VIDEO]`: one shareable file (see src/bundle/pack.ts). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { S2VError } from '../engine/index.js';
import { catalog } from '../../nodes/index.js';
import { packGraph } from '../bundle/pack.js';
import { videoThumbnail } from '../media/index.js';
import { readAppVersion } from '../engine/index.js';
import { flagValue, parseArgs } from './args.js';
import type { CliIO } from './io.js';

export async function packCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { output: { value: true, alias: 'o' }, render: { value: true } });
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new S2VError('E100', 'usage: s2v pack <graph.json> -o NAME.s2vpack', { where: 'pack' });
  const out = flagValue(p, 'output') ?? `${path.basename(file, path.extname(file))}.s2vpack`;
  if (!out.endsWith('.s2vpack')) throw new S2VError('E100', 'the bundle name must end in .s2vpack', { where: '-o' });
  const render = flagValue(p, 'render');
  if (render) {
    // Named on purpose: a video that is not there is an error, not a bundle quietly without its thumbnail.
    const st = await fs.stat(path.resolve(render)).catch(() => undefined);
    if (!st?.isFile()) throw new S2VError('E108', st ? 'not a regular file' : 'video not found', { where: path.resolve(render), hint: '--render names the video this graph made (for the thumbnail)' });
  }
  const r = await packGraph(file, out, {
    catalog,
    cwd: process.cwd(),
    appVersion: readAppVersion(),
    ...(render ? { renderPath: path.resolve(render) } : {}),
    thumbnail: (video, png) => videoThumbnail({ input: video, output: png, atSec: 1, width: 320 }),
  });
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  for (const a of r.assets) io.stdout(`  ${a.name}  ${(a.bytes / 1024).toFixed(1)} KB  ← ${path.relative(process.cwd(), a.from) || a.from}\n`);
  io.stdout(`wrote ${path.relative(process.cwd(), r.bundle) || r.bundle} (${(r.bytes / 1024).toFixed(1)} KB: ${r.assets.length} assets, models ${r.models.join(', ') || 'none'}${r.thumbnail ? ', thumbnail' : ''})\n`);
  return 0;
}
