/**
 * The chrome every node type shares: header with status badge and "Run to here", typed
 * ports as coloured handles, param widgets chosen by hint, the type's special body, and
 * the node's error or blocked line. Built entirely from the catalog's NodeTypeInfo.
 */
import { memo, useCallback, type KeyboardEvent } from 'react';
import { useAtomValue } from 'jotai';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { GraphNode } from '../../engine/graph.js';
import type { NodeTypeInfo, PortSpec } from '../../engine/node.js';
import { nodeInfoByTypeAtom, portColorsAtom } from '../state/catalog.js';
import { isRunningAtom, nodeOutputsAtom, nodeRunAtom, type NodeRun } from '../state/run.js';
import { nodeVerdictAtom } from '../state/validation.js';
import { useUpstream } from '../special/hooks.js';
import { dropRefusalAtom } from './commands.js';
import { docAtom, edit } from '../state/doc.js';
import { setParam } from '../graph/ops.js';
import { widgetRegistry, inferHint } from '../widgets/registry.js';
import { specialRegistry } from '../special/registry.js';
import { run } from '../state/actions.js';
import { store } from '../state/store.js';
import type { WidgetHint } from '../../engine/node.js';
import { portsCompatible, type PortType } from '../../engine/types.js';
import { activatePort, cancelKeyboardConnect, pendingPortAtom } from './keyboard-connect.js';
import type { WidgetProps } from '../widgets/types.js';
import type { ComponentType } from 'react';

export type StudioNodeData = { node: GraphNode };
export type StudioFlowNode = Node<StudioNodeData, 'studio'>;

const STATE_LABEL: Record<NodeRun['state'], string> = {
  queued: 'queued',
  running: 'running',
  cached: 'cached',
  done: 'done',
  error: 'error',
  blocked: 'blocked',
  cancelled: 'cancelled',
  changed: 'changed',
};

function StatusBadge({ id }: { id: string }) {
  const r = useAtomValue(nodeRunAtom(id));
  if (!r) return null;
  const pct = r.state === 'running' && r.fraction !== undefined ? ` ${Math.round(r.fraction * 100)}%` : '';
  return (
    <span className={`status status-${r.state}`} role="status" aria-label={`Status of ${id}: ${STATE_LABEL[r.state]}${pct}`} data-state={r.state}>
      {STATE_LABEL[r.state]}
      {pct}
    </span>
  );
}

function Progress({ id }: { id: string }) {
  const r = useAtomValue(nodeRunAtom(id));
  if (r?.state !== 'running') return <div className="node-progress idle" />;
  const f = r.fraction ?? 0;
  return (
    <div
      className="node-progress"
      role="progressbar"
      aria-label={`Progress of ${id}`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(f * 100)}
      title={r.message}
    >
      <div style={{ width: `${Math.max(3, f * 100)}%` }} />
    </div>
  );
}

function Problems({ id, missing }: { id: string; missing: string[] }) {
  const r = useAtomValue(nodeRunAtom(id));
  const blocker = useAtomValue(nodeRunAtom(r?.blockedBy ?? ''));
  const verdict = useAtomValue(nodeVerdictAtom(id));
  const refused = useAtomValue(dropRefusalAtom);
  const blockerCancelled = blocker?.state === 'cancelled';
  // The run's own error says it better than the live check, which says the same thing.
  const showVerdict = verdict && !(r?.state === 'error' && r.error === verdict);
  return (
    <>
      {refused?.node === id && (
        <p className="drop-refused" role="alert">
          {refused.text}
        </p>
      )}
      {missing.length > 0 && (
        <p className="node-needs">
          Needs {missing.length === 1 ? 'an input' : 'inputs'}: {missing.join(', ')}
        </p>
      )}
      {showVerdict && (
        <p className="node-verdict" aria-label={`Problem on ${id}`}>
          <strong>Won't run:</strong> {verdict}
        </p>
      )}
      {r?.state === 'changed' && <p className="node-changed">Changed since the last run: run again to update the result</p>}
      {r && r.state !== 'changed' && <RunProblems id={id} r={r} blockerCancelled={blockerCancelled} />}
    </>
  );
}

