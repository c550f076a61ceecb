/**
 * Sharing in the studio: the gallery dialog, Import (a .s2vpack) and restoring a graph from
 * a video (both also by dropping the file on the canvas), Export, and the live list of what
 * the open graph still needs before it can run.
 */
import { atom } from 'jotai';
import type { GraphDoc } from '../../engine/graph.js';
import * as share from '../api/share.js';
import { docAtom, loadDoc } from './doc.js';
import { outputsAtom, runAtom } from './run.js';
import { resetRenderHistory } from './render-history.js';
import { announce } from './status.js';
import { store } from './store.js';
import { pendingTidy } from '../canvas/commands.js';
import { mayReplaceDocument } from './actions.js';

export const galleryOpenAtom = atom(false);
/** What the open graph still needs; `source` says where it came from (for the panel's heading). */
export const needsAtom = atom<{ needs: share.Need[]; dismissed: boolean }>({ needs: [], dismissed: false });

/**
 * A graph from elsewhere opens unsaved (Save asks for a name), with a fresh run state —
 * after asking Save / Discard / Cancel when the open document has unsaved changes.
 * Resolves false when the user cancelled.
 */
export async function openGraph(doc: GraphDoc): Promise<boolean> {
  if (!(await mayReplaceDocument('opening another graph'))) return false;
  loadDoc(doc, undefined, { saved: false });
  if (store.get(runAtom).status !== 'running') {
    store.set(runAtom, { status: 'idle', nodes: {} });
    store.set(outputsAtom, {});
  }
  resetRenderHistory();
  Object.assign(pendingTidy, { on: true, tidy: false });
  return true;
}

export function isBundle(name: string): boolean {
  return /\.s2vpack$/i.test(name);
}
export function isVideo(file: { name: string; type: string }): boolean {
  return /\.(mp4|m4v|mov)$/i.test(file.name) || file.type === 'video/mp4' || file.type === 'video/quicktime';
}

function showNeeds(needs: share.Need[]): void {
  store.set(needsAtom, { needs, dismissed: false });
}

export async function importBundleFile(file: File): Promise<void> {
  announce(`Importing ${file.name}…`);
  try {
    const r = await share.importBundle(file, file.name);
    if (!(await openGraph(r.graph))) return;
    showNeeds(r.needs);
    announce(`Imported "${r.title}"${r.needs.length ? ` — ${r.needs.length} thing${r.needs.length > 1 ? 's' : ''} missing` : ''}`);
  } catch (e) {
    announce(`Import refused: ${(e as Error).message}`, 'error');
  }
}

export async function graphFromVideoFile(file: File): Promise<void> {
  announce(`Reading the graph inside ${file.name}…`);
  try {
    const r = await share.graphFromVideo(file, file.name);
    if (!(await openGraph(r.graph))) return;
    showNeeds(r.needs);
    announce(`Restored the graph of ${file.name} (made by S2V Studio ${r.app.version})`);
  } catch (e) {
    announce(`No graph restored: ${(e as Error).message}`, 'error');
  }
}

export async function exportCurrent(): Promise<void> {
  const doc = store.get(docAtom);
  try {
    const { blob, fileName } = await share.exportBundle(doc, doc.metadata?.title ?? 'graph');
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    announce(`Exported ${fileName} (${(blob.size / 1024).toFixed(0)} KB)`);
  } catch (e) {
    announce(`Export failed: ${(e as Error).message}`, 'error');
  }
}

let checkTimer: ReturnType<typeof setTimeout> | undefined;
let lastChecked = '';
/** Ask the server what the open graph needs, a moment after it changes (not on every keystroke). */
export function scheduleNeedsCheck(): void {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => {
    const doc = store.get(docAtom);
    const json = JSON.stringify(doc);
    if (json === lastChecked || !doc.nodes.length) {
      if (!doc.nodes.length) store.set(needsAtom, { needs: [], dismissed: false });
      return;
    }
    lastChecked = json;
    share.getNeeds(doc).then(
      ({ needs }) => {
        const prev = store.get(needsAtom);
        const same = JSON.stringify(prev.needs) === JSON.stringify(needs);
        store.set(needsAtom, { needs, dismissed: same ? prev.dismissed : false });
      },
      () => undefined, // a half-built graph may not parse yet; the run check reports it
    );
  }, 400);
}
