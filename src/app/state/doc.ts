/**
 * The document being edited and its undo history. Every edit goes through `edit()`, an
 * immer recipe recorded as patches + inverse patches, so undo/redo replays exactly what
 * changed (add, move, connect, delete, param edits) without snapshotting the whole graph.
 */
import { atom } from 'jotai';
import { applyPatches, enablePatches, produce, produceWithPatches, type Draft, type Patch } from 'immer';
import type { GraphDoc } from '../../engine/graph.js';
import { store } from './store.js';

enablePatches();

export interface HistoryEntry {
  label: string;
  /** Consecutive edits with the same key (typing in one field) undo as one step. */
  merge?: string;
  at?: number;
  patches: Patch[];
  inverse: Patch[];
}

export function emptyDoc(title = 'Untitled'): GraphDoc {
  return { schemaVersion: 1, metadata: { title, description: '', tags: [] }, inputs: [], nodes: [], edges: [] };
}

export const docAtom = atom<GraphDoc>(emptyDoc());
/** Name the document is saved under on the server (undefined = never saved). */
export const docNameAtom = atom<string | undefined>(undefined);
/** JSON of the document as last saved or opened; the dirty marker compares against it. */
export const savedJsonAtom = atom<string>(JSON.stringify(emptyDoc()));
export const dirtyAtom = atom((get) => JSON.stringify(get(docAtom)) !== get(savedJsonAtom));
/** What the window and the toolbar call the document: its saved name, else its title. */
export const shownNameAtom = atom((get) => get(docNameAtom) ?? get(docAtom).metadata?.title ?? 'Untitled');

export const pastAtom = atom<HistoryEntry[]>([]);
export const futureAtom = atom<HistoryEntry[]>([]);
export const canUndoAtom = atom((get) => get(pastAtom).length > 0);
export const canRedoAtom = atom((get) => get(futureAtom).length > 0);

const HISTORY_LIMIT = 200;

/** Apply a recorded edit to the document. Returns false when the recipe changed nothing. */
export function edit(label: string, recipe: (d: Draft<GraphDoc>) => void, opts: { merge?: string } = {}): boolean {
  const [next, patches, inverse] = produceWithPatches(store.get(docAtom), recipe);
  if (!patches.length) return false;
  store.set(docAtom, next);
  const now = Date.now();
  store.set(pastAtom, (p) => {
    const top = p[p.length - 1];
    if (opts.merge && top?.merge === opts.merge && now - (top.at ?? 0) < 1500) {
      return [...p.slice(0, -1), { ...top, patches: [...top.patches, ...patches], inverse: [...inverse, ...top.inverse], at: now }];
    }
    return [...p.slice(-HISTORY_LIMIT + 1), { label, patches, inverse, merge: opts.merge, at: now }];
  });
  store.set(futureAtom, []);
  return true;
}

/** Change the document without recording (live drag frames); `commitFrom` records the net change later. */
export function editLive(recipe: (d: Draft<GraphDoc>) => void): void {
  store.set(docAtom, produce(store.get(docAtom), recipe));
}

/** Record the difference between `base` and the current document as one undoable step. */
export function commitFrom(base: GraphDoc, label: string, recipe: (d: Draft<GraphDoc>) => void): void {
  const [, patches, inverse] = produceWithPatches(base, recipe);
  if (!patches.length) return;
  store.set(pastAtom, (p) => [...p.slice(-HISTORY_LIMIT + 1), { label, patches, inverse }]);
  store.set(futureAtom, []);
}

/** Move the newest entry of one history stack onto the other, applying its patches or their inverse. */
function travel(from: typeof pastAtom, to: typeof pastAtom, patchesOf: (e: HistoryEntry) => Patch[]): string | undefined {
  const stack = store.get(from);
  const entry = stack[stack.length - 1];
  if (!entry) return undefined;
  store.set(docAtom, applyPatches(store.get(docAtom), patchesOf(entry)));
  store.set(from, stack.slice(0, -1));
  store.set(to, (s) => [...s, entry]);
  return entry.label;
}

export const undo = (): string | undefined => travel(pastAtom, futureAtom, (e) => e.inverse);
export const redo = (): string | undefined => travel(futureAtom, pastAtom, (e) => e.patches);

/** Replace the whole document (open, new, template): history starts fresh. */
export function loadDoc(doc: GraphDoc, name: string | undefined, opts: { saved?: boolean } = {}): void {
  store.set(docAtom, doc);
  store.set(docNameAtom, name);
  store.set(pastAtom, []);
  store.set(futureAtom, []);
  if (opts.saved !== false) store.set(savedJsonAtom, JSON.stringify(doc));
}

export function markSaved(name: string): void {
  store.set(docNameAtom, name);
  store.set(savedJsonAtom, JSON.stringify(store.get(docAtom)));
}
