/** Offers the autosaved document after a reload or crash. */
import { useState } from 'react';
import { clearAutosave, readAutosave, suspendAutosave, type Autosaved } from '../state/autosave.js';
import { loadDoc } from '../state/doc.js';
import { savedJsonAtom } from '../state/doc.js';
import { store } from '../state/store.js';
import { announce } from '../state/status.js';
import { pendingTidy } from '../canvas/commands.js';
import { loadRenderHistory, resetRenderHistory } from '../state/render-history.js';
import { trapTab } from './focus-trap.js';

export function RecoverBanner({ pending }: { pending: Autosaved }) {
  const [open, setOpen] = useState(true);
  if (!open) return null;
  const recover = () => {
    loadDoc(pending.doc, pending.name, { saved: false });
    store.set(savedJsonAtom, pending.savedJson);
    loadRenderHistory();
    Object.assign(pendingTidy, { on: true, tidy: false });
    suspendAutosave(false);
    setOpen(false);
    announce('Recovered unsaved changes');
  };
  const discard = () => {
    clearAutosave();
    resetRenderHistory();
    suspendAutosave(false);
    setOpen(false);
    announce('Discarded unsaved changes');
  };
  return (
    <div className="backdrop">
      <div className="dialog recover" role="alertdialog" aria-modal="true" aria-label="Recover unsaved changes?" onKeyDown={trapTab}>
        <h2>Recover unsaved changes?</h2>
        <p>
          {pending.name ? `“${pending.name}”` : 'An unsaved document'} had {pending.doc.nodes.length} nodes when the studio closed (
          {new Date(pending.at).toLocaleString()}).
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={discard}>
            Discard
          </button>
          <button type="button" className="btn primary" onClick={recover} autoFocus>
            Recover
          </button>
        </div>
      </div>
    </div>
  );
}

export { readAutosave };
