import { StudioNode } from './StudioNode.js';

/**
 * One generic node component for every catalog type; module-level so its identity never
 * changes (React Flow re-mounts all nodes when `nodeTypes` changes).
 */
export const nodeTypes = { studio: StudioNode } as const;
