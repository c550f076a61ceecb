/** `s2v graph-from VIDEO.mp4 [-o graph.json]`: the graph a video was made with, from its provenance. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { S2VError } from '../engine/index.js';
import { catalog } from '../../nodes/index.js';
import { graphFromTags } from '../bundle/restore.js';
import { createMediaService } from '../media/index.js';
import { flagValue, parseArgs } from './args.js';
import type { CliIO } from './io.js';

export async function graphFromCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { output: { value: true, alias: 'o' } });
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new S2VError('E100', 'usage: s2v graph-from VIDEO.mp4 [-o graph.json]', { where: 'graph-from' });
  const media = createMediaService();
  const tags = await media.readTags!(path.resolve(file));
  const { graph, provenance } = graphFromTags(tags, file, catalog);
  const text = `${JSON.stringify(graph, null, 2)}\n`;
  const out = flagValue(p, 'output');
  if (!out) {
    io.stdout(text);
    return 0;
  }
  const dest = path.resolve(out);
  const tmp = `${dest}.${process.pid}.tmp`;
  try {
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, dest);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new S2VError('E109', `cannot write the graph (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: dest });
  }
  io.stdout(`wrote ${path.relative(process.cwd(), dest) || dest}: "${graph.metadata.title}", made by S2V Studio ${provenance.app.version}\n`);
  for (const f of provenance.files) io.stdout(`  needs ${f.name} (sha256 ${f.sha256.slice(0, 16)}…) for node "${f.node}".${f.param} — put it beside the graph or pass --input\n`);
  return 0;
}
