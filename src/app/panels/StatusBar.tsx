/** The aria-live line: what just happened, including why a connection was refused. */
import { useAtomValue } from 'jotai';
import { statusAtom } from '../state/status.js';

export function StatusBar() {
  const s = useAtomValue(statusAtom);
  return (
    <footer className="statusbar">
      <p role="status" aria-live="polite" aria-label="Status" className={`status-line ${s.tone}`} key={s.at}>
        {s.text}
      </p>
      <p className="shortcuts" aria-label="Keyboard shortcuts">
        / add · Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+C/V copy/paste · Del delete · Ctrl+Enter run · F fit
      </p>
    </footer>
  );
}
