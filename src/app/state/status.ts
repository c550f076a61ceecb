/** The aria-live status line: refused connections, saves, undo labels, upload results. */
import { atom } from 'jotai';
import { store } from './store.js';

export const statusAtom = atom<{ text: string; tone: 'info' | 'error'; at: number }>({ text: '', tone: 'info', at: 0 });

export function announce(text: string, tone: 'info' | 'error' = 'info'): void {
  store.set(statusAtom, { text, tone, at: Date.now() });
}
