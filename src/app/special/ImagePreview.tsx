/**
 * Image node body: thumbnail, and when a downstream Video Model uses a lip-sync
 * ("performer") model, the mouth box over the picture. Until the user places it, the box is
 * the mouth the server's face detector finds (the detector the model uses), or a dashed
 * default when there is no face. Dragging, resizing or the arrow keys write that model
 * node's mouth params (fractions of its rendered frame, top-left + size: see frame-map.ts);
 * "Reset to detected" clears them.
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent as RPointerEvent } from 'react';
import type { GraphNode } from '../../engine/graph.js';
import type { NodeTypeInfo } from '../../engine/node.js';
import type { SpecialProps } from './registry.js';
import { fileUrl } from '../api/client.js';
import { useDownstream } from './hooks.js';
import { useFaceDetection } from './use-face-detection.js';
import { frameMap, type Box, type Frame } from './frame-map.js';
import { infoFor } from '../state/catalog.js';
import { edit } from '../state/doc.js';
import { LandmarkButtons, LandmarkOverlay, storedLandmarks } from './LandmarkOverlay.js';

/** Where the box starts when no face is found (image fractions): lower middle, where mouths usually are. */
const DEFAULT_BOX: Box = { x: 0.35, y: 0.62, w: 0.3, h: 0.14 };

/** Where a node keeps its mouth box (four mouthX/Y/W/H numbers), and the frame it is relative to. */
interface MouthTarget {
  node: GraphNode;
  /** The model's render size and fit, when it has them; the box is in fractions of that frame. */
  frame?: Frame;
  read(): Box | undefined;
  write(b: Box): void;
  /** Remove the override: the model finds the mouth itself again. */
  clear(): void;
}

function frameOf(n: GraphNode, info: NodeTypeInfo): Frame | undefined {
  const v = (k: string) => n.params[k] ?? info.params[k]?.default;
  const [width, height, fit] = [v('width'), v('height'), v('fit') ?? 'fill'];
  if (typeof width !== 'number' || typeof height !== 'number' || (fit !== 'fill' && fit !== 'fit' && fit !== 'letterbox')) return undefined;
  return { width, height, fit };
}

function mouthTarget(n: GraphNode, info: NodeTypeInfo): MouthTarget | undefined {
  const frame = frameOf(n, info);
  const keys = Object.keys(info.params);
  const k = (s: string) => keys.find((x) => x.toLowerCase() === `mouth${s}`);
  const [x, y, w, h] = [k('x'), k('y'), k('w') ?? k('width'), k('h') ?? k('height')];
  if (!x || !y || !w || !h) return undefined;
  return {
    node: n,
    frame,
    read: () => {
      const v = [n.params[x], n.params[y], n.params[w], n.params[h]];
      // The model ignores a box with no area (video-model.node.ts manualMouth), so the overlay does too.
      if (!v.every((q) => typeof q === 'number') || !((v[2] as number) > 0 && (v[3] as number) > 0)) return undefined;
      return { x: v[0] as number, y: v[1] as number, w: v[2] as number, h: v[3] as number };
    },
    write: (b) =>
      edit(`Mouth box on ${n.id}`, (d) => {
        const p = d.nodes.find((q) => q.id === n.id)!.params;
        const r = (v: number) => Math.round(v * 1000) / 1000;
        Object.assign(p, { [x]: r(b.x), [y]: r(b.y), [w]: r(b.w), [h]: r(b.h) });
      }, { merge: `mouth:${n.id}` }),
    clear: () =>
      edit(`Reset mouth box on ${n.id}`, (d) => {
        const p = d.nodes.find((q) => q.id === n.id)!.params;
        for (const key of [x, y, w, h]) delete p[key];
      }),
  };
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));
/** Keep a box inside `area` (the part of the image the model's frame shows). */
const moved = (b: Box, dx: number, dy: number, a: Box): Box => ({ ...b, x: clamp(b.x + dx, a.x, a.x + a.w - b.w), y: clamp(b.y + dy, a.y, a.y + a.h - b.h) });
const resized = (b: Box, dx: number, dy: number, a: Box): Box => ({ ...b, w: clamp(b.w + dx, 0.02, a.x + a.w - b.x), h: clamp(b.h + dy, 0.02, a.y + a.h - b.y) });
const unit = (n: number) => clamp(n, 0, 1);
const inUnit = (b: Box): Box => ({ x: unit(b.x), y: unit(b.y), w: clamp(b.w, 0, 1 - unit(b.x)), h: clamp(b.h, 0, 1 - unit(b.y)) });
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

type BoxSource = 'placed' | 'detected' | 'no-face' | 'failed' | 'pending';

const LABEL: Record<BoxSource, { tag: string; aria: string }> = {
  placed: { tag: 'mouth', aria: '' },
  detected: { tag: 'detected', aria: ' (detected; drag to override)' },
  'no-face': { tag: 'mouth · default', aria: ' (no face found; default until moved)' },
  failed: { tag: 'mouth · default', aria: ' (face detection failed; default until moved)' },
  pending: { tag: 'finding face…', aria: ' (finding the face…)' },
};

