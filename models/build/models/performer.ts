/**
 * `performer` v2 — a talking portrait that keeps the person's face. No box stretch: every pixel
 * is sampled through one grid = identity + Σ control·basis (a single MatMul over the `mesh`
 * columns, built from the face's landmarks), then:
 *  - eyelids: inside each eye the upper lid slides down to the lower lid while the lid skin
 *    above it stretches — the eye below the lid and the rest of the face never move or scale;
 *  - mouth: where the sampled source falls on the other side of the lips' meeting line the lips
 *    have parted, and only there the inner mouth shows, shaded from the photo's own colours:
 *    upper teeth (the pixel's luma, lifted and desaturated) under the upper lip, a dark cavity,
 *    the tongue (the lip colour, darkened) toward the lower lip;
 *  - the look (grade, tint, particles) as every model has it.
 */
import { GraphBuilder, type V } from '../graph-builder.js';
import { STYLE, styleIndex, type StyleName } from '../layout.js';
import {
  coordinateGrid, decay, emitFrames, sampleFrames, staticGrade, tintGain, withParticles, imageInput, type Frame,
} from '../parts.js';
import { LID_SKIN, MESH_BASES, MESH_MAPS, PERFORMER_CONTROLS, type MeshMap, type PerformerControl } from './performer-layout.js';

interface PerformerFrame extends Frame {
  p(name: PerformerControl): V;
}

function performerInputs(g: GraphBuilder): PerformerFrame {
  const controls = g.input('controls', 'FLOAT', ['N', PERFORMER_CONTROLS.length]);
  const style = g.input('style', 'FLOAT', [1, STYLE.length]);
  const cm = new Map<string, V>();
  const sm = new Map<string, V>();
  const p = (name: PerformerControl): V => {
    let v = cm.get(name);
    if (!v) cm.set(name, (v = g.column(controls, PERFORMER_CONTROLS.indexOf(name))));
    return v;
  };
  return {
    g, controls, style, p,
    c: (name) => p(name),
    s(name: StyleName) {
      let v = sm.get(name);
      if (!v) sm.set(name, (v = g.slice(style, [styleIndex(name)], [styleIndex(name) + 1], [1])));
      return v;
    },
  };
}

