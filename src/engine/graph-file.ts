/** Reading a graph file from disk, the one way every front door does it (`s2v run`/`validate`, `s2v pack`). */
import fs from 'node:fs/promises';
import { S2VError } from './errors.js';
import { parseGraphText, type GraphDoc } from './graph.js';

/** A graph is data: nodes, edges and short params. Anything this big is not one (and would stall the parse). */
export const MAX_GRAPH_BYTES = 20 * 1024 * 1024;

/**
 * Opened without blocking: opening a named pipe (or a device) for reading waits for a writer,
 * forever if none comes, so a graph "file" that is one is refused before anything waits on it.
 */
const OPEN_NONBLOCKING = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** The graph in `file`; a one-line E101 naming `file` when it is missing, not a regular file, too large or unreadable. */
export async function readGraphFile(file: string): Promise<GraphDoc> {
  let text: string;
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, OPEN_NONBLOCKING);
    const st = await fh.stat();
    if (!st.isFile()) throw new S2VError('E101', 'graph file is not a regular file', { where: file });
    if (st.size > MAX_GRAPH_BYTES) {
      throw new S2VError('E101', `graph file is too large (${(st.size / 1048576).toFixed(1)} MB; a graph is at most ${MAX_GRAPH_BYTES / 1048576} MB)`, { where: file });
    }
    text = await fh.readFile('utf8');
  } catch (e) {
    if (e instanceof S2VError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new S2VError('E101', code === 'ENOENT' ? 'graph file not found' : `cannot read graph file (${code})`, { where: file });
  } finally {
    await fh?.close();
  }
  return parseGraphText(text, file);
}
