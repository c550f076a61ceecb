/**
 * Image node body: thumbnail, and when a downstream Video Model uses a lip-sync
 * ("performer") model, the mouth box over the picture. Dragging or resizing it writes that
 * model node's mouth params (fractions, top-left + size); until then the model finds the
 * mouth itself, shown as a dashed box.
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent as RPointerEvent } from 'react';
import type { GraphNode } from '../../engine/graph.js';
import type { NodeTypeInfo } from '../../engine/node.js';
import type { SpecialProps } from './registry.js';
import { fileUrl } from '../api/client.js';
import { readBox, writeBox, type Box } from '../widgets/basic.js';
import { useDownstream } from './hooks.js';
import { infoFor } from '../state/catalog.js';
import { edit } from '../state/doc.js';

const DEFAULT_BOX: Box = { x: 0.35, y: 0.62, w: 0.3, h: 0.14 };

/** Where a node keeps its mouth box: a 'box' param, or four mouthX/Y/W/H numbers. */
interface MouthTarget {
  node: GraphNode;
  read(): Box | undefined;
  write(b: Box): void;
}

function mouthTarget(n: GraphNode, info: NodeTypeInfo): MouthTarget | undefined {
  const boxKey = Object.entries(info.params).find(([, p]) => p.widget?.kind === 'box')?.[0];
  if (boxKey) {
    return {
      node: n,
      read: () => readBox(n.params[boxKey]),
      write: (b) =>
        edit(`Mouth box on ${n.id}`, (d) => void (d.nodes.find((x) => x.id === n.id)!.params[boxKey] = writeBox(n.params[boxKey] ?? info.params[boxKey]?.default, b) as never), {
          merge: `mouth:${n.id}`,
        }),
    };
  }
  const keys = Object.keys(info.params);
  const k = (s: string) => keys.find((x) => x.toLowerCase() === `mouth${s}`);
  const [x, y, w, h] = [k('x'), k('y'), k('w') ?? k('width'), k('h') ?? k('height')];
  if (!x || !y || !w || !h) return undefined;
  return {
    node: n,
    read: () => {
      const v = [n.params[x], n.params[y], n.params[w], n.params[h]];
      return v.every((q) => typeof q === 'number') ? { x: v[0] as number, y: v[1] as number, w: v[2] as number, h: v[3] as number } : undefined;
    },
    write: (b) =>
      edit(`Mouth box on ${n.id}`, (d) => {
        const p = d.nodes.find((q) => q.id === n.id)!.params;
        const r = (v: number) => Math.round(v * 1000) / 1000;
        Object.assign(p, { [x]: r(b.x), [y]: r(b.y), [w]: r(b.w), [h]: r(b.h) });
      }, { merge: `mouth:${n.id}` }),
  };
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));
const moved = (b: Box, dx: number, dy: number): Box => ({ ...b, x: clamp(b.x + dx, 0, 1 - b.w), y: clamp(b.y + dy, 0, 1 - b.h) });
const resized = (b: Box, dx: number, dy: number): Box => ({ ...b, w: clamp(b.w + dx, 0.02, 1 - b.x), h: clamp(b.h + dy, 0.02, 1 - b.y) });
const pct = (n: number) => `${Math.round(n * 100)}%`;

function lipSyncTarget(nodes: GraphNode[]): MouthTarget | undefined {
  for (const n of nodes) {
    const info = infoFor(n.type);
    if (!info) continue;
    const model = Object.entries(info.params).find(([, p]) => p.widget?.kind === 'model');
    if (!model || !/performer/i.test(String(n.params[model[0]] ?? model[1].default ?? ''))) continue;
    const t = mouthTarget(n, info);
    if (t) return t;
  }
  return undefined;
}

export function ImagePreview({ node, info }: SpecialProps) {
  const path = String(node.params[info.fileParams[0] ?? 'path'] ?? '');
  const target = lipSyncTarget(useDownstream(node.id));
  const stored = target?.read();
  const [live, setLive] = useState<Box>();
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ mode: 'move' | 'resize'; x: number; y: number; box: Box } | null>(null);
  if (!path) return <div className="thumb empty">No image yet — choose a file or drop one on the canvas</div>;
  const box = live ?? stored ?? DEFAULT_BOX;

  const start = (mode: 'move' | 'resize') => (e: RPointerEvent) => {
    e.stopPropagation();
    e.preventDefault();
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    drag.current = { mode, x: e.clientX, y: e.clientY, box };
  };
  const move = (e: RPointerEvent) => {
    const d = drag.current;
    // The frame hugs the picture, so screen deltas / frame size are image fractions at any zoom.
    const r = frame.current?.getBoundingClientRect();
    if (!d || !r) return;
    const dx = (e.clientX - d.x) / r.width;
    const dy = (e.clientY - d.y) / r.height;
    setLive(d.mode === 'move' ? moved(d.box, dx, dy) : resized(d.box, dx, dy));
  };
  // Arrow keys move the box by 1% of the picture, Shift+arrows resize it.
  const onKey = (e: KeyboardEvent) => {
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
    if (!step || !target) return;
    // The node wrapper would move the whole node on arrow keys.
    e.preventDefault();
    e.stopPropagation();
    const [dx, dy] = [step[0]! * 0.01, step[1]! * 0.01];
    target.write(e.shiftKey ? resized(box, dx, dy) : moved(box, dx, dy));
  };
  const end = () => {
    if (drag.current && live && target) target.write(live);
    drag.current = null;
    setLive(undefined);
  };

  return (
    <div className="thumb nodrag">
      <div className="thumb-frame" ref={frame}>
        <img src={fileUrl(path)} alt={`Reference image for ${node.id}`} draggable={false} />
        {target && (
          <div
            className={`mouth-box${stored ? '' : ' auto'}`}
            role="group"
            tabIndex={0}
            aria-roledescription="mouth box"
            aria-label={`Mouth box for ${target.node.id}${stored ? '' : ' (automatic until moved)'}: left ${pct(box.x)}, top ${pct(box.y)}, ${pct(box.w)} wide, ${pct(box.h)} high`}
            aria-description="Drag or use the arrow keys to move it, Shift+arrows to resize"
            onKeyDown={onKey}
            style={{ left: `${box.x * 100}%`, top: `${box.y * 100}%`, width: `${box.w * 100}%`, height: `${box.h * 100}%` }}
            onPointerDown={start('move')}
            onPointerMove={move}
            onPointerUp={end}
          >
            <span className="mouth-label">{stored ? 'mouth' : 'mouth · auto'}</span>
            <div className="mouth-resize" aria-hidden="true" onPointerDown={start('resize')} onPointerMove={move} onPointerUp={end} />
          </div>
        )}
      </div>
    </div>
  );
}
