import type { NodeTypeInfo, WidgetHint } from '../../engine/node.js';
import type { GraphNode } from '../../engine/graph.js';

/** What every param widget receives. `onChange` records an undoable edit. */
export interface WidgetProps<H extends WidgetHint = WidgetHint> {
  node: GraphNode;
  info: NodeTypeInfo;
  name: string;
  label: string;
  hint: H;
  value: unknown;
  description?: string;
  onChange(value: unknown): void;
}
