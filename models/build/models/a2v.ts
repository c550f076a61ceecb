/**
 * `a2v` — abstract visuals from audio alone (no reference image). Everything is computed
 * from a coordinate grid: a zooming/rotating frame (beat punches, bass scale) carries
 * sinusoidal plasma with a domain-warped flow layer over it (which also shades the
 * picture), beat-launched rings, a swirl and a radial burst of rays that races outward on
 * every beat; the mix is mapped through the
 * prompt's three-colour palette, lit by loudness, flashed by onsets, with particles.
 *
 * The per-pixel linear forms (rotated coordinates and the plasma arguments, phases
 * included) all come out of one MatMul of the [H·W, 3] base grid with a per-frame
 * [N, 5, 3] matrix, so the whole frame costs a handful of elementwise passes.
 */
import { GraphBuilder, type V } from '../graph-builder.js';
import { coordinateGrid, decay, emitFrames, frameInputs, withParticles } from '../parts.js';
import type { StyleName } from '../layout.js';

export function buildA2v(): GraphBuilder {
  const g = new GraphBuilder('a2v');
  const size = g.input('size', 'INT64', [2]); // [H, W]
  const f = frameInputs(g);
  const H = g.slice(size, [0], [1], [0]);
  const W = g.slice(size, [1], [2], [0]);
  const grid = coordinateGrid(g, H, W);
  const m = f.c('motion');
  const t = f.c('t');
  const beat = decay(f, 'sinceBeat', 0.18);
  const down = decay(f, 'sinceDownbeat', 0.4);
  const flash = decay(f, 'sinceOnset', 0.08);

  const zoom = g.add(g.f(1), g.add(g.mul(m, g.add(g.mul(beat, g.f(0.3)), g.mul(down, g.f(0.15)))), g.mul(f.c('bass'), g.f(0.15))));
  const ang = g.mul(m, g.add(g.mul(t, g.f(0.06)), g.mul(g.mul(beat, f.c('beatSign')), g.f(0.08))));
  const s = g.div(g.f(1), zoom);
  const cs = g.mul(s, g.cos(ang));
  const sn = g.mul(s, g.sin(ang));
  // Columns (each [N,1] coefficient of X, Y, 1): U, V, then three plasma arguments a·U + b·V + φ(t).
  const forms: Array<[V, V, V]> = [[cs, g.neg(sn), g.mul(cs, g.f(0))], [sn, cs, g.mul(cs, g.f(0))]];
  const plasmaArgs: Array<[number, number, number, number, StyleName]> = [
    [3.1, 0.0, 0.7, 1.0, 'seedA'],
    [0.0, 2.7, -0.9, 1.3, 'seedB'],
    [2.1, 2.3, 0.5, 0.8, 'seedC'],
  ];
  for (const [a, bb, speed, seedMul, seed] of plasmaArgs) {
    const phase = g.add(g.mul(t, g.mul(m, g.f(speed))), g.mul(f.s(seed), g.f(seedMul)));
    const kx = g.add(g.mul(cs, g.f(a)), g.mul(sn, g.f(bb)));
    const ky = g.add(g.mul(g.neg(sn), g.f(a)), g.mul(cs, g.f(bb)));
    forms.push([kx, ky, phase]);
  }
  {
    const [a, bb] = [4.3, -3.1];
    const phase = g.add(g.mul(t, g.mul(m, g.f(1.1))), f.s('seedA'));
    forms.push([g.add(g.mul(cs, g.f(a)), g.mul(sn, g.f(bb))), g.add(g.mul(g.neg(sn), g.f(a)), g.mul(cs, g.f(bb))), phase]);
  }
  // Keep the long pixel axis innermost ([N, k, H·W]): broadcasting over a trailing axis of
  // size 1 is several times slower in onnxruntime's CPU kernels.
  const rows = forms.map(([a, b2, c]) => g.unsqueeze(g.concat([a, b2, c], 1), [1])); // each [N,1,3]
  const baseT = g.transpose(grid.base, [1, 0]); // [3, H·W]
  // Separate MatMuls rather than one + Slice: slicing the result costs a full extra copy.
  const U = g.op('MatMul', [rows[0]!, baseT]); // [N,1,HW]
  const Vc = g.op('MatMul', [rows[1]!, baseT]);
  const waves = g.sin(g.op('MatMul', [g.concat(rows.slice(2, 5), 1), baseT])); // [N, 3, H·W]
  const plasma = g.op('MatMul', [g.f([1 / 3, 1 / 3, 1 / 3], [1, 3]), waves]); // [N,1,HW]
  // Flow: a second, finer layer whose phase is bent by the plasma (domain warping), so the
  // picture has folded, smoke-like bands instead of one smooth interference pattern.
  const flow = g.sin(g.add(g.op('MatMul', [rows[5]!, baseT]), g.mul(plasma, g.f(2.4))));
  const r = g.sqrt(g.add(g.mul(U, U), g.mul(Vc, Vc)));
  // Rings launch outward from the centre on each beat: phase restarts at the beat.
  const perN = (v: V) => g.unsqueeze(v, [2]); // [N,1] → [N,1,1]
  const ringPhase = perN(g.add(g.mul(g.clip(f.c('sinceBeat'), 0, 2), g.f(-9)), f.s('seedC')));
  const rings = g.mul(g.sin(g.add(g.mul(r, g.f(11)), ringPhase)), perN(g.mul(g.add(g.f(0.5), f.c('bass')), f.s('rings'))));
  const swirl = g.sin(g.add(g.mul(r, g.f(6)), g.add(g.mul(plasma, g.f(2.5)), perN(g.mul(t, g.f(-0.8))))));
  // Radial burst on each beat: 10 twisted rays (atan(V/U) has period π, so an even ray
  // count is continuous across U = 0) filling a disc that races outward and fades.
  const theta = g.op('Atan', [g.div(Vc, g.add(U, g.f(1e-6)))]);
  const rayPhase = perN(g.add(g.mul(t, g.mul(m, g.f(0.7))), f.s('seedB')));
  const rays = g.relu(g.sub(g.sin(g.add(g.add(g.mul(theta, g.f(10)), g.mul(r, g.f(2.2))), rayPhase)), g.f(0.35)));
  const since = g.clip(f.c('sinceBeat'), 0, 3);
  const front = perN(g.add(g.mul(since, g.f(3.2)), g.f(0.15)));
  const inside = g.clip(g.mul(g.sub(front, r), g.f(3)), 0, 1);
  const burstGain = perN(g.mul(g.mul(decay(f, 'sinceBeat', 0.3), g.add(g.f(0.4), f.c('bass'))), g.mul(f.s('bursts'), m)));
  const burst = g.mul(g.mul(rays, inside), burstGain); // [N,1,HW], 0..~1
  const layered = g.add(plasma, g.mul(flow, g.f(0.7)));
  const mix = g.add(g.add(g.add(g.mul(layered, g.reshape(f.s('plasma'), [1, 1, 1])), rings), g.mul(swirl, g.reshape(f.s('swirl'), [1, 1, 1]))), burst);
  const shift = perN(g.add(g.mul(f.c('brightness'), g.f(1.5)), g.mul(f.c('treble'), g.f(0.8))));
  const w = g.affine(g.sin(g.add(g.mul(mix, g.f(1.7)), shift)), 0.5, 0.5); // [N,1,HW] in 0..1
  const w2 = g.mul(w, w);
  // Light and shadow from the flow layer: valleys go dark so the colour bands read as depth.
  const shade = g.affine(flow, 0.3, 0.75);

  // Palette graded by the style (saturation, contrast, gain, lift), then the quadratic
  // Bézier c0 → c1 → c2 expanded as A + B·w + C·w², lit per frame.
  const colour = (k: number): V => {
    const c = g.reshape(g.concat([f.s(`c${k}r` as StyleName), f.s(`c${k}g` as StyleName), f.s(`c${k}b` as StyleName)], 1), [3]);
    const luma = g.op('ReduceSum', [g.mul(c, g.f([0.299, 0.587, 0.114])), g.i64([0])], { keepdims: 1 });
    const sat = g.add(luma, g.mul(g.sub(c, luma), g.reshape(f.s('saturation'), [1])));
    const con = g.add(g.mul(g.sub(sat, g.f(0.5)), g.reshape(f.s('contrast'), [1])), g.f(0.5));
    const gain = g.reshape(g.concat([f.s('gainR'), f.s('gainG'), f.s('gainB')], 1), [3]);
    const lift = g.reshape(g.concat([f.s('liftR'), f.s('liftG'), f.s('liftB')], 1), [3]);
    return g.add(g.mul(con, gain), lift);
  };
  const [c0, c1, c2] = [colour(0), colour(1), colour(2)];
  const A = c0;
  const B = g.mul(g.sub(c1, c0), g.f(2));
  const C = g.add(g.sub(c0, g.mul(c1, g.f(2))), c2);
  const light = g.mul(g.add(g.f(0.55), g.add(g.mul(f.c('rms'), g.f(0.45)), g.mul(flash, g.f(0.35)))), g.f(255)); // [N,1]
  const perFrame = (c: V) => g.unsqueeze(g.mul(g.unsqueeze(c, [1]), g.reshape(light, [1, -1])), [2]); // [3,N,1]
  const wT = g.transpose(w, [1, 0, 2]); // [1,N,HW]
  const w2T = g.transpose(w2, [1, 0, 2]);
  const base = g.add(g.add(perFrame(A), g.mul(wT, perFrame(B))), g.mul(w2T, perFrame(C))); // [3,N,HW]
  // The burst glows in the brightest palette colour on top of the shaded field.
  const glow = g.mul(g.transpose(burst, [1, 0, 2]), perFrame(g.mul(c2, g.f(0.8))));
  const rgb = g.add(g.mul(base, g.transpose(shade, [1, 0, 2])), glow);
  const frames = g.reshape(rgb, g.concat([g.i64([3, -1]), H, W], 0));
  emitFrames(g, withParticles(f, grid, frames, g.add(g.f(0.5), g.mul(f.c('rms'), g.f(0.8)))));
  return g;
}
