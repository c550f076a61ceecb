/** The aria-live line: what just happened, including why a connection was refused. */
import { useAtomValue } from 'jotai';
import { statusAtom } from '../state/status.js';
import { runAtom } from '../state/run.js';

export function StatusBar() {
  const s = useAtomValue(statusAtom);
  const r = useAtomValue(runAtom);
  return (
    <footer className="statusbar">
      <p role="status" aria-live="polite" aria-label="Status" className={`status-line ${s.tone}`} key={s.at}>
        {s.text}
      </p>
      {r.error && r.status !== 'running' && <p className="run-error">Run: {r.error}</p>}
      <p className="shortcuts" aria-hidden="true">
        / add · Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+C/V copy/paste · Del delete · Ctrl+Enter run · F fit
      </p>
    </footer>
  );
}
