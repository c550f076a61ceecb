/** Global keyboard shortcuts. Editing keys stay with text fields; Ctrl+S and Ctrl+Enter work everywhere. */
import { flushSync } from 'react-dom';
import { redo, undo } from './state/doc.js';
import { announce } from './state/status.js';
import { copy, cut, deleteSelection, paste, selectAll, viewport } from './canvas/commands.js';
import { paletteAtom, dialogAtom } from './state/ui.js';
import { store } from './state/store.js';
import { run } from './state/actions.js';
import { saveOrAsk } from './panels/Toolbar.js';
import { cancelKeyboardConnect } from './canvas/keyboard-connect.js';
import { questionAtom } from './state/confirm.js';

/**
 * Open the palette and focus its search box before this key event ends, so the keys typed
 * right after `/` already go to the box.
 */
function openPalette(): void {
  flushSync(() => store.set(paletteAtom, {}));
}

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    if (mod && k === 's') {
      e.preventDefault();
      if (e.shiftKey) store.set(dialogAtom, 'saveAs');
      else void saveOrAsk((d) => store.set(dialogAtom, d));
      return;
    }
    if (mod && k === 'enter') {
      e.preventDefault();
      void run();
      return;
    }
    if (typing(e.target) || store.get(paletteAtom) || store.get(dialogAtom) || store.get(questionAtom)) return;
    if (e.key === 'Escape' && cancelKeyboardConnect()) {
      e.preventDefault();
      return;
    }
    if (mod && k === 'z') {
      e.preventDefault();
      const l = e.shiftKey ? redo() : undo();
      if (l) announce(`${e.shiftKey ? 'Redid' : 'Undid'} ${l}`);
    } else if (mod && k === 'y') {
      e.preventDefault();
      const l = redo();
      if (l) announce(`Redid ${l}`);
    } else if (mod && k === 'c') copy();
    else if (mod && k === 'x') cut();
    else if (mod && k === 'v') paste();
    else if (mod && k === 'a') {
      e.preventDefault();
      selectAll();
    } else if (mod && k === 'k') {
      e.preventDefault();
      openPalette();
    } else if (!mod && e.key === '/') {
      e.preventDefault();
      openPalette();
    } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
      e.preventDefault();
      deleteSelection();
    } else if (!mod && k === 'f' && !e.altKey) {
      viewport.fit();
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
