/**
 * Node bodies beyond param widgets (previews, players, recorders), keyed by node type.
 * A node type without an entry simply shows its params.
 */
import type { ComponentType } from 'react';
import type { GraphNode } from '../../engine/graph.js';
import type { NodeTypeInfo } from '../../engine/node.js';
import { ImagePreview } from './ImagePreview.js';
import { AudioPreview } from './AudioPreview.js';
import { MicRecorder } from './MicRecorder.js';
import { TrimEditor } from './TrimEditor.js';
import { OutputPanel } from './OutputPanel.js';
import { ComparePanel } from './ComparePanel.js';
import { FeaturesPlot } from './FeaturesPlot.js';
import { VideoModelPanel } from './VideoModelPanel.js';

export interface SpecialProps {
  node: GraphNode;
  info: NodeTypeInfo;
  setParam(key: string, value: unknown): void;
  setParams(values: Record<string, unknown>): void;
}

export const specialRegistry: Record<string, ComponentType<SpecialProps>> = {
  image: ImagePreview,
  'audio-file': AudioPreview,
  mic: MicRecorder,
  trim: TrimEditor,
  output: OutputPanel,
  compare: ComparePanel,
  'audio-features': FeaturesPlot,
  'video-model': VideoModelPanel,
};
