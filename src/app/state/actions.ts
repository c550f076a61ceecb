/** User commands shared by the toolbar, node menus and keyboard shortcuts. */
import type { GraphDoc } from '../../engine/graph.js';
import * as apiClient from '../api/client.js';
import { docAtom, docNameAtom, emptyDoc, loadDoc, markSaved } from './doc.js';
import { announce } from './status.js';
import { beginRun, finishRunLocally, outputsAtom, pendingRun, runAtom } from './run.js';
import { keepRenderHistory, loadRenderHistory, resetRenderHistory } from './renderHistory.js';
import { store } from './store.js';
import { clearAutosave } from './autosave.js';
import { pendingTidy } from '../canvas/commands.js';

function ancestors(doc: GraphDoc, target: string): string[] {
  const keep = new Set<string>();
  const stack = [target];
  while (stack.length) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const e of doc.edges) if (e.to.node === id) stack.push(e.from.node);
  }
  return doc.nodes.filter((n) => keep.has(n.id)).map((n) => n.id);
}

export async function run(target?: string): Promise<void> {
  if (store.get(runAtom).status === 'running') return;
  const doc = store.get(docAtom);
  if (!doc.nodes.length) {
    announce('Nothing to run: add a node first', 'error');
    return;
  }
  const ids = target ? ancestors(doc, target) : doc.nodes.map((n) => n.id);
  pendingRun(ids);
  try {
    const { runId } = await apiClient.startRun(doc, target);
    // Said before the buffered events are applied: a fast run may already have finished,
    // and its "Run finished/failed" must be the last word.
    announce(target ? `Running up to ${target}` : 'Running the graph');
    beginRun(runId, ids);
  } catch (e) {
    const err = e as apiClient.ApiError;
    finishRunLocally(err.message);
    if (err.node) {
      store.set(runAtom, (s) => ({ ...s, nodes: { ...s.nodes, [err.node!]: { state: 'error', error: err.message, warnings: [] } } }));
    }
    announce(`Run refused: ${err.message}`, 'error');
  }
}

export async function cancel(): Promise<void> {
  const id = store.get(runAtom).runId;
  if (!id) return;
  // Said before asking: the run's last event ("Run cancelled") may beat the HTTP answer.
  announce('Cancelling…');
  await apiClient.cancelRun(id).catch((e: Error) => announce(`Cancel failed: ${e.message}`, 'error'));
}

/** Another document is open: the last run's states and outputs belong to the old one. */
function forgetRun(): void {
  if (store.get(runAtom).status === 'running') return;
  store.set(runAtom, { status: 'idle', nodes: {} });
  store.set(outputsAtom, {});
}

export function newDocument(): void {
  loadDoc(emptyDoc(), undefined);
  forgetRun();
  resetRenderHistory();
  clearAutosave();
  announce('New document');
}

export async function openDocument(name: string): Promise<void> {
  const doc = await apiClient.getDocument(name);
  loadDoc(doc, name);
  forgetRun();
  loadRenderHistory();
  Object.assign(pendingTidy, { on: true, tidy: false });
  clearAutosave();
  announce(`Opened ${name}`);
}

export async function openTemplate(id: string): Promise<void> {
  const doc = await apiClient.getTemplate(id);
  // A template is a starting point: it opens unsaved, so Save asks for a name.
  loadDoc(doc, undefined);
  forgetRun();
  resetRenderHistory();
  Object.assign(pendingTidy, { on: true, tidy: true });
  announce(`Loaded template ${doc.metadata?.title ?? id}`);
}

export function cleanName(name: string): string {
  return name.trim().replace(/\.json$/i, '').replace(/[^A-Za-z0-9 _.-]/g, '-');
}

export async function saveAs(name: string): Promise<boolean> {
  const n = cleanName(name);
  if (!n) {
    announce('Give the document a name', 'error');
    return false;
  }
  try {
    const doc = store.get(docAtom);
    const res = await apiClient.putDocument(n, doc);
    markSaved(res.name ?? n);
    keepRenderHistory();
    clearAutosave();
    announce(`Saved ${res.name ?? n}`);
    return true;
  } catch (e) {
    announce(`Save failed: ${(e as Error).message}`, 'error');
    return false;
  }
}

/** Save under the current name; false when the document has none yet (caller asks for one). */
export async function save(): Promise<boolean> {
  const name = store.get(docNameAtom);
  if (!name) return false;
  return saveAs(name);
}
