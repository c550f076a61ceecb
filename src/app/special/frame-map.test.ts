import { describe, expect, it } from 'vitest';
import { frameMap, type Box } from './frame-map.js';

const close = (a: Box, b: Box) => {
  for (const k of ['x', 'y', 'w', 'h'] as const) expect(a[k]).toBeCloseTo(b[k], 6);
};

describe('frameMap (frame fractions ↔ image fractions)', () => {
  it('is the identity when the image has the frame’s aspect ratio', () => {
    const m = frameMap(128, 128, { width: 512, height: 512, fit: 'fill' });
    close(m.toImage({ x: 0.35, y: 0.62, w: 0.3, h: 0.14 }), { x: 0.35, y: 0.62, w: 0.3, h: 0.14 });
    close(m.visible, { x: 0, y: 0, w: 1, h: 1 });
  });

  it('fill: a 512×600 portrait in a 512×512 frame loses 44 px top and bottom', () => {
    const m = frameMap(512, 600, { width: 512, height: 512, fit: 'fill' });
    close(m.visible, { x: 0, y: 44 / 600, w: 1, h: 512 / 600 });
    // The frame's top edge is image row 44; a box at frame y 0.5 starts at image row 44 + 256.
    close(m.toImage({ x: 0.25, y: 0.5, w: 0.5, h: 0.1 }), { x: 0.25, y: 300 / 600, w: 0.5, h: 51.2 / 600 });
    const b = { x: 0.4, y: 0.45, w: 0.2, h: 0.07 };
    close(m.toImage(m.toFrame(b)), b);
  });

  it('fit / letterbox: a 1000×500 image in a 512×512 frame sits on bars 128 px high', () => {
    for (const fit of ['fit', 'letterbox'] as const) {
      const m = frameMap(1000, 500, { width: 512, height: 512, fit });
      close(m.visible, { x: 0, y: 0, w: 1, h: 1 });
      // Image row 0 is frame row 128; image height 256 of the frame's 512.
      close(m.toFrame({ x: 0, y: 0, w: 1, h: 1 }), { x: 0, y: 0.25, w: 1, h: 0.5 });
    }
  });
});
