/**
 * Talks to the NW.js shell when the studio runs inside its iframe (see src/server/API.md,
 * "Desktop bridge"): announces itself, mirrors the window title, and runs File-menu commands.
 * Messages are accepted from the parent window only.
 */
import { store } from './state/store.js';
import { dialogAtom } from './state/ui.js';
import { newDocument } from './state/actions.js';
import { saveOrAsk } from './panels/Toolbar.js';

export function installDesktopBridge(): () => void {
  if (window.parent === window) return () => undefined;
  const onMessage = (e: MessageEvent) => {
    if (e.source !== window.parent) return;
    const m = e.data as { source?: string; type?: string; action?: string };
    if (m?.source !== 's2v-desktop' || m.type !== 'menu') return;
    if (m.action === 'new') newDocument();
    else if (m.action === 'open') store.set(dialogAtom, 'open');
    else if (m.action === 'save') void saveOrAsk((d) => store.set(dialogAtom, d));
  };
  window.addEventListener('message', onMessage);
  window.parent.postMessage({ source: 's2v-studio', type: 'ready' }, '*');
  const titleEl = document.querySelector('title');
  const obs = new MutationObserver(() => window.parent.postMessage({ source: 's2v-studio', type: 'title', title: document.title }, '*'));
  if (titleEl) obs.observe(titleEl, { childList: true, characterData: true, subtree: true });
  return () => {
    window.removeEventListener('message', onMessage);
    obs.disconnect();
  };
}
