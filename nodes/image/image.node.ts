/** Image: the reference picture that sets the look (character, subject, scene). */
import { defineNode, fileSource, S2VError } from '../../src/engine/index.js';

export const imageNode = defineNode({
  type: 'image',
  version: 1,
  title: 'Image',
  description: 'A reference image (JPEG, PNG, WebP, …) that sets the look of the video.',
  ...fileSource('image', 'Image file'),
  async evaluate({ params, ctx }) {
    if (!params.path) throw new S2VError('E107', 'no image file chosen', { where: `node "${ctx.nodeId}"`, hint: 'set the path param or --input image=FILE' });
    const info = await ctx.services.media.probeImage(params.path, ctx.signal);
    return { image: { kind: 'image', path: params.path, width: info.width, height: info.height, orientation: info.orientation } };
  },
});
