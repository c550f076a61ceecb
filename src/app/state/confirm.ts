/**
 * Questions that must be answered before work could be lost (a modified document about to be
 * replaced, a save over another document). `ask` opens the dialog and resolves with the choice.
 */
import { atom } from 'jotai';
import { store } from './store.js';

export interface Question<C extends string = string> {
  title: string;
  message: string;
  /** Buttons left to right; the last is the default. `cancel` is what Escape answers. */
  choices: Array<{ id: C; label: string; tone?: 'primary' | 'danger' }>;
  cancel: C;
}

export const questionAtom = atom<(Question & { answer(c: string): void }) | undefined>(undefined);

export function ask<C extends string>(q: Question<C>): Promise<C> {
  return new Promise<C>((resolve) => {
    store.set(questionAtom, {
      ...q,
      answer: (c: string) => {
        store.set(questionAtom, undefined);
        resolve(c as C);
      },
    });
  });
}
