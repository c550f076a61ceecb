/**
 * Connecting ports without a mouse. Every port is a focusable button: Enter (or Space) on a
 * port picks it as one end, Enter on a port of the other side completes the edge through
 * the same checks and spoken messages as a mouse drag, Escape drops the pick. Either side
 * may start, so a user sitting on an input can look for its source.
 */
import { atom } from 'jotai';
import { store } from '../state/store.js';
import { announce } from '../state/status.js';
import { connectPorts } from './commands.js';

/** One end of a connection being made from the keyboard. */
export interface PortRef {
  node: string;
  port: string;
  side: 'in' | 'out';
  type: string;
  /** The port's accessible name, used in what the status line says. */
  name: string;
}

export const pendingPortAtom = atom<PortRef | undefined>(undefined);

const other = (side: PortRef['side']) => (side === 'out' ? 'an input' : 'an output');

export function activatePort(p: PortRef): void {
  const pending = store.get(pendingPortAtom);
  if (!pending) {
    store.set(pendingPortAtom, p);
    announce(`Connecting from ${p.name}: go to ${other(p.side)} and press Enter, or Escape to cancel`);
    return;
  }
  if (pending.node === p.node && pending.port === p.port && pending.side === p.side) {
    cancelKeyboardConnect();
    return;
  }
  if (pending.side === p.side) {
    announce(`Cannot connect two ${p.side === 'out' ? 'outputs' : 'inputs'}: pick ${other(p.side)} for ${pending.name}, or press Escape`, 'error');
    return;
  }
  const [from, to] = pending.side === 'out' ? [pending, p] : [p, pending];
  // A refused target keeps the pick, so the user can try another port right away.
  if (connectPorts({ source: from.node, sourceHandle: from.port, target: to.node, targetHandle: to.port })) store.set(pendingPortAtom, undefined);
}

/** Drop a pending pick; true when there was one (so Escape has been used up). */
export function cancelKeyboardConnect(): boolean {
  if (!store.get(pendingPortAtom)) return false;
  store.set(pendingPortAtom, undefined);
  announce('Connection cancelled');
  return true;
}