export function ImagePreview({ node, info }: SpecialProps) {
  const path = String(node.params[info.fileParams[0] ?? 'path'] ?? '');
  const target = lipSyncTarget(useDownstream(node.id));
  const stored = target?.read();
  // Detect while either overlay still needs the detector: the mouth box or the landmarks.
  const placedLandmarks = Array.isArray(target?.node.params.landmarks);
  const detection = useFaceDetection(target && (!stored || !placedLandmarks) && path ? path : undefined);
  const [natural, setNatural] = useState<{ path: string; w: number; h: number }>();
  const [live, setLive] = useState<Box>();
  const [nudging, setNudging] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ mode: 'move' | 'resize'; x: number; y: number; box: Box } | null>(null);
  if (!path) return <div className="thumb empty">No image yet — choose a file or drop one on the canvas</div>;

  const answer = detection.status === 'done' ? detection.answer : undefined;
  const size = answer ? { w: answer.width, h: answer.height } : natural?.path === path ? natural : undefined;
  // Params are fractions of the model's frame; the thumbnail shows the whole image.
  const map = frameMap(size?.w ?? 0, size?.h ?? 0, target?.frame);
  const source: BoxSource = stored ? 'placed' : answer ? (answer.face ? 'detected' : 'no-face') : detection.status === 'error' ? 'failed' : 'pending';
  const box = live ?? (stored ? map.toImage(stored) : answer?.face ? answer.mouth : DEFAULT_BOX);
  const area = map.visible;
  const cropped = area.w < 0.999 || area.h < 0.999;
  const place = (b: Box) => target?.write(inUnit(map.toFrame(b)));
  const landmarks = target ? (storedLandmarks(target.node, map) ?? (answer?.face ? answer.landmarks : undefined)) : undefined;

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
    setLive(d.mode === 'move' ? moved(d.box, dx, dy, area) : resized(d.box, dx, dy, area));
  };
  // Arrow keys move the box by 1% of the picture, Shift+arrows resize it.
  const onKey = (e: KeyboardEvent) => {
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
    if (!step || !target) return;
    // The node wrapper would move the whole node on arrow keys.
    e.preventDefault();
    e.stopPropagation();
    const [dx, dy] = [step[0]! * 0.01, step[1]! * 0.01];
    place(e.shiftKey ? resized(box, dx, dy, area) : moved(box, dx, dy, area));
  };
  const end = () => {
    if (drag.current && live) place(live);
    drag.current = null;
    setLive(undefined);
  };
  const label = LABEL[source];
  const note =
    source === 'no-face' ? 'no face found — drag to set the mouth' : source === 'failed' && detection.status === 'error' ? `face detection failed (${detection.error}) — drag to set the mouth` : undefined;

  return (
    <>
      {/* Taller while the mouth is being placed: at thumbnail size a mouth is a few pixels. */}
      <div className={`thumb nodrag${target ? ' mouth-editing' : ''}`}>
        <div className="thumb-frame" ref={frame}>
          <img
            src={fileUrl(path)}
            alt={`Reference image for ${node.id}`}
            draggable={false}
            onLoad={(e) => setNatural({ path, w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
          />
          {target && cropped && (
            <div
              className="frame-visible"
              aria-hidden="true"
              title={`What ${target.node.id}'s ${target.frame!.width}×${target.frame!.height} frame shows (fit: ${target.frame!.fit})`}
              style={{ left: `${area.x * 100}%`, top: `${area.y * 100}%`, width: `${area.w * 100}%`, height: `${area.h * 100}%` }}
            />
          )}
          {target && (
            <div
              className={`mouth-box ${source}${source === 'no-face' || source === 'failed' || source === 'pending' ? ' auto' : ''}`}
              role="group"
              tabIndex={0}
              aria-roledescription="mouth box"
              aria-label={`Mouth box for ${target.node.id}${label.aria}: left ${pct(box.x)}, top ${pct(box.y)}, ${pct(box.w)} wide, ${pct(box.h)} high`}
              aria-description="Drag or use the arrow keys to move it, Shift+arrows to resize"
              onKeyDown={onKey}
              style={{ left: `${box.x * 100}%`, top: `${box.y * 100}%`, width: `${box.w * 100}%`, height: `${box.h * 100}%` }}
              onPointerDown={start('move')}
              onPointerMove={move}
              onPointerUp={end}
            >
              <span className="mouth-label">{label.tag}</span>
              <div className="mouth-resize" aria-hidden="true" onPointerDown={start('resize')} onPointerMove={move} onPointerUp={end} />
            </div>
          )}
          {target && landmarks && <LandmarkOverlay node={target.node} points={landmarks} map={map} stored={placedLandmarks} editing={nudging} />}
        </div>
      </div>
      {target && landmarks && (
        <div className="mouth-bar nodrag">
          <LandmarkButtons node={target.node} stored={placedLandmarks} editing={nudging} setEditing={setNudging} />
        </div>
      )}
      {target && (note || stored) && (
        <div className="mouth-bar nodrag">
          {note && <p className="mouth-note">{note}</p>}
          {stored && (
            <button type="button" className="mouth-reset" onClick={() => target.clear()} title={`Clear ${target.node.id}'s mouth params so the model finds the mouth itself`}>
              Reset to detected
            </button>
          )}
        </div>
      )}
    </>
  );
}
