/**
 * Earlier renders of each Output node, kept per document in localStorage so they survive a
 * reload. The slot is the document's saved name; an unsaved document has one shared slot,
 * which Save As copies under the new name and New / a template start empty.
 */
import type { VideoValue } from '../../engine/types.js';
import { docNameAtom } from './doc.js';
import { renderHistoryAtom, type RenderEntry } from './run.js';
import { store } from './store.js';

const PREFIX = 's2v.renders.v1:';
const UNSAVED = '(unsaved)';
const keyFor = (name: string | undefined) => PREFIX + (name ?? UNSAVED);

function isEntry(v: unknown): v is RenderEntry {
  const e = v as Partial<RenderEntry> | null;
  return !!e && e.kind === 'video' && typeof e.path === 'string' && typeof (e as VideoValue).width === 'number';
}

function read(name: string | undefined): Record<string, RenderEntry[]> {
  try {
    const raw = JSON.parse(localStorage.getItem(keyFor(name)) ?? '{}') as Record<string, unknown>;
    const out: Record<string, RenderEntry[]> = {};
    for (const [id, list] of Object.entries(raw)) if (Array.isArray(list)) out[id] = list.filter(isEntry);
    return out;
  } catch {
    return {};
  }
}

function write(): void {
  const h = store.get(renderHistoryAtom);
  try {
    if (Object.keys(h).length) localStorage.setItem(keyFor(store.get(docNameAtom)), JSON.stringify(h));
  } catch {
    /* storage full: the history stays in memory for this session */
  }
}

/** Show the history kept for the document now open (after open or recover). */
export function loadRenderHistory(): void {
  store.set(renderHistoryAtom, read(store.get(docNameAtom)));
}

/** A new or template document starts with no renders; the unsaved slot is reused for it. */
export function resetRenderHistory(): void {
  localStorage.removeItem(keyFor(undefined));
  store.set(renderHistoryAtom, {});
}

/** After Save As: the renders belong to the document under its new name too. */
export function keepRenderHistory(): void {
  write();
}

export function startRenderHistory(): () => void {
  return store.sub(renderHistoryAtom, write);
}
