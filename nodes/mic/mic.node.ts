// PLACEHOLDER — replaced by the real node; evaluate throws until then.
import { z } from 'zod';
import { defineNode, S2VError } from '../../src/engine/index.js';

export const micNode = defineNode({
  type: 'mic',
  version: 1,
  title: 'Mic',
  category: 'source',
  description: 'not implemented yet',
  inputs: {},
  outputs: {},
  params: z.object({}),
  cache: 'pure',
  async evaluate() {
    throw new S2VError('E120', 'not implemented yet', { exitCode: 1 });
  },
});
