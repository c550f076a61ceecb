/**
 * Renders each template in graphs/ small (Video Models at 256 px) and keeps one frame as
 * graphs/thumbnails/<id>.jpg for the gallery. Run after changing a template or a model:
 *   node bin/tsx-run.js test/support/build-thumbnails.ts [template-id …]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGraphText } from '../../src/engine/index.js';
import { main } from '../../src/cli/main.js';
import { createMediaService, videoThumbnail } from '../../src/media/index.js';

const GRAPHS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../graphs');

const only = process.argv.slice(2);
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-thumbs-'));
await fs.mkdir(path.join(GRAPHS, 'thumbnails'), { recursive: true });
try {
  for (const f of (await fs.readdir(GRAPHS)).filter((n) => n.endsWith('.json')).sort()) {
    const id = f.slice(0, -5);
    if (only.length && !only.includes(id)) continue;
    const graph = parseGraphText(await fs.readFile(path.join(GRAPHS, f), 'utf8'), f);
    const sets = graph.nodes.filter((n) => n.type === 'video-model').flatMap((n) => ['--set', `${n.id}.width=256`, '--set', `${n.id}.height=256`]);
    const out = path.join(tmp, `${id}.mp4`);
    const code = await main(['run', path.join(GRAPHS, f), ...sets, '-o', out, '--cache-dir', path.join(tmp, 'cache')], {
      stdout: (s) => process.stdout.write(`${id}: ${s}`),
      stderr: () => undefined,
      isTTY: false,
    });
    if (code !== 0) {
      console.log(`${id}: skipped (render exit ${code}; it may need a remote backend)`);
      continue;
    }
    const probe = await createMediaService().probe(out);
    const dest = path.join(GRAPHS, 'thumbnails', `${id}.jpg`);
    await videoThumbnail({ input: out, output: dest, atSec: probe.durationSec / 3, width: 240, jpeg: true });
    console.log(`${id}: ${path.relative(process.cwd(), dest)} (${((await fs.stat(dest)).size / 1024).toFixed(1)} KB)`);
  }
} finally {
  await fs.rm(tmp, { recursive: true, force: true });
}
