/** Canvas UI state that is not part of the document (and so not undoable). */
import { atom } from 'jotai';

export const selectedNodesAtom = atom<Set<string>>(new Set<string>());
export const selectedEdgesAtom = atom<Set<string>>(new Set<string>());
/** Open palette: where a chosen node lands (flow coordinates), or undefined = closed. */
export const paletteAtom = atom<{ at?: { x: number; y: number } } | undefined>(undefined);
export const dialogAtom = atom<'open' | 'templates' | 'saveAs' | undefined>(undefined);
/** Told whether the Save As dialog saved (true) or was closed (false), when someone waits for it. */
export const afterSaveAtom = atom<((saved: boolean) => void) | undefined>(undefined);
/** The node holding keyboard focus: drawn above its neighbours so a focused port is never covered. */
export const focusedNodeAtom = atom<string | undefined>(undefined);