export function buildPerformer(): GraphBuilder {
  const g = new GraphBuilder('performer');
  const { image, H, W } = imageInput(g);
  const f = performerInputs(g);
  const mesh = g.input('mesh', 'FLOAT', ['HW', MESH_BASES.length]);
  // The face's region of interest (y0, x0, y1, x1 in pixels): the eyelid and mouth maps cover only
  // it, and the per-pixel work for lids and the inner mouth runs only there.
  const roi = g.input('roi', 'INT64', [4]);
  const maps = g.input('maps', 'FLOAT', [MESH_MAPS.length, 'h', 'w']);
  const map = (name: MeshMap): V => g.op('Squeeze', [g.slice(maps, [MESH_MAPS.indexOf(name)], [MESH_MAPS.indexOf(name) + 1], [0]), g.i64([0])]); // [h,w]
  const grid = coordinateGrid(g, H, W);
  const y0 = g.slice(roi, [0], [1], [0]);
  const x0 = g.slice(roi, [1], [2], [0]);
  const y1 = g.slice(roi, [2], [3], [0]);
  const x1 = g.slice(roi, [3], [4], [0]);

  // Identity (normalised x, y) plus every basis column, weighted per frame: one MatMul.
  const zero = g.mul(f.p('t'), g.f(0));
  const one = g.add(zero, g.f(1));
  const idRows = [g.concat([g.div(one, grid.aspect), zero], 1), g.concat([zero, one], 1), g.concat([zero, zero], 1)]; // base is (x·aspect, y, 1)
  const basisRows = MESH_BASES.map(([name, control]) => {
    const w = f.p(control);
    return name.endsWith('X') ? g.concat([w, zero], 1) : g.concat([zero, w], 1);
  });
  const theta = g.concat([...idRows, ...basisRows].map((r) => g.unsqueeze(r, [1])), 1); // [N, 3+B, 2]
  const pts = g.op('MatMul', [g.concat([grid.base, mesh], 1), theta]); // [N, H·W, 2]
  const pts4 = g.reshape(pts, g.concat([g.i64([-1]), H, W, g.i64([2])], 0)); // [N,H,W,2]
  const gyRoi = g.op('Squeeze', [g.op('Slice', [pts4, g.concat([y0, x0, g.i64([1])], 0), g.concat([y1, x1, g.i64([2])], 0), g.i64([1, 2, 3])]), g.i64([3])]); // [N,h,w]

  // Eyelids: dy = −eyeQ · b/(LID_SKIN+b) · step(b·eyeD − eyeE): exact for lid skin sliding over a still eye.
  const b3 = g.unsqueeze(g.clip(f.p('blink'), 0, 1), [2]); // [N,1,1]
  const edge = g.clip(g.mul(g.sub(g.mul(b3, map('eyeD')), map('eyeE')), g.div(g.dimAsFloat(image, 2), g.f(2))), 0, 1); // a 1 px soft lid edge
  const lid = g.mul(g.mul(map('eyeQ'), g.div(b3, g.add(b3, g.f(LID_SKIN)))), edge); // [N,h,w]
  const gy = g.sub(gyRoi, lid);
  // The full frame is sampled without the lids; the face region is sampled again with them
  // (a second, small GridSample) and pasted back with the inner mouth in one Pad + Add.
  const gxRoi = g.op('Squeeze', [g.op('Slice', [pts4, g.concat([y0, x0, g.i64([0])], 0), g.concat([y1, x1, g.i64([1])], 0), g.i64([1, 2, 3])]), g.i64([3])]);
  const roiGrid = g.reshape(g.concat([g.unsqueeze(gxRoi, [3]), g.unsqueeze(gy, [3])], 3), g.concat([g.i64([1, -1]), g.sub(x1, x0), g.i64([2])], 0));
  const gridN = g.reshape(pts4, g.concat([g.i64([1, -1]), W, g.i64([2])], 0));
  const graded = staticGrade(f, image, grid);
  const warped = sampleFrames(g, graded, gridN, grid); // [3,N,H,W]
  const lidded = g.reshape(g.op('GridSample', [graded, roiGrid], { mode: 'bilinear', padding_mode: 'border', align_corners: 0 }),
    g.concat([g.i64([3, -1]), g.sub(y1, y0), g.sub(x1, x0)], 0)); // [3,N,h,w]

  // The parted lips: gap where the sampled source crossed the meeting line (soft over ~1 px).
  const gapArg = g.add(gy, map('lipDM')); // [N,h,w]: the source's distance below the line
  const gap = g.mul(g.clip(g.mul(gapArg, map('lipS')), 0, 1), map('lipSpan'));
  const dp = map('lipDP');
  // v: 0 just under the upper lip … 1 at the lower lip.
  const v = g.clip(g.div(dp, g.max(g.sub(dp, gapArg), g.f(1e-4))), 0, 1);
  const teeth = g.mul(g.clip(g.mul(g.sub(g.f(0.32), v), g.f(1 / 0.16)), 0, 1), g.unsqueeze(f.p('teeth'), [2]));
  const tongue = g.clip(g.mul(g.sub(v, g.f(0.62)), g.f(1 / 0.3)), 0, 1);
  const wRoi = g.op('Slice', [warped, g.concat([y0, x0], 0), g.concat([y1, x1], 0), g.i64([2, 3])]); // [3,N,h,w] as sampled without lids
  const roiShape = g.shape(lidded);
  const flat = g.reshape(lidded, [3, -1]);
  const luma = g.reshape(g.op('MatMul', [g.f([0.299, 0.587, 0.114], [1, 3]), flat]), g.concat([g.i64([1]), g.slice(roiShape, [1], [4], [0])], 0)); // [1,N,h,w]
  const dark = g.mul(lidded, g.f(0.12));
  const teethCol = g.mul(g.add(g.mul(luma, g.f(0.3)), g.f(168)), g.f([1, 0.95, 0.86], [3, 1, 1, 1]));
  const tongueCol = g.mul(lidded, g.f([0.6, 0.3, 0.3], [3, 1, 1, 1]));
  const cavity = g.add(dark, g.add(g.mul(g.unsqueeze(teeth, [0]), g.sub(teethCol, dark)), g.mul(g.unsqueeze(tongue, [0]), g.sub(tongueCol, dark))));
  const face = g.add(lidded, g.mul(g.unsqueeze(gap, [0]), g.sub(cavity, lidded)));
  const delta = g.sub(face, wRoi); // [3,N,h,w]: lids + inner mouth
  const pads = g.concat([g.i64([0, 0]), y0, x0, g.i64([0, 0]), g.sub(H, y1), g.sub(W, x1)], 0);
  const mouthed = g.add(warped, g.op('Pad', [delta, pads]));

  const beat = decay(f, 'sinceBeat', 0.22);
  const exposure = g.add(g.f(0.97), g.add(g.mul(f.c('rmsSlow'), g.f(0.05)), g.mul(beat, g.mul(f.c('percussive'), g.f(0.05)))));
  const gain = tintGain(f, exposure, [{ amount: g.mul(beat, g.f(0.04)), colour: 1 }]);
  emitFrames(g, withParticles(f, grid, mouthed, g.add(g.f(0.6), f.c('rms'))), gain);
  return g;
}
