/**
 * Widget registry: a node's widget hint (plain data from the catalog) → the component
 * that edits it. New hint kinds get a component here; node types need no UI code.
 */
import type { ComponentType } from 'react';
import type { WidgetHint } from '../../engine/node.js';
import type { WidgetProps } from './types.js';
import { FileWidget, ModelWidget, NumberWidget, SelectWidget, SliderWidget, TextWidget, ToggleWidget } from './BasicWidgets.js';

type Registry = { [K in Exclude<WidgetHint['kind'], 'hidden'>]: ComponentType<WidgetProps<Extract<WidgetHint, { kind: K }>>> };

export const widgetRegistry: Registry = {
  text: TextWidget,
  number: NumberWidget,
  slider: SliderWidget,
  select: SelectWidget,
  toggle: ToggleWidget,
  file: FileWidget,
  model: ModelWidget,
};

/** A hint for params the node did not describe, guessed from the default value. */
export function inferHint(def: unknown, label: string): WidgetHint {
  if (typeof def === 'number') return { kind: 'number', label };
  if (typeof def === 'boolean') return { kind: 'toggle', label };
  if (typeof def === 'string' || def === undefined) return { kind: 'text', label };
  return { kind: 'hidden' };
}
