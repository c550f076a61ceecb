/** The plain param widgets: text, number, slider, select, toggle, file, model. */
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useAtomValue } from 'jotai';
import type { WidgetHint } from '../../engine/node.js';
import type { WidgetProps } from './types.js';
import { describesRhythm } from '../../engine/text/rhythm.js';
import { uploadAsset } from '../api/client.js';
import { modelsAtom } from '../state/catalog.js';
import { announce } from '../state/status.js';

type H<K extends WidgetHint['kind']> = Extract<WidgetHint, { kind: K }>;

export function TextWidget({ node, info, label, hint, value, onChange, name }: WidgetProps<H<'text'>>) {
  const id = useId();
  const text = typeof value === 'string' ? value : '';
  const multiline = hint.multiline ?? false;
  // Only scene descriptions (text nodes) get the nudge; a music prompt may rightly say "84 bpm".
  const rhythm = multiline && info.category === 'text' && describesRhythm(text);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea
          id={id}
          className="nodrag nowheel"
          rows={3}
          value={text}
          placeholder={hint.placeholder}
          aria-describedby={rhythm ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.target.value)}
          data-param={`${node.id}.${name}`}
        />
      ) : (
        <input id={id} className="nodrag" type="text" value={text} placeholder={hint.placeholder} onChange={(e) => onChange(e.target.value)} />
      )}
      {rhythm && (
        <p id={`${id}-hint`} className="hint warn" role="status">
          This describes rhythm, not the scene. The audio already sets the timing — describe what the video looks like.
        </p>
      )}
    </div>
  );
}

/** Why a typed number is not accepted, in the node's own words (its label, unit and limits). */
export function numberProblem(text: string, label: string, hint: { min?: number; max?: number; step?: number; unit?: string }): string | undefined {
  if (text.trim() === '') return `${label} needs a number`;
  const n = Number(text);
  if (!Number.isFinite(n)) return `${label} must be a number`;
  const unit = hint.unit ? ` ${hint.unit}` : '';
  if (hint.min !== undefined && n < hint.min) return `${label} must be at least ${hint.min}${unit}`;
  if (hint.max !== undefined && n > hint.max) return `${label} must be at most ${hint.max}${unit}`;
  if (hint.step !== undefined && Number.isInteger(hint.step) && hint.step >= 1 && !Number.isInteger(n)) return `${label} must be a whole number`;
  return undefined;
}

/** What a number field and a slider both take from their hint: bounds, and the step unless it gives one. */
function numericInput(id: string, type: 'number' | 'range', hint: { min?: number; max?: number; step?: number }, step: number | 'any') {
  return { id, type, className: 'nodrag', min: hint.min, max: hint.max, step: hint.step ?? step };
}

/**
 * A number field checked as it is typed: an out-of-range value stays in the box with the
 * reason beside it and is not written to the graph, so a run never sees it.
 */
