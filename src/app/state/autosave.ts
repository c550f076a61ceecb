/**
 * Autosave: every edit is written to localStorage so a closed tab or a crash loses nothing.
 * On reload the studio offers to recover it when it differs from what was saved.
 */
import type { GraphDoc } from '../../engine/graph.js';
import { docAtom, docNameAtom, savedJsonAtom } from './doc.js';
import { store } from './store.js';

const KEY = 's2v.autosave.v1';

export interface Autosaved {
  doc: GraphDoc;
  name?: string;
  savedJson: string;
  at: number;
}

export function readAutosave(): Autosaved | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return undefined;
    const a = JSON.parse(raw) as Autosaved;
    if (!a.doc || !Array.isArray(a.doc.nodes)) return undefined;
    return a;
  } catch {
    return undefined;
  }
}

export function clearAutosave(): void {
  localStorage.removeItem(KEY);
}

let suspended = false;
/** Autosave is off while the recovery question is open, so the question is not answered by accident. */
export function suspendAutosave(on: boolean): void {
  suspended = on;
}

function write(): void {
  if (suspended) return;
  const doc = store.get(docAtom);
  const savedJson = store.get(savedJsonAtom);
  const json = JSON.stringify(doc);
  if (json === savedJson) {
    clearAutosave();
    return;
  }
  try {
    localStorage.setItem(KEY, JSON.stringify({ doc, name: store.get(docNameAtom), savedJson, at: Date.now() } satisfies Autosaved));
  } catch {
    /* storage full: the document is still in memory */
  }
}

export function startAutosave(): () => void {
  // Written synchronously on each edit: a page closed right after an edit must still have it.
  const un1 = store.sub(docAtom, write);
  const un2 = store.sub(savedJsonAtom, write);
  return () => {
    un1();
    un2();
  };
}
