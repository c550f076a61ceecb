/** User commands shared by the toolbar, node menus and keyboard shortcuts. */
import type { GraphDoc } from '../../engine/graph.js';
import * as apiClient from '../api/client.js';
import { dirtyAtom, docAtom, docNameAtom, emptyDoc, loadDoc, markSaved } from './doc.js';
import { announce } from './status.js';
import { beginRun, outputsAtom, pendingRun, refuseRun, runAtom } from './run.js';
import { keepRenderHistory, loadRenderHistory, resetRenderHistory } from './render-history.js';
import { store } from './store.js';
import { clearAutosave } from './autosave.js';
import { ask } from './confirm.js';
import { dialogAtom, afterSaveAtom } from './ui.js';
import { pendingTidy } from '../canvas/commands.js';
import { infoFor } from './catalog.js';
import { ancestorsOf } from '../../engine/validate.js';

/** What renders of this document are named after (the server adds the time). */
function renderName(doc: GraphDoc): string {
  const title = doc.metadata?.title;
  return store.get(docNameAtom) ?? (title && title !== 'Untitled' ? title : 'untitled');
}

export async function run(target?: string): Promise<void> {
  if (store.get(runAtom).status === 'running') return;
  const doc = store.get(docAtom);
  if (!doc.nodes.length) {
    announce('Nothing to run: add a node first', 'error');
    return;
  }
  const upstream = target ? ancestorsOf(doc, target) : undefined;
  const ids = doc.nodes.map((n) => n.id).filter((id) => !upstream || upstream.has(id));
  pendingRun(ids);
  try {
    const { runId } = await apiClient.startRun(doc, target, renderName(doc));
    // Said before the buffered events are applied: a fast run may already have finished,
    // and its "Run finished/failed" must be the last word.
    announce(target ? `Running up to ${target}` : 'Running the graph');
    beginRun(runId);
  } catch (e) {
    const err = e as apiClient.ApiError;
    refuseRun(err.message, err.node);
    announce(`Run refused: ${err.message}`, 'error', err.node);
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

/**
 * Before the document is replaced: when it has unsaved changes, ask Save / Discard / Cancel.
 * Resolves true when the caller may go on (saved, discarded, or nothing to lose).
 */
export async function mayReplaceDocument(what: string): Promise<boolean> {
  if (!store.get(dirtyAtom)) return true;
  const name = store.get(docNameAtom);
  const choice = await ask({
    title: 'Save changes?',
    message: `${name ? `“${name}”` : 'This document'} has unsaved changes. Save them before ${what}?`,
    choices: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'discard', label: 'Discard changes', tone: 'danger' },
      { id: 'save', label: 'Save', tone: 'primary' },
    ],
    cancel: 'cancel',
  });
  if (choice === 'cancel') return false;
  if (choice === 'discard') return true;
  if (name) return save();
  // Never saved: ask for a name, then go on once it is saved (closing that dialog cancels).
  return new Promise<boolean>((resolve) => {
    store.set(afterSaveAtom, () => resolve);
    store.set(dialogAtom, 'saveAs');
  });
}

export async function newDocument(): Promise<void> {
  if (!(await mayReplaceDocument('starting a new one'))) return;
  loadDoc(emptyDoc(), undefined);
  forgetRun();
  resetRenderHistory();
  clearAutosave();
  announce('New document');
}

export async function openDocument(name: string, version?: { id: string; saved: string }): Promise<void> {
  if (!(await mayReplaceDocument(`opening ${name}`))) return;
  const doc = version ? await apiClient.getDocumentVersion(name, version.id) : await apiClient.getDocument(name);
  if (version) {
    // An earlier version opens as an edit of the document: Save makes it the current one
    // (and keeps the one it replaces as a version too).
    const current = await apiClient.getDocument(name).catch(() => doc);
    loadDoc(current, name);
    loadDoc(doc, name, { saved: false });
  } else loadDoc(doc, name);
  forgetRun();
  loadRenderHistory();
  Object.assign(pendingTidy, { on: true, tidy: false });
  if (!version) clearAutosave();
  announce(version ? `Opened the version of ${name} saved ${new Date(version.saved).toLocaleString()}: Save to keep it` : `Opened ${name}`);
}

export async function openTemplate(id: string): Promise<void> {
  if (!(await mayReplaceDocument('loading a template'))) return;
  const doc = await apiClient.getTemplate(id);
  // A template's output file name would be shared by every graph made from it: drop it, so
  // each render is named after the user's document and the time unless they choose a name.
  for (const n of doc.nodes) if (infoFor(n.type)?.category === 'output') delete n.params.path;
  // A template is a starting point: it opens unsaved, so Save asks for a name.
  loadDoc(doc, undefined);
  forgetRun();
  resetRenderHistory();
  clearAutosave();
  Object.assign(pendingTidy, { on: true, tidy: true });
  announce(`Loaded template ${doc.metadata?.title ?? id}`);
}

export function cleanName(name: string): string {
  return name.trim().replace(/\.json$/i, '').replace(/[^A-Za-z0-9 _.-]/g, '-');
}

/**
 * Save under `name`. Saving over a different existing document asks first (that document is
 * kept as a version on the server either way).
 */
export async function saveAs(name: string): Promise<boolean> {
  const n = cleanName(name);
  if (!n) {
    announce('Give the document a name', 'error');
    return false;
  }
  try {
    if (n !== store.get(docNameAtom)) {
      const existing = await apiClient.listDocuments().catch(() => []);
      if (existing.some((d) => d.name === n)) {
        const choice = await ask({
          title: `Replace “${n}”?`,
          message: `A document named “${n}” already exists. Replacing it keeps the old one under Open → Versions.`,
          choices: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'replace', label: 'Replace', tone: 'danger' },
          ],
          cancel: 'cancel',
        });
        if (choice !== 'replace') return false;
      }
    }
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
