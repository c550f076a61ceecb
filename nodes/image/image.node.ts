/** Image: the reference picture that sets the look (character, subject, scene). */
import { z } from 'zod';
import { defineNode, S2VError } from '../../src/engine/index.js';

export const imageNode = defineNode({
  type: 'image',
  version: 1,
  title: 'Image',
  category: 'source',
  description: 'A reference image (JPEG, PNG, WebP, …) that sets the look of the video.',
  inputs: {},
  outputs: { image: { type: 'image' } },
  params: z.object({
    path: z.string().default('').describe('Image file'),
  }),
  widgets: { path: { kind: 'file', accept: 'image', label: 'Image file' } },
  fileParams: ['path'],
  cache: 'fingerprint',
  async fingerprint(params, ctx) {
    if (!params.path) return 'none';
    return ctx.services.files.hashFile(params.path);
  },
  async evaluate({ params, ctx }) {
    if (!params.path) throw new S2VError('E107', 'no image file chosen', { where: `node "${ctx.nodeId}"`, hint: 'set the path param or --input image=FILE' });
    const info = await ctx.services.media.probeImage(params.path, ctx.signal);
    return { image: { kind: 'image', path: params.path, width: info.width, height: info.height, orientation: info.orientation } };
  },
});
