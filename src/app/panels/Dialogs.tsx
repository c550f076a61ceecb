/** Open, Save As and template gallery dialogs, over the server's documents and templates APIs. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useAtom, useAtomValue } from 'jotai';
import { dialogAtom } from '../state/ui.js';
import { listDocuments, getTemplates, type DocumentInfo, type TemplateInfo } from '../api/client.js';
import { openDocument, openTemplate, saveAs } from '../state/actions.js';
import { docAtom, docNameAtom } from '../state/doc.js';
import { announce } from '../state/status.js';

function Modal({ label, onClose, children }: { label: string; onClose(): void; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input, button, [tabindex]');
    first?.focus();
  }, []);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className="dialog" role="dialog" aria-modal="true" aria-label={label} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <header className="dialog-head">
          <h2>{label}</h2>
          <button type="button" className="btn icon" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

function OpenDialog({ onClose }: { onClose(): void }) {
  const [docs, setDocs] = useState<DocumentInfo[]>();
  useEffect(() => {
    listDocuments().then(setDocs, (e: Error) => {
      announce(`Cannot list documents: ${e.message}`, 'error');
      setDocs([]);
    });
  }, []);
  return (
    <Modal label="Open document" onClose={onClose}>
      {!docs ? (
        <p>Loading…</p>
      ) : !docs.length ? (
        <p className="hint">No saved documents yet. Use Save As, or start from a template.</p>
      ) : (
        <ul className="doc-list">
          {docs.map((d) => (
            <li key={d.name}>
              <button
                type="button"
                className="doc-item"
                onClick={() => {
                  onClose();
                  void openDocument(d.name).catch((e: Error) => announce(`Open failed: ${e.message}`, 'error'));
                }}
              >
                <span>{d.name}</span>
                <small>{new Date(d.modified).toLocaleString()}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}

function SaveAsDialog({ onClose }: { onClose(): void }) {
  const current = useAtomValue(docNameAtom);
  const title = useAtomValue(docAtom).metadata?.title;
  const [name, setName] = useState(current ?? (title && title !== 'Untitled' ? title.toLowerCase().replace(/\s+/g, '-') : 'my-graph'));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await saveAs(name)) onClose();
  };
  return (
    <Modal label="Save document as" onClose={onClose}>
      <form onSubmit={submit} className="save-form">
        <label>
          Document name
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary">
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}

function TemplateDialog({ onClose }: { onClose(): void }) {
  const [list, setList] = useState<TemplateInfo[]>();
  useEffect(() => {
    getTemplates().then(setList, (e: Error) => {
      announce(`Cannot list templates: ${e.message}`, 'error');
      setList([]);
    });
  }, []);
  return (
    <Modal label="Templates" onClose={onClose}>
      {!list ? (
        <p>Loading…</p>
      ) : (
        <ul className="template-grid">
          {list.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                className="template-card"
                aria-label={`Use template ${t.title}`}
                onClick={() => {
                  onClose();
                  void openTemplate(t.id).catch((e: Error) => announce(`Template failed: ${e.message}`, 'error'));
                }}
              >
                <strong>{t.title}</strong>
                <span>{t.description}</span>
                <span className="tags">
                  {t.tags.map((x) => (
                    <em key={x}>{x}</em>
                  ))}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}

export function Dialogs() {
  const [d, setD] = useAtom(dialogAtom);
  const close = () => setD(undefined);
  if (d === 'open') return <OpenDialog onClose={close} />;
  if (d === 'saveAs') return <SaveAsDialog onClose={close} />;
  if (d === 'templates') return <TemplateDialog onClose={close} />;
  return null;
}
