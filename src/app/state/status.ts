/** The aria-live status line: refused connections, saves, undo labels, upload results. */
import { atom } from 'jotai';
import { store } from './store.js';
import { notify } from './notify.js';

export const statusAtom = atom<{ text: string; tone: 'info' | 'error'; at: number }>({ text: '', tone: 'info', at: 0 });

/** Say what happened; errors also stay as a notification until read (`node` = where it happened). */
export function announce(text: string, tone: 'info' | 'error' = 'info', node?: string): void {
  store.set(statusAtom, { text, tone, at: Date.now() });
  if (tone === 'error') notify(text, node);
}
