/** The template gallery: templates and saved graphs with thumbnail, inputs, models and what is missing. */
import { useEffect, useRef, useState } from 'react';
import { useAtom } from 'jotai';
import { getGallery, type GalleryItem } from '../api/share.js';
import { openDocument, openTemplate } from '../state/actions.js';
import { galleryOpenAtom } from '../state/share.js';
import { announce } from '../state/status.js';
import { trapTab } from './focus-trap.js';

function Item({ item, onOpen }: { item: GalleryItem; onOpen(): void }) {
  return (
    <li className="gallery-item">
      {item.thumbnail ? <img src={item.thumbnail} alt="" className="gallery-thumb" loading="lazy" /> : <div className="gallery-thumb none" aria-hidden="true">♪</div>}
      <div className="gallery-body">
        <h3>{item.title}</h3>
        <p className="gallery-desc">{item.description}</p>
        <p className="gallery-meta">
          {item.source === 'saved' ? 'Your graph · ' : ''}
          Inputs: {item.inputs.map((i) => i.name).join(', ') || 'none'} · Models: {item.models.join(', ') || 'none'}
        </p>
        {item.missing.length > 0 && (
          <ul className="gallery-missing" aria-label={`Missing for ${item.title}`}>
            {item.missing.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="btn primary" onClick={onOpen} aria-label={`Open ${item.title}`}>
        Open
      </button>
    </li>
  );
}

export function Gallery() {
  const [open, setOpen] = useAtom(galleryOpenAtom);
  const [items, setItems] = useState<GalleryItem[]>();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    setItems(undefined);
    getGallery().then(setItems, (e: Error) => {
      announce(`Cannot list the gallery: ${e.message}`, 'error');
      setItems([]);
    });
  }, [open]);
  useEffect(() => {
    if (open && items) ref.current?.querySelector<HTMLElement>('button')?.focus();
  }, [open, items]);
  if (!open) return null;
  const close = () => setOpen(false);
  const openItem = (it: GalleryItem) => {
    close();
    void (it.source === 'template' ? openTemplate(it.id) : openDocument(it.id)).catch((e: Error) => announce(`Cannot open ${it.title}: ${e.message}`, 'error'));
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div ref={ref} className="dialog gallery" role="dialog" aria-modal="true" aria-label="Gallery" onKeyDown={(e) => (trapTab(e), e.key === 'Escape' && close())}>
        <header className="dialog-head">
          <h2>Gallery</h2>
          <button type="button" className="btn icon" aria-label="Close" onClick={close}>
            ✕
          </button>
        </header>
        {!items ? (
          <p>Loading…</p>
        ) : (
          <ul className="gallery-list">
            {items.map((it) => (
              <Item key={`${it.source}:${it.id}`} item={it} onOpen={() => openItem(it)} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
