/**
 * `performer` — lip-sync for a portrait. The mouth opens with the `mouth` control (a
 * Gaussian-weighted vertical stretch around the mouth box plus darkening inside the
 * opening), the head bobs and tilts with beat and energy (a small similarity transform
 * about the face centre), and the eyes blink (eye boxes squashed briefly; the blink
 * schedule comes from the seed via `sinceBlink`).
 */
import { GraphBuilder, type V } from '../graph-builder.js';
import { BOXES, type BoxName } from '../layout.js';
import {
  coordinateGrid, decay, emitFrames, frameInputs, gridFromTheta, imageInput, withParticles,
  sampleFrames, similarityTheta, staticGrade, tintGain, type Grid,
} from '../parts.js';

/** exp(-((x-cx)/sx)²/2 - ((y-cy)/sy)²/2) over the normalised [H,W] grid. */
function gaussian(g: GraphBuilder, grid: Grid, cx: V, cy: V, sx: V, sy: V): V {
  const dx = g.div(g.sub(g.unsqueeze(grid.xs, [0]), cx), sx); // [1,W]
  const dy = g.div(g.sub(g.unsqueeze(grid.ys, [1]), cy), sy); // [H,1]
  const ex = g.mul(g.mul(dx, dx), g.f(-0.5));
  const ey = g.mul(g.mul(dy, dy), g.f(-0.5));
  return g.exp(g.add(ex, ey)); // [H,W]
}

export function buildPerformer(): GraphBuilder {
  const g = new GraphBuilder('performer');
  const { image, H, W } = imageInput(g);
  const f = frameInputs(g);
  const boxes = g.input('boxes', 'FLOAT', [1, BOXES.length]);
  const b = (name: BoxName): V => g.slice(boxes, [BOXES.indexOf(name)], [BOXES.indexOf(name) + 1], [1]); // [1,1]
  const grid = coordinateGrid(g, H, W);
  const m = f.c('motion');
  const beat = decay(f, 'sinceBeat', 0.22);
  const t = f.c('t');

  const drive = g.add(g.f(0.3), f.c('rms'));
  const rot = g.mul(m, g.add(
    g.mul(g.mul(beat, f.c('beatSign')), g.mul(drive, g.f(0.022))),
    g.mul(g.sin(g.add(g.mul(t, g.f(0.9)), f.s('seedA'))), g.mul(f.c('rmsSlow'), g.f(0.012))),
  ));
  const ty = g.mul(m, g.mul(beat, g.mul(drive, g.f(0.02))));
  const tx = g.mul(m, g.mul(g.sin(g.add(g.mul(t, g.f(0.6)), f.s('seedB'))), g.mul(f.c('rmsSlow'), g.f(0.01))));
  const zoom = g.add(g.f(1.05), g.mul(m, g.mul(beat, g.f(0.012))));
  const px = g.mul(b('faceX'), grid.aspect);
  const theta = similarityTheta(g, grid, { zoom, rot, tx, ty, px, py: b('faceY') });

  // Mouth: y_src = y − a·G(x,y)·(y − my): magnifies the lips vertically by up to 1/(1−a).
  const mouth = g.clip(f.c('mouth'), 0, 1);
  const mx = b('mouthX');
  const my = b('mouthY');
  const mouthG = gaussian(g, grid, mx, my, g.mul(b('mouthHw'), g.f(1.3)), g.mul(b('mouthHh'), g.f(2.2)));
  const mouthField = g.mul(mouthG, g.sub(grid.Y, my));
  const open = g.mul(mouth, g.mul(b('mouthGain'), g.f(-0.55)));
  // Blinks: y_src = y + k·G·(y − ey) squashes each eye toward its centre line.
  const eyeField = (s: 'L' | 'R'): V => {
    const ey = b(`eye${s}Y`);
    const ge = gaussian(g, grid, b(`eye${s}X`), ey, g.mul(b(`eye${s}Hw`), g.f(1.6)), g.mul(b(`eye${s}Hh`), g.f(2.5)));
    return g.mul(ge, g.sub(grid.Y, ey));
  };
  const blinkShape = g.relu(g.sub(g.f(1), g.div(g.abs(g.sub(f.c('sinceBlink'), g.f(0.08))), g.f(0.08))));
  const close = g.mul(blinkShape, g.mul(b('blink'), g.f(2)));
  const zero = g.mul(open, g.f(0));
  const gridN = gridFromTheta(g, grid, theta, [
    { map: mouthField, dx: zero, dy: open },
    { map: g.add(eyeField('L'), eyeField('R')), dx: zero, dy: close },
  ]);
  const warped = sampleFrames(g, staticGrade(f, image, grid), gridN, grid);

  // Darken inside the opening (output space; the head moves only a few pixels).
  const inner = gaussian(g, grid, mx, my, g.mul(b('mouthHw'), g.f(0.75)), g.mul(b('mouthHh'), g.f(0.5)));
  const dark = g.mul(mouth, g.mul(b('mouthDark'), g.f(0.8))); // [N,1]
  const exposure = g.add(g.f(0.96), g.add(g.mul(f.c('rmsSlow'), g.f(0.08)), g.mul(beat, g.mul(f.c('percussive'), g.f(0.08)))));
  const shade = g.sub(g.f(1), g.mul(g.unsqueeze(dark, [2]), g.unsqueeze(inner, [0]))); // [N,H,W]
  const graded = g.mul(warped, g.unsqueeze(shade, [0]));
  const gain = tintGain(f, exposure, [{ amount: g.mul(beat, g.f(0.06)), colour: 1 }]);
  emitFrames(g, withParticles(f, grid, graded, g.add(g.f(0.6), f.c('rms'))), gain);
  return g;
}