export function NumberWidget({ label, hint, value, onChange }: WidgetProps<H<'number'>>) {
  const id = useId();
  const num = typeof value === 'number' ? String(value) : '';
  const [text, setText] = useState<string>();
  const shown = text ?? num;
  const problem = text === undefined ? undefined : numberProblem(text, label, hint);
  return (
    <div className="field">
      <div className="row-inner">
        <label htmlFor={id}>
          {label}
          {hint.unit ? ` (${hint.unit})` : ''}
        </label>
        <input
          {...numericInput(id, 'number', hint, 'any')}
          value={shown}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-err` : undefined}
          onChange={(e) => {
            const t = e.target.value;
            setText(t);
            if (!numberProblem(t, label, hint)) onChange(Number(t));
          }}
          // Leaving a valid field shows the stored value again (e.g. "0012" → 12).
          onBlur={() => !problem && setText(undefined)}
        />
      </div>
      {problem && (
        <p id={`${id}-err`} className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

export function SliderWidget({ label, hint, value, onChange }: WidgetProps<H<'slider'>>) {
  const id = useId();
  const num = typeof value === 'number' ? value : hint.min;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} <output htmlFor={id}>{num}</output>
      </label>
      <input {...numericInput(id, 'range', hint, (hint.max - hint.min) / 100)} value={num} onChange={(e) => onChange(Number(e.target.value))} />
    </div>
  );
}

export function SelectWidget({ label, hint, value, onChange }: WidgetProps<H<'select'>>) {
  const id = useId();
  return (
    <div className="field row">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="nodrag" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        {hint.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ToggleWidget({ label, value, onChange }: WidgetProps<H<'toggle'>>) {
  return (
    <div className="field row">
      <label className="toggle">
        <input type="checkbox" className="nodrag" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
    </div>
  );
}

/** The name the user gave the file: uploads are stored as "<16 hex id>-<name>". */
function baseName(p: string): string {
  return (p.split(/[\\/]/).pop() ?? p).replace(/^[0-9a-f]{16}-/, '');
}

/** Picks a file, uploads it as an asset and stores the asset's absolute path in the param. */
export function FileWidget({ node, label, hint, value, onChange }: WidgetProps<H<'file'>>) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const accept = hint.accept === 'graph' ? '.json,application/json' : `${hint.accept}/*`;
  const path = typeof value === 'string' ? value : '';
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const kind = file.type.split('/')[0];
    if ((hint.accept === 'image' || hint.accept === 'audio') && kind && kind !== hint.accept && /^(image|audio|video)$/.test(kind)) {
      // Refused at once, before uploading, with the reason on this node.
      announce(`${label} of ${node.id} takes ${hint.accept === 'image' ? 'an image' : 'an audio file'}; ${file.name} is ${kind === 'image' ? 'an image' : `a${kind === 'audio' ? 'n' : ''} ${kind} file`}`, 'error', node.id);
      if (inputRef.current) inputRef.current.value = '';
      return;
    }
    setBusy(true);
    try {
      const asset = await uploadAsset(file, file.name);
      onChange(asset.path);
      announce(`${file.name} set on ${node.id}`);
    } catch (err) {
      announce(`Upload of ${file.name} failed: ${(err as Error).message}`, 'error', node.id);
    } finally {
      setBusy(false);
      if (inputRef.current) inputRef.current.value = '';
    }
  };
  return (
    <div className="field file">
      <label htmlFor={id}>{label}</label>
      <div className="file-row">
        <span className="file-name" title={path}>
          {busy ? 'Uploading…' : path ? baseName(path) : 'No file chosen'}
        </span>
        <label className="btn small" htmlFor={id}>
          Choose…
        </label>
        <input ref={inputRef} id={id} className="visually-hidden nodrag" type="file" accept={accept} onChange={pick} aria-label={`${label} (${node.id})`} />
      </div>
    </div>
  );
}

/** Lists installed models with what each needs (image + audio, or audio only). */
export function ModelWidget({ label, value, onChange }: WidgetProps<H<'model'>>) {
  const id = useId();
  const models = useAtomValue(modelsAtom);
  const current = models.find((m) => m.id === value);
  if (!models.length) {
    return (
      <div className="field row">
        <label htmlFor={id}>{label}</label>
        <input id={id} className="nodrag" type="text" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="nodrag" value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        {!current && value ? <option value={String(value)}>{String(value)} (not installed)</option> : null}
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.title} — {m.requiresImage ? 'image + audio' : 'audio only'}
          </option>
        ))}
      </select>
      {current && (
        <p className="hint">
          {current.kind.toUpperCase()} · needs {current.requiresImage ? 'an image and audio' : 'audio (image optional)'} · made for {current.defaults.width}×
          {current.defaults.height} @ {current.defaults.fps} fps
          {(current as { requirements?: string }).requirements ? ` · needs ${(current as { requirements?: string }).requirements}` : null}
        </p>
      )}
    </div>
  );
}
