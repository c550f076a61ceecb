/**
 * The user's graph documents: `<dataDir>/graphs/<name>.json`. Saved documents are parsed
 * (structure only, so half-built graphs can be saved) and written atomically.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseGraph, parseGraphText, type GraphDoc } from '../engine/index.js';
import { HttpError } from './http.js';
import { safeName } from './paths.js';

export interface DocumentInfo {
  name: string;
  /** ISO 8601 time of the last save. */
  modified: string;
}

export class DocumentStore {
  constructor(readonly dir: string) {}

  async list(): Promise<DocumentInfo[]> {
    const items = await fs.readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const out: DocumentInfo[] = [];
    for (const it of items) {
      if (!it.isFile() || !it.name.endsWith('.json') || it.name.startsWith('.')) continue;
      const st = await fs.stat(path.join(this.dir, it.name)).catch(() => undefined);
      if (st) out.push({ name: it.name.slice(0, -5), modified: st.mtime.toISOString() });
    }
    return out.sort((a, b) => b.modified.localeCompare(a.modified));
  }

  private file(rawName: string): { name: string; file: string } {
    const name = safeName(rawName, 'document name');
    return { name, file: path.join(this.dir, `${name}.json`) };
  }

  async load(rawName: string): Promise<GraphDoc> {
    const { name, file } = this.file(rawName);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      throw new HttpError(404, `no document named "${name}"`);
    }
    return parseGraphText(text, `document "${name}"`);
  }

  async save(rawName: string, body: unknown): Promise<{ ok: true; name: string }> {
    const { name, file } = this.file(rawName);
    const doc = parseGraph(body, `document "${name}"`);
    await fs.mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`);
      await fs.rename(tmp, file);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
    return { ok: true, name };
  }
}
