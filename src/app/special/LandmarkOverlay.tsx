/**
 * The performer's 68 face landmarks over the Image thumbnail: the points the model's mesh moves
 * (detected by the server, or the ones the user placed). Drag a point to nudge it; the whole set
 * is then written to the downstream Video Model's `landmarks` param (fractions of its rendered
 * frame, like the mouth box), and "Reset landmarks" hands them back to the detector.
 */
import { useRef, useState, type PointerEvent as RPointerEvent } from 'react';
import type { GraphNode } from '../../engine/graph.js';
import { edit } from '../state/doc.js';
import type { FrameMap } from './frame-map.js';

type Pt = [number, number];

/** Stored landmarks (frame fractions, x0 y0 x1 y1 …) → image fractions, or undefined. */
export function storedLandmarks(node: GraphNode, map: FrameMap): Pt[] | undefined {
  const v = node.params.landmarks;
  if (!Array.isArray(v) || v.length !== 136 || !v.every((q) => typeof q === 'number')) return undefined;
  return Array.from({ length: 68 }, (_, i) => {
    const b = map.toImage({ x: v[2 * i] as number, y: v[2 * i + 1] as number, w: 0, h: 0 });
    return [b.x, b.y];
  });
}

/** `editing`: points are draggable only then, so they never steal a drag meant for the mouth box. */
export function LandmarkOverlay({ node, points, map, stored, editing }: { node: GraphNode; points: Pt[]; map: FrameMap; stored: boolean; editing: boolean }) {
  const svg = useRef<SVGSVGElement>(null);
  const [live, setLive] = useState<{ i: number; p: Pt }>();
  const shown = live ? points.map((p, i) => (i === live.i ? live.p : p)) : points;
  const at = (e: RPointerEvent): Pt | undefined => {
    const r = svg.current?.getBoundingClientRect();
    if (!r) return undefined;
    return [Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), Math.min(1, Math.max(0, (e.clientY - r.top) / r.height))];
  };
  const write = (pts: Pt[]) =>
    edit(`Landmarks on ${node.id}`, (d) => {
      const r = (v: number) => Math.round(v * 10000) / 10000;
      d.nodes.find((q) => q.id === node.id)!.params.landmarks = pts.flatMap(([x, y]) => {
        const b = map.toFrame({ x, y, w: 0, h: 0 });
        return [r(b.x), r(b.y)];
      }) as never;
    }, { merge: `landmarks:${node.id}` });
  return (
    <>
      <svg ref={svg} className={`landmarks${editing ? ' editing' : ''}`} viewBox="0 0 1 1" preserveAspectRatio="none" aria-label={`Face landmarks for ${node.id}${stored ? ' (placed by hand)' : ' (detected; drag a point to nudge it)'}`}>
        {shown.map(([x, y], i) => (
          <circle
            key={i}
            className={`landmark${i >= 48 ? ' lips' : i >= 36 && i < 48 ? ' eyes' : ''}`}
            cx={x}
            cy={y}
            r={0.008}
            onPointerDown={(e) => {
              e.stopPropagation();
              e.preventDefault();
              (e.currentTarget as Element).setPointerCapture(e.pointerId);
              setLive({ i, p: [x, y] });
            }}
            onPointerMove={(e) => {
              if (live?.i !== i) return;
              const p = at(e);
              if (p) setLive({ i, p });
            }}
            onPointerUp={() => {
              if (live?.i === i) write(shown);
              setLive(undefined);
            }}
          />
        ))}
      </svg>
    </>
  );
}

/** Below the thumbnail (outside the picture's frame, whose size maps drags to fractions). */
export function LandmarkButtons({ node, stored, editing, setEditing }: { node: GraphNode; stored: boolean; editing: boolean; setEditing(v: boolean): void }) {
  return (
    <>
      <button type="button" className="landmarks-edit" aria-pressed={editing} onClick={() => setEditing(!editing)}>
        {editing ? 'Done nudging' : 'Nudge landmarks'}
      </button>
      {stored && (
        <button type="button" className="landmarks-reset" onClick={() => edit(`Reset landmarks on ${node.id}`, (d) => void delete d.nodes.find((q) => q.id === node.id)!.params.landmarks)}>
          Reset landmarks
        </button>
      )}
    </>
  );
}
