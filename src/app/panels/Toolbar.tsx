/** The top bar: document commands, edit commands, run controls and the global progress bar. */
import { useAtomValue, useSetAtom } from 'jotai';
import { canRedoAtom, canUndoAtom, dirtyAtom, redo, shownNameAtom, undo } from '../state/doc.js';
import { runAtom, runProgressAtom } from '../state/run.js';
import { dialogAtom, paletteAtom } from '../state/ui.js';
import { cancel, newDocument, run, save } from '../state/actions.js';
import { announce } from '../state/status.js';
import { tidy, viewport } from '../canvas/commands.js';
import { ShareButtons } from './ImportExport.js';

export async function saveOrAsk(setDialog: (d: 'saveAs') => void): Promise<void> {
  if (!(await save())) setDialog('saveAs');
}

/** " · about 40 s left", from how long the run took so far for the part done; empty until it can tell. */
export function eta(startedAt: number | undefined, fraction: number, now = Date.now()): string {
  if (!startedAt || fraction < 0.05 || fraction >= 1) return '';
  const elapsed = (now - startedAt) / 1000;
  if (elapsed < 1) return '';
  const left = (elapsed * (1 - fraction)) / fraction;
  return ` · about ${left < 60 ? `${Math.max(1, Math.round(left))} s` : `${Math.round(left / 60)} min`} left`;
}

export function Toolbar() {
  const canUndo = useAtomValue(canUndoAtom);
  const canRedo = useAtomValue(canRedoAtom);
  const setDialog = useSetAtom(dialogAtom);
  const setPalette = useSetAtom(paletteAtom);
  return (
    <header className="toolbar" role="toolbar" aria-label="Studio">
      <div className="brand" aria-hidden="true">
        <span className="logo">◉</span> S2V Studio
      </div>
      <DocTitle />
      <nav className="group" aria-label="Document">
        <button type="button" className="btn" onClick={() => void newDocument()}>
          New
        </button>
        <button type="button" className="btn" onClick={() => setDialog('open')}>
          Open
        </button>
        <button type="button" className="btn" onClick={() => void saveOrAsk(setDialog)} title="Save (Ctrl+S)">
          Save
        </button>
        <button type="button" className="btn" onClick={() => setDialog('saveAs')}>
          Save As
        </button>
        <button type="button" className="btn" onClick={() => setDialog('templates')}>
          Templates
        </button>
        <ShareButtons />
      </nav>
      <nav className="group" aria-label="Edit">
        <button type="button" className="btn" onClick={() => setPalette({})} title="Add node (/ or Ctrl+K)">
          Add node
        </button>
        <button type="button" className="btn icon" aria-label="Undo" title="Undo (Ctrl+Z)" disabled={!canUndo} onClick={() => announce(`Undid ${undo() ?? ''}`)}>
          ↶
        </button>
        <button type="button" className="btn icon" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled={!canRedo} onClick={() => announce(`Redid ${redo() ?? ''}`)}>
          ↷
        </button>
        <button type="button" className="btn icon" aria-label="Fit view" title="Fit view (F)" onClick={() => viewport.fit()}>
          ⤢
        </button>
        <button type="button" className="btn" title="Lay the graph out left to right" onClick={() => tidy()}>
          Tidy
        </button>
      </nav>
      <RunControls />
    </header>
  );
}

/** The document's name with a dot while it has unsaved changes. */
function DocTitle() {
  const shown = useAtomValue(shownNameAtom);
  const dirty = useAtomValue(dirtyAtom);
  return (
    <h1 className="doc-title" aria-label="Document title">
      {shown}
      {dirty && (
        <span className="dirty" aria-label="unsaved changes" title="Unsaved changes">
          {' '}•
        </span>
      )}
    </h1>
  );
}

/** Run or Cancel, the global progress bar and the run's one-line summary. */
function RunControls() {
  const r = useAtomValue(runAtom);
  const progress = useAtomValue(runProgressAtom);
  const running = r.status === 'running';
  return (
    <div className="group run">
      {running ? (
        <button type="button" className="btn danger" onClick={() => void cancel()}>
          Cancel
        </button>
      ) : (
        <button type="button" className="btn primary" onClick={() => void run()} title="Run (Ctrl+Enter)">
          ▶ Run
        </button>
      )}
      <div
        className={`global-progress ${r.status}`}
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round((r.status === 'idle' ? 0 : progress) * 100)}
      >
        <div style={{ width: `${(r.status === 'idle' ? 0 : progress) * 100}%` }} />
      </div>
      <span className="run-summary" aria-label="Run summary" title={r.summary}>
        {r.status === 'running' ? `${Math.round(progress * 100)}%${eta(r.startedAt, progress)}` : (r.summary ?? '')}
      </span>
    </div>
  );
}
