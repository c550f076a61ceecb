/**
 * Notifications that stay until the user dismisses them: every error said on the status line
 * (a refused run, a failed upload, a node that failed) also lands here, naming where it happened.
 */
import { atom } from 'jotai';
import { store } from './store.js';

export interface Notice {
  id: number;
  text: string;
  /** The node it happened on, when there is one. */
  node?: string;
  at: number;
}

export const noticesAtom = atom<Notice[]>([]);
let next = 1;

export function notify(text: string, node?: string): void {
  const list = store.get(noticesAtom);
  // The same error again (a second failed run) is one notice, moved to the top.
  const rest = list.filter((n) => !(n.text === text && n.node === node));
  store.set(noticesAtom, [{ id: next++, text, node, at: Date.now() }, ...rest].slice(0, 20));
}

export function dismiss(id: number): void {
  store.set(noticesAtom, (l) => l.filter((n) => n.id !== id));
}
