/**
 * `drift` — ambient motion for a still. Slow camera drift and breathing scale from
 * incommensurate sines (periods ≥ 9 s, phases from the seed), light and colour following
 * the smoothed loudness and brightness. Every term is smooth in time: no jerks on beats.
 */
import { GraphBuilder } from '../graph-builder.js';
import {
  coordinateGrid, emitFrames, frameInputs, gridFromTheta, imageInput, withParticles,
  sampleFrames, similarityTheta, staticGrade, tintGain,
} from '../parts.js';

export function buildDrift(): GraphBuilder {
  const g = new GraphBuilder('drift');
  const { image, H, W } = imageInput(g);
  const f = frameInputs(g);
  const grid = coordinateGrid(g, H, W);
  const m = f.c('motion');
  const t = f.c('t');
  const slow = (period: number, seed: 'seedA' | 'seedB' | 'seedC', k = 1) =>
    g.sin(g.add(g.mul(t, g.f((2 * Math.PI) / period)), g.mul(f.s(seed), g.f(k))));

  const loud = f.c('rmsSlow');
  const zoom = g.add(g.f(1.1), g.mul(m, g.add(g.mul(slow(9.3, 'seedA'), g.f(0.035)), g.mul(loud, g.f(0.03)))));
  const rot = g.mul(m, g.mul(slow(15.7, 'seedB'), g.f(0.018)));
  const tx = g.mul(m, g.mul(slow(12.1, 'seedC'), g.f(0.035)));
  const ty = g.mul(m, g.mul(slow(10.3, 'seedA', 1.7), g.f(0.025)));
  const gridN = gridFromTheta(g, grid, similarityTheta(g, grid, { zoom, rot, tx, ty }));
  const warped = sampleFrames(g, staticGrade(f, image, grid), gridN, grid);

  const exposure = g.add(g.f(0.82), g.mul(loud, g.f(0.3)));
  // Brighter sound tints toward palette colour 1, darker toward colour 2.
  const bright = f.c('brightSlow');
  const gain = tintGain(f, exposure, [
    { amount: g.mul(bright, g.f(0.14)), colour: 1 },
    { amount: g.mul(g.sub(g.f(1), bright), g.f(0.1)), colour: 2 },
  ]);
  emitFrames(g, withParticles(f, grid, warped, g.add(g.f(0.4), g.mul(loud, g.f(0.6)))), gain);
  return g;
}
