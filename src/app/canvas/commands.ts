/** Canvas commands shared by shortcuts, the toolbar and the palette (selection-aware, undoable). */
import type { GraphDoc } from '../../engine/graph.js';
import type { NodeTypeInfo } from '../../engine/node.js';
import { connect, copySelection, newNode, pasteClip, refuseReason, removeNodes, setParam, type Clip, type ConnectRequest } from '../graph/ops.js';
import { atom } from 'jotai';
import { dirtyAtom, docAtom, edit, editLive, savedJsonAtom } from '../state/doc.js';
import { tidyPositions, type Sizes } from './layout.js';
import { boundsOf, boxOf, freeSpot, rectsOf, spotFor, DEFAULT_NODE_SIZE } from './placement.js';
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
  /** Pan (keeping the zoom) so a box in flow coordinates is on screen, if it is not. */
  reveal: (_box: { x: number; y: number; width: number; height: number }): void => undefined,
  /** Where the pointer last was over the canvas (flow coordinates), if it has been there. */
  pointer: (): { x: number; y: number } | undefined => undefined,
};

/** Nodes added but not yet measured: once their real size is known they move off anything they cover. */
export const justAdded = new Set<string>();

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

/** The last file refused on a node, shown on that node until something else is dropped. */
export const dropRefusalAtom = atom<{ node: string; text: string; at: number } | undefined>(undefined);

let clipboard: Clip | undefined;

export function select(ids: string[]): void {
  store.set(selectedNodesAtom, new Set(ids));
  store.set(selectedEdgesAtom, new Set());
}

/**
 * Add a node: at `at` when given (a double-click), else right of the selection, else at the
 * pointer or the middle of the view — moved to the nearest free spot so it covers nothing.
 */
export function addNode(info: NodeTypeInfo, at?: { x: number; y: number }, params: Record<string, unknown> = {}): string {
  const doc = store.get(docAtom);
  const width = info.category === 'output' ? 320 : info.category === 'model' ? 300 : info.type === 'compare' ? 440 : DEFAULT_NODE_SIZE.width;
  const size = { width, height: DEFAULT_NODE_SIZE.height };
  const sizes = viewport.sizes();
  const centre = (p: { x: number; y: number }) => ({ x: p.x - width / 2, y: p.y - 40 });
  const pos = at
    ? freeSpot(centre(at), size, rectsOf(doc, sizes))
    : spotFor(doc, sizes, store.get(selectedNodesAtom), centre(viewport.pointer() ?? viewport.center()), size);
  const n = newNode(doc, info, pos, params);
  edit(`Add ${info.title}`, (d) => void d.nodes.push(n));
  justAdded.add(n.id);
  select([n.id]);
  viewport.reveal({ ...pos, ...size });
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
  announce(`Copied ${clipboard.nodes.length} node${clipboard.nodes.length === 1 ? '' : 's'}`);
}

export function cut(): void {
  copy();
  deleteSelection();
}

export function paste(): void {
  if (!clipboard?.nodes.length) return;
  const doc: GraphDoc = store.get(docAtom);
  // The copy lands beside the original (or the last copy), in free space, never on top of it.
  const sizes = viewport.sizes();
  const clipRects = clipboard.nodes.map((n) => boxOf(n.position, sizes.get(n.id) ?? DEFAULT_NODE_SIZE));
  const box = boundsOf(clipRects)!;
  const spot = freeSpot({ x: box.x + 60, y: box.y + 60 }, { width: box.w, height: box.h }, rectsOf(doc, sizes));
  const { recipe, ids } = pasteClip(doc, clipboard, { x: spot.x - box.x, y: spot.y - box.y });
  edit('Paste', recipe);
  for (const id of ids) justAdded.add(id);
  select(ids);
  announce(`Pasted ${ids.length} node${ids.length === 1 ? '' : 's'}`);
}

export function selectAll(): void {
  select(store.get(docAtom).nodes.map((n) => n.id));
}

/** What kind of media a file is, from its type or name; undefined for anything else. */
export function mediaKind(file: { type: string; name: string }): 'image' | 'audio' | undefined {
  if (file.type.startsWith('image/') || /\.(png|jpe?g|webp|gif|bmp)$/i.test(file.name)) return 'image';
  if (file.type.startsWith('audio/') || /\.(wav|mp3|flac|ogg|m4a|aac|opus|webm)$/i.test(file.name)) return 'audio';
  return undefined;
}

/** A dropped or picked media file becomes an Image / Audio File node holding the uploaded asset. */
export async function addMediaFile(file: File, at?: { x: number; y: number }): Promise<void> {
  const kind = mediaKind(file);
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

/** The file param of a node that takes `kind` files, if it has one. */
function fileParamFor(nodeId: string, kind: string): { key?: string; accepts: string[] } {
  const n = store.get(docAtom).nodes.find((x) => x.id === nodeId);
  const info = n && infoFor(n.type);
  if (!info) return { accepts: [] };
  const files = info.fileParams.map((k) => ({ k, accept: (info.params[k]?.widget as { accept?: string } | undefined)?.accept ?? '' }));
  return { key: files.find((f) => f.accept === kind)?.k, accepts: files.map((f) => f.accept).filter(Boolean) };
}

/** Whether a node has a file param at all (a drop on it fills it instead of adding a node). */
export function takesFiles(nodeId: string): boolean {
  return fileParamFor(nodeId, '').accepts.length > 0;
}

/**
 * A file dropped onto a node fills that node. A file of the wrong kind (a .wav on an Image
 * node) is refused at once, before any upload, with the reason on the node.
 */
export async function fillNodeWithFile(nodeId: string, file: File): Promise<void> {
  const kind = mediaKind(file);
  const { key, accepts } = fileParamFor(nodeId, kind ?? '');
  const title = infoFor(store.get(docAtom).nodes.find((x) => x.id === nodeId)?.type ?? '')?.title ?? nodeId;
  if (!kind || !key) {
    const reason = `${title} node ${nodeId} takes ${accepts.map((a) => (a === 'image' ? 'an image' : `an ${a} file`)).join(' or ')}; ${file.name} is ${kind === 'image' ? 'an image' : kind ? `an ${kind} file` : 'neither'}`;
    store.set(dropRefusalAtom, { node: nodeId, text: reason, at: Date.now() });
    announce(`Refused: ${reason}`, 'error', nodeId);
    return;
  }
  store.set(dropRefusalAtom, undefined);
  announce(`Uploading ${file.name} into ${nodeId}…`);
  try {
    const asset = await uploadAsset(file, file.name);
    edit(`Set ${nodeId}.${key}`, setParam(nodeId, key, asset.path));
    select([nodeId]);
    announce(`${file.name} set on ${nodeId}`);
  } catch (e) {
    announce(`Upload of ${file.name} failed: ${(e as Error).message}`, 'error', nodeId);
  }
}
