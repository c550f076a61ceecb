/** Canvas commands shared by shortcuts, the toolbar and the palette (selection-aware, undoable). */
import type { GraphDoc } from '../../engine/graph.js';
import type { NodeTypeInfo } from '../../engine/node.js';
import { connect, copySelection, newNode, pasteClip, refuseReason, removeNodes, type Clip, type ConnectRequest } from '../graph/ops.js';
import { dirtyAtom, docAtom, edit, editLive, savedJsonAtom } from '../state/doc.js';
import { tidyPositions, type Sizes } from './layout.js';
import { selectedEdgesAtom, selectedNodesAtom } from '../state/ui.js';
import { infoFor, nodeInfoByTypeAtom } from '../state/catalog.js';
import { announce } from '../state/status.js';
import { store } from '../state/store.js';
import { uploadAsset } from '../api/client.js';

/** Filled in by the mounted canvas: viewport helpers that need React Flow's instance. */
export const viewport = {
  center: (): { x: number; y: number } => ({ x: 0, y: 0 }),
  toFlow: (p: { x: number; y: number }): { x: number; y: number } => p,
  fit: (): void => undefined,
  sizes: (): Sizes => new Map(),
};

/** Set when a document was just opened: tidy it once its nodes have been measured, if they overlap. */
export const pendingTidy = { on: false, tidy: false };

export function tidy(opts: { record?: boolean } = {}): void {
  const doc = store.get(docAtom);
  const pos = tidyPositions(doc, viewport.sizes());
  const recipe = (d: GraphDoc) => {
    for (const n of d.nodes) {
      const p = pos.get(n.id);
      if (p) n.position = p;
    }
  };
  if (opts.record === false) {
    // Opening a document: the tidied layout is what was opened, not an edit.
    const clean = !store.get(dirtyAtom);
    editLive(recipe);
    if (clean) store.set(savedJsonAtom, JSON.stringify(store.get(docAtom)));
  } else edit('Tidy layout', recipe);
  setTimeout(() => viewport.fit(), 50);
}

let clipboard: Clip | undefined;
let pasteCount = 0;

export function select(ids: string[]): void {
  store.set(selectedNodesAtom, new Set(ids));
  store.set(selectedEdgesAtom, new Set());
}

export function addNode(info: NodeTypeInfo, at?: { x: number; y: number }, params: Record<string, unknown> = {}): string {
  const doc = store.get(docAtom);
  const c = at ?? viewport.center();
  const pos = { x: c.x - 130, y: c.y - 40 };
  // Repeated adds at one spot cascade instead of stacking exactly on top of each other.
  while (doc.nodes.some((n) => Math.abs(n.position.x - pos.x) < 24 && Math.abs(n.position.y - pos.y) < 24)) {
    pos.x += 36;
    pos.y += 36;
  }
  const n = newNode(doc, info, pos, params);
  edit(`Add ${info.title}`, (d) => void d.nodes.push(n));
  select([n.id]);
  announce(`Added ${info.title} (${n.id})`);
  return n.id;
}

/** Draw an edge (mouse or keyboard); a refused one is announced with its reason. Returns whether it was drawn. */
export function connectPorts(req: ConnectRequest): boolean {
  const reason = refuseReason(store.get(docAtom), store.get(nodeInfoByTypeAtom), req);
  if (reason) {
    announce(reason, 'error');
    return false;
  }
  edit('Connect', connect(req));
  announce(`Connected ${req.source}.${req.sourceHandle} → ${req.target}.${req.targetHandle}`);
  return true;
}

export function deleteSelection(): void {
  const nodes = store.get(selectedNodesAtom);
  const edges = store.get(selectedEdgesAtom);
  if (!nodes.size && !edges.size) return;
  if (edit('Delete', removeNodes(nodes, edges))) {
    announce(`Deleted ${nodes.size} node${nodes.size === 1 ? '' : 's'}${edges.size ? ` and ${edges.size} edge${edges.size === 1 ? '' : 's'}` : ''}`);
  }
  select([]);
}

export function copy(): void {
  const ids = store.get(selectedNodesAtom);
  if (!ids.size) return;
  clipboard = copySelection(store.get(docAtom), ids);
  pasteCount = 0;
  announce(`Copied ${clipboard.nodes.length} node${clipboard.nodes.length === 1 ? '' : 's'}`);
}

export function cut(): void {
  copy();
  deleteSelection();
}

export function paste(): void {
  if (!clipboard?.nodes.length) return;
  pasteCount++;
  const doc: GraphDoc = store.get(docAtom);
  const { recipe, ids } = pasteClip(doc, clipboard, { x: 40 * pasteCount, y: 40 * pasteCount });
  edit('Paste', recipe);
  select(ids);
  announce(`Pasted ${ids.length} node${ids.length === 1 ? '' : 's'}`);
}

export function selectAll(): void {
  select(store.get(docAtom).nodes.map((n) => n.id));
}

/** A dropped or picked media file becomes an Image / Audio File node holding the uploaded asset. */
export async function addMediaFile(file: File, at?: { x: number; y: number }): Promise<void> {
  const kind = file.type.startsWith('image/') ? 'image' : file.type.startsWith('audio/') ? 'audio' : /\.(png|jpe?g|webp|gif|bmp)$/i.test(file.name) ? 'image' : /\.(wav|mp3|flac|ogg|m4a|aac|opus|webm)$/i.test(file.name) ? 'audio' : undefined;
  if (!kind) {
    announce(`${file.name}: drop an image or an audio file`, 'error');
    return;
  }
  const info = infoFor(kind === 'image' ? 'image' : 'audio-file');
  if (!info) {
    announce(`This server has no ${kind} node`, 'error');
    return;
  }
  announce(`Uploading ${file.name}…`);
  try {
    const asset = await uploadAsset(file, file.name);
    addNode(info, at, { [info.fileParams[0] ?? 'path']: asset.path });
  } catch (e) {
    announce(`Upload of ${file.name} failed: ${(e as Error).message}`, 'error');
  }
}
