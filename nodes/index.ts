/**
 * The node catalog, in palette order. Registered once at module level so the studio's
 * nodeTypes keep their identity. Add a node: create nodes/<name>/<name>.node.ts and list it here.
 */
import { createCatalog, type AnyNodeDef } from '../src/engine/index.js';
import { imageNode } from './image/image.node.js';
import { audioFileNode } from './audio-file/audio-file.node.js';
import { micNode } from './mic/mic.node.js';
import { audioGenerateNode } from './audio-generate/audio-generate.node.js';
import { trimNode } from './trim/trim.node.js';
import { audioFeaturesNode } from './audio-features/audio-features.node.js';
import { promptNode } from './prompt/prompt.node.js';
import { screenwriterNode } from './screenwriter/screenwriter.node.js';
import { videoModelNode } from './video-model/video-model.node.js';
import { compareNode } from './compare/compare.node.js';
import { outputNode } from './output/output.node.js';

export const nodeDefs: readonly AnyNodeDef[] = [
  imageNode,
  audioFileNode,
  micNode,
  audioGenerateNode,
  trimNode,
  audioFeaturesNode,
  promptNode,
  screenwriterNode,
  videoModelNode,
  compareNode,
  outputNode,
];

export const catalog = createCatalog(nodeDefs);
