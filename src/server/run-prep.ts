/**
 * Turning a graph from the browser into one that is safe to run. A graph may have been
 * shared by someone else, so its file params may only read from the uploaded assets or
 * the shipped graphs/ folder, and its Output nodes write only under outputs/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { S2VError, atNode, insideRoots, isWithin, realOrResolved, type FilePolicy } from '../engine/index.js';

export interface RunRoots {
  /** Folders file params may read from (assets dir, graphs/). */
  readable: string[];
  /** Folder that graph-relative file params resolve against (graphs/). */
  graphsDir: string;
  /** Where relative Output paths land. */
  outputsDir: string;
}

/** "My graph: take 1" → "My-graph-take-1" (a file stem; never empty). */
function stem(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'render';
}

/** `<name>-<yyyymmdd-hhmmss>.mp4` in `dir`, with a counter when that file (or one named this run) exists. */
export function renderFileName(name: string, dir: string, taken: Set<string>, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const t = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  for (let i = 1; ; i++) {
    const file = `${stem(name)}-${t}${i > 1 ? `-${i}` : ''}.mp4`;
    if (!taken.has(file) && !fs.existsSync(path.join(dir, file))) {
      taken.add(file);
      return file;
    }
  }
}

/**
 * The studio's file policy: file params read only from the assets and graphs folders (relative
 * ones resolve against graphs/), and Output paths land in outputs/ (absolute ones must already
 * lie there). With `renderName`, an Output left on its default path gets a file of its own.
 */
export function studioFilePolicy(roots: RunRoots, opts: { renderName?: string } = {}): FilePolicy {
  const taken = new Set<string>();
  return {
    async read(v, at) {
      const abs = path.isAbsolute(v) ? v : path.resolve(roots.graphsDir, v);
      if (!(await insideRoots(abs, roots.readable))) {
        throw new S2VError('E108', `file "${v}" is outside the studio's assets and graphs folders`, {
          ...atNode(at.node),
          hint: 'add the file through the studio (upload) so it is copied into the assets folder',
        });
      }
      return abs;
    },
    async write(value, at) {
      // A path the user never chose would make every render overwrite the last one.
      const out = opts.renderName !== undefined && at.isDefault ? renderFileName(opts.renderName, roots.outputsDir, taken) : value;
      if (typeof out !== 'string' || !out) return undefined;
      // Absolute paths are held to the outputs folder as well: a shared graph must not overwrite ~/anything.
      const dest = path.resolve(roots.outputsDir, out);
      if (!isWithin(path.resolve(roots.outputsDir), dest) && !isWithin(await realOrResolved(roots.outputsDir), dest)) {
        throw new S2VError('E109', `output path "${out}" is outside the outputs folder`, {
          ...atNode(at.node),
          hint: `use a relative name such as renders/take1.mp4 (saved under ${roots.outputsDir})`,
        });
      }
      return dest;
    },
  };
}
