/** Image node body: thumbnail, and for lip-sync ("performer") models a draggable mouth box over it. */
import { useRef, useState, type PointerEvent as RPointerEvent } from 'react';
import type { SpecialProps } from './registry.js';
import { fileUrl } from '../api/client.js';
import { readBox, writeBox, type Box } from '../widgets/basic.js';
import { useDownstream } from './hooks.js';
import { infoFor } from '../state/catalog.js';

function usesPerformer(nodes: ReturnType<typeof useDownstream>): boolean {
  return nodes.some((n) => {
    const info = infoFor(n.type);
    return Object.entries(info?.params ?? {}).some(([k, p]) => p.widget?.kind === 'model' && /performer/i.test(String(n.params[k] ?? p.default ?? '')));
  });
}

export function ImagePreview({ node, info, setParam }: SpecialProps) {
  const path = String(node.params[info.fileParams[0] ?? 'path'] ?? '');
  const boxParam = Object.entries(info.params).find(([, p]) => p.widget?.kind === 'box')?.[0];
  const down = useDownstream(node.id);
  const showBox = !!boxParam && usesPerformer(down);
  const stored = boxParam ? (readBox(node.params[boxParam]) ?? readBox(info.params[boxParam]?.default) ?? { x: 0.35, y: 0.6, w: 0.3, h: 0.15 }) : undefined;
  const [live, setLive] = useState<Box>();
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ mode: 'move' | 'resize'; x: number; y: number; box: Box } | null>(null);
  if (!path) return <div className="thumb empty">No image yet — choose a file or drop one on the canvas</div>;
  const box = live ?? stored;

  const down0 = (mode: 'move' | 'resize') => (e: RPointerEvent) => {
    if (!box) return;
    e.stopPropagation();
    (e.target as Element).setPointerCapture(e.pointerId);
    drag.current = { mode, x: e.clientX, y: e.clientY, box };
  };
  const move = (e: RPointerEvent) => {
    const d = drag.current;
    const r = frame.current?.getBoundingClientRect();
    if (!d || !r) return;
    const dx = (e.clientX - d.x) / r.width;
    const dy = (e.clientY - d.y) / r.height;
    const clamp = (n: number, lo = 0, hi = 1) => Math.max(lo, Math.min(hi, n));
    setLive(
      d.mode === 'move'
        ? { ...d.box, x: clamp(d.box.x + dx, 0, 1 - d.box.w), y: clamp(d.box.y + dy, 0, 1 - d.box.h) }
        : { ...d.box, w: clamp(d.box.w + dx, 0.02, 1 - d.box.x), h: clamp(d.box.h + dy, 0.02, 1 - d.box.y) },
    );
  };
  const up = () => {
    if (drag.current && live && boxParam) setParam(boxParam, writeBox(node.params[boxParam] ?? info.params[boxParam]?.default, live));
    drag.current = null;
    setLive(undefined);
  };

  return (
    <div className="thumb nodrag" ref={frame}>
      <img src={fileUrl(path)} alt={`Reference image for ${node.id}`} draggable={false} />
      {showBox && box && (
        <div
          className="mouth-box"
          role="group"
          aria-label="Mouth box"
          style={{ left: `${box.x * 100}%`, top: `${box.y * 100}%`, width: `${box.w * 100}%`, height: `${box.h * 100}%` }}
          onPointerDown={down0('move')}
          onPointerMove={move}
          onPointerUp={up}
        >
          <span className="mouth-label">mouth</span>
          <div className="mouth-resize" aria-hidden="true" onPointerDown={down0('resize')} onPointerMove={move} onPointerUp={up} />
        </div>
      )}
    </div>
  );
}
