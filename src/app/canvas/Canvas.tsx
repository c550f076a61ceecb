/**
 * The node canvas. The engine's graph document is the source of truth; React Flow nodes
 * are derived from it (reusing objects for unchanged nodes so only edited nodes re-render),
 * and every change React Flow reports is turned back into an undoable document edit.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type FocusEvent, type MouseEvent } from 'react';
import { useAtomValue } from 'jotai';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type FinalConnectionState,
} from '@xyflow/react';
import type { GraphDoc } from '../../engine/graph.js';
import { docAtom, edit, editLive, commitFrom } from '../state/doc.js';
import { nodeInfoByTypeAtom, portColorsAtom } from '../state/catalog.js';
import { selectedEdgesAtom, selectedNodesAtom, paletteAtom, focusedNodeAtom } from '../state/ui.js';
import { store } from '../state/store.js';
import { announce } from '../state/status.js';
import { edgeId } from '../graph/ops.js';
import { nodeTypes } from './node-types.js';
import type { StudioFlowNode } from './StudioNode.js';
import { addMediaFile, connectPorts, fillNodeWithFile, pendingTidy, takesFiles, tidy, viewport } from './commands.js';
import { overlaps } from './layout.js';
import { settle } from './placement.js';
import { justAdded } from './commands.js';

const CATEGORY_COLORS: Record<string, string> = {
  source: '#4fa3ff',
  audio: '#3ddc97',
  text: '#d38cff',
  model: '#ff9f43',
  output: '#ff6b6b',
  utility: '#8a8fa3',
};

export function Canvas() {
  const doc = useAtomValue(docAtom);
  const selNodes = useAtomValue(selectedNodesAtom);
  const selEdges = useAtomValue(selectedEdgesAtom);
  const colors = useAtomValue(portColorsAtom);
  const infos = useAtomValue(nodeInfoByTypeAtom);
  const focused = useAtomValue(focusedNodeAtom);
  const rf = useReactFlow();
  const pointer = useRef<{ x: number; y: number }>(undefined);
  const wrapper = useRef<HTMLDivElement>(null);
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const [measureTick, setMeasureTick] = useState(0);
  const cache = useRef(new Map<string, StudioFlowNode>());
  const dragBase = useRef<GraphDoc | null>(null);

  useEffect(() => {
    viewport.center = () => {
      const r = wrapper.current?.getBoundingClientRect();
      if (!r) return { x: 0, y: 0 };
      return rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
    };
    viewport.toFlow = (p) => rf.screenToFlowPosition(p);
    viewport.fit = () => void rf.fitView({ padding: 0.15, duration: 200, maxZoom: 1 });
    viewport.sizes = () => new Map(measured.current);
    viewport.reveal = (b) => {
      const r = wrapper.current?.getBoundingClientRect();
      if (!r) return;
      const a = rf.flowToScreenPosition({ x: b.x, y: b.y });
      const z = rf.getZoom();
      const inside = a.x >= r.left && a.y >= r.top && a.x + b.width * z <= r.right && a.y + b.height * z <= r.bottom;
      if (!inside) void rf.setCenter(b.x + b.width / 2, b.y + b.height / 2, { zoom: z, duration: 150 });
    };
    viewport.pointer = () => (pointer.current ? rf.screenToFlowPosition(pointer.current) : undefined);
  }, [rf]);

  useEffect(() => {
    if (!pendingTidy.on) return;
    const d = store.get(docAtom);
    if (!d.nodes.length || !d.nodes.every((n) => measured.current.has(n.id))) return;
    pendingTidy.on = false;
    if (pendingTidy.tidy && overlaps(d, measured.current)) tidy({ record: false });
    else viewport.fit();
  }, [measureTick]);

  const nodes = useMemo(() => {
    const next = new Map<string, StudioFlowNode>();
    const list = doc.nodes.map((gn) => {
      const prev = cache.current.get(gn.id);
      const m = measured.current.get(gn.id);
      const selected = selNodes.has(gn.id);
      // The node holding keyboard focus is drawn above the others, so a focused port is never covered.
      const zIndex = focused === gn.id ? 2000 : undefined;
      if (prev && prev.data.node === gn && prev.selected === selected && prev.measured === m && prev.zIndex === zIndex) {
        next.set(gn.id, prev);
        return prev;
      }
      const title = infos.get(gn.type)?.title ?? gn.type;
      const n: StudioFlowNode = {
        id: gn.id,
        type: 'studio',
        position: gn.position,
        data: { node: gn },
        selected,
        measured: m,
        zIndex,
        ariaLabel: `${title} node ${gn.id}`,
        dragHandle: '.node-header',
      };
      next.set(gn.id, n);
      return n;
    });
    cache.current = next;
    return list;
    // measureTick: measured sizes live in a ref; the tick says they changed.
  }, [doc.nodes, selNodes, infos, measureTick, focused]);

  const edges = useMemo<Edge[]>(() => {
    const byId = new Map(doc.nodes.map((n) => [n.id, n]));
    return doc.edges.map((e) => {
      const id = edgeId(e);
      const src = byId.get(e.from.node);
      const type = src ? infos.get(src.type)?.outputs[e.from.port]?.type : undefined;
      const color = (type && colors[type]) || '#888';
      return {
        id,
        source: e.from.node,
        sourceHandle: e.from.port,
        target: e.to.node,
        targetHandle: e.to.port,
        selected: selEdges.has(id),
        style: { stroke: color, strokeWidth: selEdges.has(id) ? 3.5 : 2 },
        // Wires are drawn over the nodes (a wire passing behind a node looked unconnected);
        // a narrow hit area keeps the widgets under them clickable.
        zIndex: 3000,
        interactionWidth: 8,
        ariaLabel: `Edge from ${e.from.node}.${e.from.port} to ${e.to.node}.${e.to.port}`,
      };
    });
  }, [doc.nodes, doc.edges, selEdges, infos, colors]);

  const onNodesChange = useCallback((changes: NodeChange<StudioFlowNode>[]) => {
    const pos: Record<string, { x: number; y: number }> = {};
    let dims = false;
    const grownIds: string[] = [];
    let sel: Set<string> | undefined;
    for (const c of changes) {
      if (c.type === 'dimensions' && c.dimensions) {
        const was = measured.current.get(c.id);
        // A node that got taller or wider (not one measured for the first time, as on opening a document).
        if ((was && (c.dimensions.height > was.height + 1 || c.dimensions.width > was.width + 1)) || justAdded.has(c.id)) grownIds.push(c.id);
        measured.current.set(c.id, c.dimensions);
        dims = true;
      } else if (c.type === 'position' && c.position) {
        pos[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
      } else if (c.type === 'select') {
        sel ??= new Set(store.get(selectedNodesAtom));
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    }
    if (dims) {
      setMeasureTick((t) => t + 1);
      // Whatever a new or grown node now covers moves out of its way (not an undo step: nobody moved it by hand).
      const moved = grownIds.length ? settle(store.get(docAtom), measured.current, grownIds, justAdded) : new Map<string, { x: number; y: number }>();
      for (const id of grownIds) justAdded.delete(id);
      if (moved.size && !dragBase.current) {
        editLive((d) => {
          for (const n of d.nodes) {
            const p = moved.get(n.id);
            if (p) n.position = p;
          }
        });
      }
    }
    if (sel) store.set(selectedNodesAtom, sel);
    if (Object.keys(pos).length) {
      const recipe = (d: GraphDoc) => {
        for (const n of d.nodes) if (pos[n.id]) n.position = pos[n.id]!;
      };
      // Mouse drags are recorded once on drop; keyboard nudges (arrow keys) one step each.
      if (dragBase.current) editLive(recipe);
      else edit('Move', recipe, { merge: `move:${Object.keys(pos).sort().join(',')}` });
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    let sel: Set<string> | undefined;
    for (const c of changes) {
      if (c.type === 'select') {
        sel ??= new Set(store.get(selectedEdgesAtom));
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    }
    if (sel) store.set(selectedEdgesAtom, sel);
  }, []);

  const onDragStart = useCallback(() => {
    dragBase.current = store.get(docAtom);
  }, []);
  const onDragStop = useCallback(() => {
    const base = dragBase.current;
    dragBase.current = null;
    if (!base) return;
    const now = new Map(store.get(docAtom).nodes.map((n) => [n.id, n.position]));
    commitFrom(base, 'Move', (d) => {
      for (const n of d.nodes) {
        const p = now.get(n.id);
        if (p && (p.x !== n.position.x || p.y !== n.position.y)) n.position = { ...p };
      }
    });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    connectPorts({ source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? '', targetHandle: c.targetHandle ?? '' });
  }, []);

  // React Flow drops a connection between two inputs or two outputs silently; say why.
  const onConnectEnd = useCallback((_e: unknown, s: FinalConnectionState) => {
    if (s.isValid || !s.fromHandle || !s.toHandle) return;
    if (s.fromHandle.type === s.toHandle.type) announce(`Cannot connect two ${s.fromHandle.type === 'source' ? 'outputs' : 'inputs'}: drag from an output to an input`, 'error');
  }, []);

  const onPaneDoubleClick = useCallback(
    (e: MouseEvent) => {
      if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
      store.set(paletteAtom, { at: rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
    },
    [rf],
  );

  // Tabbing to a port or field of a node that is off screen pans the canvas to it (React
  // Flow does this for focused nodes only), so keyboard users see where they are.
  const onFocusIn = useCallback(
    (e: FocusEvent) => {
      const el = e.target as HTMLElement;
      const owner = el.closest<HTMLElement>('.react-flow__node')?.dataset.id;
      if (store.get(focusedNodeAtom) !== owner) store.set(focusedNodeAtom, owner);
      const c = wrapper.current?.getBoundingClientRect();
      if (!c || !el.closest('.react-flow__node') || el.classList.contains('react-flow__node')) return;
      // The browser scrolls the clipped canvas to show the focused element, which would shift
      // the whole graph off React Flow's coordinates; undo that and pan the viewport instead.
      for (let a: HTMLElement | null = el.parentElement; a && a !== wrapper.current?.parentElement; a = a.parentElement) {
        if (a.scrollLeft || a.scrollTop) a.scrollTo(0, 0);
      }
      const r = el.getBoundingClientRect();
      const m = 24;
      if (r.left >= c.left + m && r.right <= c.right - m && r.top >= c.top + m && r.bottom <= c.bottom - m) return;
      const p = rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
      void rf.setCenter(p.x, p.y, { zoom: rf.getZoom(), duration: 150 });
    },
    [rf],
  );

  // Depth counter: dragenter/dragleave fire for every child the file passes over.
  const dragDepth = useRef(0);
  const [dropping, setDropping] = useState(false);
  const carriesFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  const onDragEnter = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    dragDepth.current++;
    setDropping(true);
  };
  const onDragLeave = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    dragDepth.current = Math.max(0, dragDepth.current - 1);
    if (!dragDepth.current) setDropping(false);
  };

  const onDrop = useCallback(
    (e: DragEvent) => {
      dragDepth.current = 0;
      setDropping(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!files.length) return;
      e.preventDefault();
      // Onto a node that takes files: fill that node (or refuse a file of the wrong kind).
      const onto = (e.target as HTMLElement).closest?.<HTMLElement>('.react-flow__node')?.dataset.id;
      if (onto && takesFiles(onto)) {
        void fillNodeWithFile(onto, files[0]!);
        return;
      }
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      files.forEach((f, i) => void addMediaFile(f, { x: at.x + 130, y: at.y + 40 + i * 200 }));
    },
    [rf],
  );

  return (
    <div
      className={`canvas${dropping ? ' dropping' : ''}`}
      ref={wrapper}
      onDoubleClick={onPaneDoubleClick}
      onDrop={onDrop}
      onDragOver={(e) => e.preventDefault()}
      onDragEnter={onDragEnter}
      onDragLeave={onDragLeave}
      onFocus={onFocusIn}
      onPointerMove={(e) => void (pointer.current = { x: e.clientX, y: e.clientY })}
    >
      {dropping && (
        <div className="drop-hint" aria-hidden="true">
          Drop a file onto an Image or Audio node to fill it, or on the canvas to add one
        </div>
      )}
      <ReactFlow<StudioFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onNodeDragStart={onDragStart}
        onNodeDragStop={onDragStop}
        onSelectionDragStart={onDragStart}
        onSelectionDragStop={onDragStop}
        // A composited layer while panning/zooming (smooth), re-rastered crisp when the move ends.
        onMoveStart={() => wrapper.current?.classList.add('moving')}
        onMoveEnd={() => wrapper.current?.classList.remove('moving')}
        deleteKeyCode={null}
        zoomOnDoubleClick={false}
        multiSelectionKeyCode={['Control', 'Meta']}
        selectionKeyCode="Shift"
        minZoom={0.1}
        maxZoom={2}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
        onlyRenderVisibleElements={doc.nodes.length > 80}
        aria-label="Graph canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={22} size={1.2} color="#2c2f3a" />
        <Controls aria-label="Canvas zoom controls" showInteractive={false} showFitView={false} />
        <MiniMap
          pannable
          zoomable
          ariaLabel="Minimap"
          nodeColor={(n) => CATEGORY_COLORS[infos.get((n.data as { node: { type: string } }).node.type)?.category ?? ''] ?? '#666'}
          nodeStrokeWidth={2}
          maskColor="rgba(10,11,15,0.7)"
          style={{ background: '#15161c' }}
        />
      </ReactFlow>
    </div>
  );
}
