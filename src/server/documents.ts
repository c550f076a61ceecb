/**
 * The user's graph documents: `<dataDir>/graphs/<name>.json`. Saved documents are parsed
 * (structure only, so half-built graphs can be saved) and written atomically. Saving over a
 * document first moves the old text to `.versions/<name>/<time>.json`, so no save loses work.
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

/** An earlier save of a document; `id` names it in GET /api/documents/:name/versions/:id. */
export interface VersionInfo {
  id: string;
  /** ISO 8601 time that version was saved. */
  saved: string;
  nodes: number;
}

/** Versions kept per document; the oldest go first. */
const MAX_VERSIONS = 30;

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
    await this.keepVersion(name, file);
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

  private versionsDir(name: string): string {
    return path.join(this.dir, '.versions', name);
  }

  /** Copy the text being replaced into the versions folder (named by its own save time). */
  private async keepVersion(name: string, file: string): Promise<void> {
    const st = await fs.stat(file).catch(() => undefined);
    if (!st?.isFile()) return;
    const dir = this.versionsDir(name);
    await fs.mkdir(dir, { recursive: true });
    // Colons are not allowed in Windows file names; the id is the ISO time without them.
    const id = st.mtime.toISOString().replace(/[:.]/g, '-');
    await fs.copyFile(file, path.join(dir, `${id}.json`));
    const all = (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    for (const old of all.slice(0, Math.max(0, all.length - MAX_VERSIONS))) await fs.rm(path.join(dir, old), { force: true });
  }

  async versions(rawName: string): Promise<VersionInfo[]> {
    const { name } = this.file(rawName);
    const dir = this.versionsDir(name);
    const files = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort().reverse();
    const out: VersionInfo[] = [];
    for (const f of files) {
      const id = f.slice(0, -5);
      const iso = id.replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, '$1:$2:$3.$4Z');
      let nodes = 0;
      try {
        nodes = (JSON.parse(await fs.readFile(path.join(dir, f), 'utf8')) as { nodes?: unknown[] }).nodes?.length ?? 0;
      } catch {
        continue;
      }
      out.push({ id, saved: iso, nodes });
    }
    return out;
  }

  async loadVersion(rawName: string, rawId: string): Promise<GraphDoc> {
    const { name } = this.file(rawName);
    if (!/^[0-9TZ-]{10,40}$/.test(rawId)) throw new HttpError(400, `bad version id "${rawId.slice(0, 40)}"`);
    let text: string;
    try {
      text = await fs.readFile(path.join(this.versionsDir(name), `${rawId}.json`), 'utf8');
    } catch {
      throw new HttpError(404, `no version "${rawId}" of document "${name}"`);
    }
    return parseGraphText(text, `version ${rawId} of document "${name}"`);
  }
}
