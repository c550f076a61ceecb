/** Open, Save As and template gallery dialogs, over the server's documents and templates APIs. */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useAtom, useAtomValue } from 'jotai';
import { afterSaveAtom, dialogAtom } from '../state/ui.js';
import { listDocuments, listVersions, getTemplates, type DocumentInfo, type TemplateInfo, type VersionInfo } from '../api/client.js';
import { questionAtom } from '../state/confirm.js';
import { store } from '../state/store.js';
import { trapTab } from './focus-trap.js';
import { openDocument, openTemplate, saveAs } from '../state/actions.js';
import { docAtom, docNameAtom } from '../state/doc.js';
import { announce } from '../state/status.js';

export function Modal({ label, onClose, children, role = 'dialog', focus }: { label: string; onClose(): void; children: React.ReactNode; role?: 'dialog' | 'alertdialog'; focus?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>(focus ?? 'input') ?? ref.current?.querySelector<HTMLElement>('input, button, [tabindex]');
    first?.focus();
  }, [focus]);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className="dialog"
        role={role}
        aria-modal="true"
        aria-label={label}
        onKeyDown={(e) => {
          trapTab(e);
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
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

/**
 * A dialog over a list fetched once when it opens: "Loading…" until it arrives, then one item per
 * entry (or `empty` when there are none). A failed fetch is announced and shows as an empty list.
 */
function ListDialog<T>(props: { label: string; what: string; load(): Promise<T[]>; listClass: string; empty?: ReactNode; onClose(): void; item(x: T): ReactNode }) {
  const { label, what, load, listClass, empty, onClose, item } = props;
  const [list, setList] = useState<T[]>();
  useEffect(() => {
    load().then(setList, (e: Error) => {
      announce(`Cannot list ${what}: ${e.message}`, 'error');
      setList([]);
    });
  }, [load, what]);
  return (
    <Modal label={label} onClose={onClose}>
      {!list ? <p>Loading…</p> : !list.length && empty ? empty : <ul className={listClass}>{list.map(item)}</ul>}
    </Modal>
  );
}

function OpenDialog({ onClose }: { onClose(): void }) {
  return (
    <ListDialog label="Open document" what="documents" load={listDocuments} listClass="doc-list" onClose={onClose}
      empty={<p className="hint">No saved documents yet. Use Save As, or start from a template.</p>}
      item={(d) => <DocumentRow key={d.name} doc={d} onClose={onClose} />}
    />
  );
}

/** One saved document: open it, or list and open the versions earlier saves replaced. */
function DocumentRow({ doc: d, onClose }: { doc: DocumentInfo; onClose(): void }) {
  const [versions, setVersions] = useState<VersionInfo[]>();
  const open = (version?: VersionInfo) => {
    onClose();
    void openDocument(d.name, version).catch((e: Error) => announce(`Open failed: ${e.message}`, 'error'));
  };
  return (
    <li>
      <div className="doc-row">
        <button type="button" className="doc-item" onClick={() => open()}>
          <span>{d.name}</span>
          <small>{new Date(d.modified).toLocaleString()}</small>
        </button>
        <button
          type="button"
          className="btn small"
          aria-expanded={!!versions}
          aria-label={`Versions of ${d.name}`}
          onClick={() => (versions ? setVersions(undefined) : listVersions(d.name).then(setVersions, (e: Error) => announce(`Cannot list versions: ${e.message}`, 'error')))}
        >
          Versions
        </button>
      </div>
      {versions && (
        <ul className="version-list" aria-label={`Saved versions of ${d.name}`}>
          {!versions.length && <li className="hint">No earlier versions: each save over this document keeps the one it replaces.</li>}
          {versions.map((v) => (
            <li key={v.id}>
              <button type="button" className="btn small" onClick={() => open(v)}>
                Open version saved {new Date(v.saved).toLocaleString()} ({v.nodes} nodes)
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function SaveAsDialog({ onClose }: { onClose(saved?: boolean): void }) {
  const current = useAtomValue(docNameAtom);
  const title = useAtomValue(docAtom).metadata?.title;
  const [name, setName] = useState(current ?? (title && title !== 'Untitled' ? title.toLowerCase().replace(/\s+/g, '-') : 'my-graph'));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await saveAs(name)) onClose(true);
  };
  return (
    <Modal label="Save document as" onClose={() => onClose(false)}>
      <form onSubmit={submit} className="save-form">
        <label>
          Document name
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => onClose(false)}>
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
  return <ListDialog label="Templates" what="templates" load={getTemplates} listClass="template-grid" onClose={onClose} item={(t) => <TemplateCard key={t.id} t={t} onClose={onClose} />} />;
}

function TemplateCard({ t, onClose }: { t: TemplateInfo; onClose(): void }) {
  return (
    <li>
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
  );
}

/** A question before work could be lost (see state/confirm.ts); Escape and ✕ answer its cancel choice. */
function QuestionDialog() {
  const q = useAtomValue(questionAtom);
  if (!q) return null;
  return (
    <Modal label={q.title} role="alertdialog" onClose={() => q.answer(q.cancel)} focus="[data-default]">
      <p>{q.message}</p>
      <div className="dialog-actions">
        {q.choices.map((c) => (
          <button
            key={c.id}
            type="button"
            className={`btn${c.tone ? ` ${c.tone}` : ''}`}
            // Enter on a question saves (when saving is offered), never destroys.
            data-default={c.id === (q.choices.find((x) => x.tone === 'primary')?.id ?? q.cancel) || undefined}
            onClick={() => q.answer(c.id)}
          >
            {c.label}
          </button>
        ))}
      </div>
    </Modal>
  );
}

export function Dialogs() {
  const [d, setD] = useAtom(dialogAtom);
  const close = (saved = false) => {
    setD(undefined);
    const after = store.get(afterSaveAtom);
    store.set(afterSaveAtom, undefined);
    after?.(saved);
  };
  return (
    <>
      {d === 'open' && <OpenDialog onClose={() => close()} />}
      {d === 'saveAs' && <SaveAsDialog onClose={close} />}
      {d === 'templates' && <TemplateDialog onClose={() => close()} />}
      <QuestionDialog />
    </>
  );
}
