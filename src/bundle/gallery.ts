/**
 * The template gallery: every graph in graphs/ plus the user's saved graphs, each with title,
 * description, a thumbnail, the inputs it asks for and the models it needs (and whether they
 * are ready here). Sorted by what a newcomer needs first: the music video, then lip-sync,
 * ambient, the no-image and generated-music templates, comparisons, remote-model templates
 * (they need a server or an account), then the user's own graphs, newest first.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseGraphText, type BackendService, type Catalog, type GraphDoc } from '../engine/index.js';
import { fileRefs, modelRefs } from './graph-files.js';
import { formatNeed, whatIsMissing, type Need } from './needs.js';
import type { GalleryItem } from '../protocol/sharing.js';

export type { GalleryItem };

/** Newcomer order for the shipped templates; unknown ones follow, remote ones last. */
export const NEWCOMER_ORDER = ['music-video', 'lip-sync', 'ambient', 'a2v-abstract', 'generated-soundtrack', 'compare-models'];

function rank(item: GalleryItem): number {
  if (item.source === 'saved') return 3000;
  const i = NEWCOMER_ORDER.indexOf(item.id);
  if (i >= 0) return i;
  // Templates that need something not installed (a remote backend) come after the ready ones.
  return item.missing.some((m) => / model "/.test(m)) ? 2000 : 1000;
}

export function sortGallery(items: GalleryItem[]): GalleryItem[] {
  return [...items].sort((a, b) => rank(a) - rank(b) || (b.modified ?? '').localeCompare(a.modified ?? '') || a.title.localeCompare(b.title));
}

async function describe(graph: GraphDoc, id: string, source: GalleryItem['source'], dir: string, opts: GalleryOptions, modified?: string): Promise<GalleryItem> {
  const thumbs = [path.join(dir, 'thumbnails', `${id}.jpg`), path.join(dir, 'thumbnails', `${id}.png`), path.join(dir, `${id}.png`)];
  let thumbnail: string | undefined;
  for (const t of thumbs) if ((await fs.stat(t).catch(() => undefined))?.isFile()) thumbnail ??= t;
  if (!thumbnail) {
    const image = fileRefs(graph, opts.catalog).find((r) => r.value && graph.nodes.find((n) => n.id === r.node)?.type === 'image');
    if (image) {
      const abs = path.resolve(dir, image.value);
      if ((await fs.stat(abs).catch(() => undefined))?.isFile()) thumbnail = abs;
    }
  }
  let missing: Need[] = [];
  try {
    missing = await whatIsMissing(graph, { catalog: opts.catalog, graphDir: dir, backends: opts.backends, ...(opts.modelsDir ? { modelsDir: opts.modelsDir } : {}) });
  } catch {
    missing = [];
  }
  return {
    id,
    source,
    title: graph.metadata.title,
    description: graph.metadata.description,
    tags: graph.metadata.tags,
    ...(thumbnail ? { thumbnail } : {}),
    inputs: graph.inputs.map((i) => ({ name: i.name, type: String(i.type), description: i.description })),
    models: [...new Set(modelRefs(graph, opts.catalog).map((m) => m.model))],
    missing: missing.map(formatNeed),
    ...(modified ? { modified } : {}),
  };
}

export interface GalleryOptions {
  catalog: Catalog;
  templatesDir: string;
  savedDir?: string;
  backends?: BackendService;
  modelsDir?: string;
}

async function graphsIn(dir: string): Promise<Array<{ id: string; graph: GraphDoc; modified: string }>> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort();
  const out: Array<{ id: string; graph: GraphDoc; modified: string }> = [];
  for (const f of names) {
    try {
      const file = path.join(dir, f);
      const [text, st] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
      out.push({ id: f.slice(0, -5), graph: parseGraphText(text, f), modified: st.mtime.toISOString() });
    } catch {
      continue; // a broken file is not a gallery item; its own tests/validation say why
    }
  }
  return out;
}

export async function listGallery(opts: GalleryOptions): Promise<GalleryItem[]> {
  const items: GalleryItem[] = [];
  for (const t of await graphsIn(opts.templatesDir)) items.push(await describe(t.graph, t.id, 'template', opts.templatesDir, opts));
  if (opts.savedDir) for (const s of await graphsIn(opts.savedDir)) items.push(await describe(s.graph, s.id, 'saved', opts.savedDir, opts, s.modified));
  return sortGallery(items);
}
