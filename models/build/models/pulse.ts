/**
 * `pulse` — music video motion for a reference image. Beat-locked zoom punches that decay
 * after each beat, camera shake on onsets, exposure/colour accents on kicks, bigger
 * accents on downbeats and section changes, bass drives scale, treble drives shimmer.
 */
import { GraphBuilder } from '../graph-builder.js';
import {
  coordinateGrid, decay, emitFrames, frameInputs, gridFromTheta, imageInput, withParticles,
  sampleFrames, similarityTheta, staticGrade, tintGain,
} from '../parts.js';

export function buildPulse(): GraphBuilder {
  const g = new GraphBuilder('pulse');
  const { image, H, W } = imageInput(g);
  const f = frameInputs(g);
  const grid = coordinateGrid(g, H, W);
  const m = f.c('motion');
  const beat = decay(f, 'sinceBeat', 0.16);
  const down = decay(f, 'sinceDownbeat', 0.35);
  const section = decay(f, 'sinceSection', 0.9);
  const hit = decay(f, 'sinceOnset', 0.09);
  const sum = (...terms: Array<[string, number]>) => terms.map(([v, k]) => g.mul(v, g.f(k))).reduce((a, b) => g.add(a, b));

  const zoom = g.add(g.f(1.06), g.mul(m, sum([beat, 0.09], [down, 0.06], [section, 0.08], [f.c('bass'), 0.04])));
  const rot = g.mul(m, sum([g.mul(beat, f.c('beatSign')), 0.018], [g.mul(hit, f.c('shakeX')), 0.012]));
  const tx = g.mul(m, g.mul(hit, g.mul(f.c('shakeX'), g.f(0.035))));
  const ty = g.mul(m, g.mul(hit, g.mul(f.c('shakeY'), g.f(0.035))));
  // Treble shimmer: a gentle horizontal wobble amp·sin(14y + φ(t)), split as sin/cos
  // fields. A local warp reads as a smeared face long before it reads as energy, so its
  // amplitude is capped at 0.4% of the half-frame (≈1 px at 512) and does not grow with
  // `motion` beyond 1: fast prompts get bigger shake and punches instead.
  const amp = g.min(g.mul(g.min(m, g.f(1)), g.mul(f.s('shimmer'), g.mul(f.c('treble'), g.f(0.003)))), g.f(0.004));
  const phase = g.mul(f.c('t'), g.f(9));
  const zero = g.mul(amp, g.f(0));
  const ripple = g.mul(grid.Y, g.f(14));
  const fields = [
    { map: g.sin(ripple), dx: g.mul(amp, g.cos(phase)), dy: zero },
    { map: g.cos(ripple), dx: g.mul(amp, g.sin(phase)), dy: zero },
  ];
  const gridN = gridFromTheta(g, grid, similarityTheta(g, grid, { zoom, rot, tx, ty }), fields);
  const warped = sampleFrames(g, staticGrade(f, image, grid), gridN, grid);
  const kick = g.mul(beat, sum([f.c('bass'), 0.5], [f.c('percussive'), 0.5]));
  const exposure = g.add(g.f(0.92), sum([kick, 0.3], [down, 0.16], [section, 0.3], [f.c('rms'), 0.12]));
  // Downbeats and section changes tint toward palette colour 1.
  const gain = tintGain(f, exposure, [{ amount: g.mul(g.add(g.mul(down, g.f(0.5)), section), g.f(0.3)), colour: 1 }]);
  const intensity = g.add(g.f(0.5), g.add(f.c('rms'), kick));
  emitFrames(g, withParticles(f, grid, warped, intensity), gain);
  return g;
}