function RunProblems({ id, r, blockerCancelled }: { id: string; r: NodeRun; blockerCancelled: boolean }) {
  return (
    <>
      {r.state === 'error' && r.error && (
        <p className="node-error" role="alert">
          <strong>Error:</strong> {r.error}
        </p>
      )}
      {r.state === 'blocked' && (
        <p className="node-blocked">
          Blocked: {r.blockedBy ? `"${r.blockedBy}" ${blockerCancelled ? 'was cancelled' : 'failed upstream'}` : 'an upstream node failed'}
        </p>
      )}
      {r.warnings.length > 0 && (
        <ul className="node-warnings" aria-label={`Warnings of ${id}`}>
          {[...new Set(r.warnings)].map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The name a screen reader gives a port: "Audio Features output features (features)". */
export function portName(nodeTitle: string, side: 'in' | 'out', spec: PortSpec, name: string): string {
  return `${nodeTitle} ${side === 'in' ? 'input' : 'output'} ${spec.label ?? name} (${spec.type})`;
}

function Port({ nodeId, nodeTitle, name, spec, side, color, missing }: { nodeId: string; nodeTitle: string; name: string; spec: PortSpec; side: 'in' | 'out'; color: string; missing?: boolean }) {
  const label = spec.label ?? name;
  const pending = useAtomValue(pendingPortAtom);
  const aria = portName(nodeTitle, side, spec, name);
  const picked = pending?.node === nodeId && pending.port === name && pending.side === side;
  // While a keyboard connection is open, the ports it could end on are highlighted.
  const candidate = !!pending && !picked && pending.side !== side && pending.node !== nodeId && portsCompatible(
    (side === 'in' ? pending.type : spec.type) as PortType,
    (side === 'in' ? spec.type : pending.type) as PortType,
  );
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      // The node wrapper would take Enter/Space as "select this node".
      e.preventDefault();
      e.stopPropagation();
      activatePort({ node: nodeId, port: name, side, type: spec.type, name: aria });
    } else if (e.key === 'Escape' && cancelKeyboardConnect()) {
      e.stopPropagation();
    }
  };
  return (
    <div className={`port port-${side}${missing ? ' port-missing' : ''}`} title={`${spec.type}${spec.description ? ` — ${spec.description}` : ''}`}>
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={name}
        className={`handle handle-${spec.type}${picked ? ' kbd-picked' : ''}${candidate ? ' kbd-candidate' : ''}`}
        style={{ background: color, borderColor: color }}
        role="button"
        tabIndex={0}
        aria-label={aria}
        aria-pressed={picked}
        onKeyDown={onKeyDown}
      />
      <span className="port-label">
        {label}
        {spec.optional ? <em> opt</em> : null}
        {missing ? <strong className="required"> required</strong> : null}
      </span>
      <span className="port-type" style={{ color }}>
        {spec.type}
      </span>
    </div>
  );
}

/** Params a graph input binds fall back to that input's default (as `s2v run` does). */
function boundDefault(nodeId: string, key: string): unknown {
  return store.get(docAtom).inputs.find((i) => i.bind.node === nodeId && i.bind.param === key)?.default;
}

/** Params an input replaces while it is wired (the port's `overrides`, or a param of the port's own name). */
function drivenParams(info: NodeTypeInfo, up: Map<string, { node: GraphNode; port: string }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [port, spec] of Object.entries(info.inputs)) {
    const key = spec.overrides ?? port;
    const u = up.get(port);
    if (u && info.params[key]) out.set(key, `${u.node.label ?? u.node.id}.${u.port}`);
  }
  return out;
}

function Params({ node, info }: { node: GraphNode; info: NodeTypeInfo }) {
  const change = useCallback((key: string, v: unknown) => edit(`Edit ${node.id}.${key}`, setParam(node.id, key, v), { merge: `${node.id}.${key}` }), [node.id]);
  const driven = drivenParams(info, useUpstream(node.id));
  const entries = Object.entries(info.params);
  if (!entries.length) return null;
  // Params without a default are optional overrides (e.g. a manual mouth box): tucked away until set.
  const isAdvanced = (key: string) => info.params[key]!.default === undefined && !info.fileParams.includes(key);
  const render = (list: typeof entries) =>
    list.map(([key, p]) => {
        const label = (p.widget && 'label' in p.widget && p.widget.label) || p.description || key;
        const hint: WidgetHint = p.widget ?? inferHint(p.default, label);
        if (hint.kind === 'hidden') return null;
        const wire = driven.get(key);
        if (wire) {
          return (
            <div key={key} className="field row driven" role="group" aria-label={`${label}: driven by the wire from ${wire}`}>
              <span className="driven-label">{label}</span>
              <span className="driven-by">⟵ from {wire}</span>
            </div>
          );
        }
        const W = widgetRegistry[hint.kind] as ComponentType<WidgetProps>;
        let value = node.params[key] ?? boundDefault(node.id, key) ?? p.default;
        let shownHint = hint;
        // An Output path left at its default is not a choice: the studio names each render
        // after the document and the time (POST /api/runs), so say that instead of the default.
        if (info.category === 'output' && key === 'path' && hint.kind === 'text' && (value === p.default || value === '')) {
          value = '';
          shownHint = { ...hint, placeholder: 'automatic: <document>-<date-time>.mp4' };
        }
        return <W key={key} node={node} info={info} name={key} label={label} hint={shownHint} value={value} description={p.description} onChange={(v) => change(key, v)} />;
      });
  const basic = entries.filter(([k]) => !isAdvanced(k));
  const advanced = entries.filter(([k]) => isAdvanced(k));
  return (
    <div className="params">
      {render(basic)}
      {advanced.length > 0 && (
        <details className="advanced nodrag" open={advanced.some(([k]) => node.params[k] !== undefined) || undefined}>
          <summary>Optional overrides ({advanced.length})</summary>
          {render(advanced)}
        </details>
      )}
    </div>
  );
}

function StudioNodeView({ id, data, selected }: NodeProps<StudioFlowNode>) {
  const info = useAtomValue(nodeInfoByTypeAtom).get(data.node.type);
  const colors = useAtomValue(portColorsAtom);
  const running = useAtomValue(isRunningAtom);
  const setP = useCallback((key: string, v: unknown) => edit(`Edit ${id}.${key}`, setParam(id, key, v)), [id]);
  const setPs = useCallback(
    (values: Record<string, unknown>) =>
      edit(
        `Edit ${id}`,
        (d) => {
          const n = d.nodes.find((x) => x.id === id);
          if (n) Object.assign(n.params, values);
        },
        { merge: `${id}.special` },
      ),
    [id],
  );
  if (!info) {
    return (
      <div className="s2v-node unknown">
        <header className="node-header">
          <span className="node-title">{data.node.type}</span>
        </header>
        <p className="node-error">Unknown node type "{data.node.type}" — not in this server's catalog</p>
      </div>
    );
  }
  return <KnownNode id={id} node={data.node} info={info} selected={!!selected} colors={colors} running={running} setP={setP} setPs={setPs} />;
}

/** Text a node produced (the Screenwriter's expanded prompt): shown on the node after a run. */
function TextResults({ id, info }: { id: string; info: NodeTypeInfo }) {
  const outs = useAtomValue(nodeOutputsAtom(id));
  const texts = Object.entries(info.outputs).filter(([p, spec]) => spec.type === 'text' && typeof outs?.[p] === 'string');
  if (!texts.length) return null;
  return (
    <div className="text-results nodrag nowheel" role="region" aria-label={`Result of ${id}`}>
      {texts.map(([p, spec]) => (
        <figure key={p}>
          <figcaption>{spec.label ?? p}</figcaption>
          <output>{String(outs![p])}</output>
        </figure>
      ))}
    </div>
  );
}

function KnownNode({
  id,
  node,
  info,
  selected,
  colors,
  running,
  setP,
  setPs,
}: {
  id: string;
  node: GraphNode;
  info: NodeTypeInfo;
  selected: boolean;
  colors: Record<string, string>;
  running: boolean;
  setP(key: string, v: unknown): void;
  setPs(values: Record<string, unknown>): void;
}) {
  const data = { node };
  const up = useUpstream(id);
  const missing = Object.entries(info.inputs).filter(([p, spec]) => !spec.optional && !up.has(p));
  const Special = specialRegistry[info.type];
  const title = data.node.label ?? info.title;
  const withDefaults = { ...data.node, params: { ...data.node.params } };
  for (const k of info.fileParams) if (!withDefaults.params[k]) withDefaults.params[k] = boundDefault(id, k) ?? withDefaults.params[k];
  return (
    <div className={`s2v-node cat-${info.category}${selected ? ' selected' : ''}`} data-node-type={info.type}>
      <header className="node-header">
        <span className="node-title">{title}</span>
        <span className="node-id">{id}</span>
        <StatusBadge id={id} />
        <button
          type="button"
          className="btn icon nodrag"
          aria-label={`Run to here (${id})`}
          title="Run to here: run this node and what it needs"
          disabled={running}
          onClick={() => void run(id)}
        >
          ▶
        </button>
      </header>
      <Progress id={id} />
      <div className="ports">
        <div className="ports-in">
          {Object.entries(info.inputs).map(([name, spec]) => (
            <Port key={name} nodeId={id} nodeTitle={title} name={name} spec={spec} side="in" color={colors[spec.type] ?? '#999'} missing={missing.some(([p]) => p === name)} />
          ))}
        </div>
        <div className="ports-out">
          {Object.entries(info.outputs).map(([name, spec]) => (
            <Port key={name} nodeId={id} nodeTitle={title} name={name} spec={spec} side="out" color={colors[spec.type] ?? '#999'} />
          ))}
        </div>
      </div>
      <Params node={data.node} info={info} />
      {Special && (
        <div className="special">
          <Special node={withDefaults} info={info} setParam={setP} setParams={setPs} />
        </div>
      )}
      <TextResults id={id} info={info} />
      <Problems id={id} missing={missing.map(([p, spec]) => spec.label ?? p)} />
    </div>
  );
}

export const StudioNode = memo(StudioNodeView);
