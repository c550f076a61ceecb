/**
 * Sharing controls: Gallery / Import / Export buttons for the toolbar, dropping a .s2vpack or
 * a video S2V wrote anywhere onto the canvas, and the panel that
 * lists what the open graph needs before it can run.
 */
import { useEffect, useRef } from 'react';
import { useAtom, useAtomValue, useSetAtom } from 'jotai';
import { docAtom } from '../state/doc.js';
import { exportCurrent, galleryOpenAtom, graphFromVideoFile, importBundleFile, isBundle, isVideo, needsAtom, scheduleNeedsCheck } from '../state/share.js';
import { Gallery } from './Gallery.js';

export function ShareButtons() {
  const setGallery = useSetAtom(galleryOpenAtom);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="btn" onClick={() => setGallery(true)}>
        Gallery
      </button>
      <button type="button" className="btn" onClick={() => input.current?.click()} title="Import a .s2vpack bundle, or a video S2V made">
        Import
      </button>
      <button type="button" className="btn" onClick={() => void exportCurrent()} title="Export the graph with its files as a .s2vpack">
        Export
      </button>
      <input
        ref={input}
        type="file"
        accept=".s2vpack,video/mp4,.mp4,.m4v,.mov"
        aria-label="Bundle or video to import"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void (isBundle(f.name) ? importBundleFile(f) : graphFromVideoFile(f));
        }}
      />
    </>
  );
}

function MissingPanel() {
  const [state, setState] = useAtom(needsAtom);
  if (!state.needs.length || state.dismissed) return null;
  return (
    <section className="missing-panel" role="region" aria-label="Missing before running">
      <header>
        <h2>Before running, this graph needs</h2>
        <button type="button" className="btn icon" aria-label="Hide the missing list" onClick={() => setState({ ...state, dismissed: true })}>
          ✕
        </button>
      </header>
      <ul>
        {state.needs.map((n) => (
          <li key={n.line}>
            <strong>{n.where}</strong>: {n.what} — <span className="fix">{n.fix}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Window-level drop of bundles and videos (capture phase, before the canvas's own file drop). */
function useShareDrop(): void {
  useEffect(() => {
    const pick = (e: DragEvent): File | undefined => {
      const f = e.dataTransfer?.files?.[0];
      if (!f) return undefined;
      // No node takes a video file, so a video dropped anywhere means "open the graph it was made with".
      return isBundle(f.name) || isVideo(f) ? f : undefined;
    };
    const onDrop = (e: DragEvent) => {
      const f = pick(e);
      if (!f) return;
      e.preventDefault();
      e.stopPropagation();
      // The canvas never sees this drop; let it put its "drop here" overlay away.
      e.target?.dispatchEvent(new DragEvent('dragleave', { dataTransfer: e.dataTransfer, bubbles: true }));
      void (isBundle(f.name) ? importBundleFile(f) : graphFromVideoFile(f));
    };
    window.addEventListener('drop', onDrop, true);
    return () => window.removeEventListener('drop', onDrop, true);
  }, []);
}

/** Mounted once by the app shell: gallery dialog, missing list, drop handling, live needs check. */
export function ShareOverlays() {
  const doc = useAtomValue(docAtom);
  useShareDrop();
  useEffect(() => scheduleNeedsCheck(), [doc]);
  return (
    <>
      <Gallery />
      <MissingPanel />
    </>
  );
}
