/** The studio shell: toolbar, canvas, palette, dialogs and the status line. */
import { useEffect, useState } from 'react';
import { Provider, useAtomValue } from 'jotai';
import { ReactFlowProvider } from '@xyflow/react';
import { store } from './state/store.js';
import { Canvas } from './canvas/Canvas.js';
import { Toolbar } from './panels/Toolbar.js';
import { StatusBar } from './panels/StatusBar.js';
import { Palette } from './panels/Palette.js';
import { Dialogs } from './panels/Dialogs.js';
import { RecoverBanner } from './panels/RecoverBanner.js';
import { ShareOverlays } from './panels/ImportExport.js';
import { Notifications } from './panels/Notifications.js';
import { startLiveValidation } from './state/validation.js';
import { loadCatalog } from './state/catalog.js';
import { connectEvents } from './api/events.js';
import { readAutosave, startAutosave, suspendAutosave, type Autosaved } from './state/autosave.js';
import { installShortcuts } from './shortcuts.js';
import { installDesktopBridge } from './desktop-bridge.js';
import { startRenderHistory } from './state/render-history.js';
import { dirtyAtom, shownNameAtom } from './state/doc.js';

function useDocumentTitle() {
  const dirty = useAtomValue(dirtyAtom);
  const shown = useAtomValue(shownNameAtom);
  useEffect(() => {
    document.title = `${dirty ? '• ' : ''}${shown} — S2V Studio`;
  }, [dirty, shown]);
}

function Shell() {
  const [state, setState] = useState<'loading' | 'ready' | { error: string }>('loading');
  const [pending, setPending] = useState<Autosaved>();
  useDocumentTitle();
  useEffect(() => {
    const saved = readAutosave();
    if (saved) {
      suspendAutosave(true);
      setPending(saved);
    }
    const stopAutosave = startAutosave();
    const stopKeys = installShortcuts();
    const stopBridge = installDesktopBridge();
    const stopHistory = startRenderHistory();
    let stopValidation = () => undefined as void;
    Promise.all([loadCatalog(), connectEvents()]).then(
      () => {
        stopValidation = startLiveValidation();
        setState('ready');
      },
      (e: Error) => setState({ error: e.message }),
    );
    return () => {
      stopAutosave();
      stopKeys();
      stopBridge();
      stopHistory();
      stopValidation();
    };
  }, []);
  if (state === 'loading') return <div className="splash">Loading S2V Studio…</div>;
  if (typeof state === 'object') {
    return (
      <div className="splash error" role="alert">
        Cannot reach the studio server: {state.error}. Open the link the server printed (it carries the session token).
      </div>
    );
  }
  return (
    <div className="app">
      <Toolbar />
      <main className="main">
        <Canvas />
        <Notifications />
      </main>
      <StatusBar />
      <Palette />
      <Dialogs />
      <ShareOverlays />
      {pending && <RecoverBanner pending={pending} />}
    </div>
  );
}

export function App() {
  return (
    <Provider store={store}>
      <ReactFlowProvider>
        <Shell />
      </ReactFlowProvider>
    </Provider>
  );
}
