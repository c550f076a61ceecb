/**
 * Graph pieces the models share: named control/style lookups, the coordinate grid,
 * the per-frame affine warp (MatMul of a base grid with each frame's 2×3 theta, then one
 * GridSample over all frames), grading, particles and the uint8 NHWC output.
 *
 * Layout notes (why, not what): all N frames are sampled by ONE GridSample call over a
 * [1, N·H, W, 2] grid so the reference image is never copied N times; the result
 * [1, 3, N·H, W] reshapes to channel-major [3, N, H, W], where per-frame colour is a
 * cheap [3, N, 1, 1] broadcast. The output is uint8 [N, H, W, 3] — exactly the packed
 * RGB24 the encoder wants, so JS hands ffmpeg subarrays without touching pixels.
 */
import { GraphBuilder, type V } from './graph-builder.js';
import { CONTROLS, STYLE, controlIndex, styleIndex, type ControlName, type StyleName } from './layout.js';

export interface Frame {
  g: GraphBuilder;
  controls: V;
  style: V;
  /** Per-frame column [N,1] by control name (memoised). */
  c(name: ControlName): V;
  /** Style value [1,1] by name. */
  s(name: StyleName): V;
}

export function frameInputs(g: GraphBuilder): Frame {
  const controls = g.input('controls', 'FLOAT', ['N', CONTROLS.length]);
  const style = g.input('style', 'FLOAT', [1, STYLE.length]);
  const cm = new Map<string, V>();
  const sm = new Map<string, V>();
  return {
    g,
    controls,
    style,
    c(name) {
      let v = cm.get(name);
      if (!v) cm.set(name, (v = g.column(controls, controlIndex(name))));
      return v;
    },
    s(name) {
      let v = sm.get(name);
      if (!v) sm.set(name, (v = g.slice(style, [styleIndex(name)], [styleIndex(name) + 1], [1])));
      return v;
    },
  };
}

/** exp(-since / tau): an envelope that jumps to 1 at an event and decays. */
export function decay(f: Frame, since: ControlName, tau: number): V {
  return f.g.exp(f.g.mul(f.c(since), f.g.f(-1 / tau)));
}

/** Pixel-centre coordinates in -1..1 (align_corners = 0). */
export interface Grid {
  /** [W] and [H] float vectors. */
  xs: V;
  ys: V;
  /** Aspect ratio W/H as [1]. */
  aspect: V;
  /** H and W as int64 [1] (for reshapes). */
  H: V;
  W: V;
  /** [H, W] aspect-space x and normalised y, for building extra warp fields. */
  X: V;
  Y: V;
  /** [H·W, 3] rows of (x·aspect, y, 1), the base grid every frame's theta multiplies. */
  base: V;
}

function axis(g: GraphBuilder, len: V): V {
  const lenF = g.op('Cast', [g.op('Squeeze', [len, g.i64([0])])], { to: 1 });
  const r = g.op('Range', [g.f(0), lenF, g.f(1)]);
  return g.sub(g.div(g.affine(r, 2, 1), g.op('Cast', [len], { to: 1 })), g.f(1));
}

export function coordinateGrid(g: GraphBuilder, H: V, W: V): Grid {
  const xs = axis(g, W);
  const ys = axis(g, H);
  const aspect = g.div(g.op('Cast', [W], { to: 1 }), g.op('Cast', [H], { to: 1 }));
  const ax = g.mul(xs, aspect);
  const hw = g.concat([H, W], 0);
  const X = g.op('Expand', [g.unsqueeze(ax, [0]), hw]); // [H,W]
  const Y = g.op('Expand', [g.unsqueeze(ys, [1]), hw]);
  const one = g.op('Expand', [g.f(1, [1, 1]), hw]);
  const stacked = g.concat([g.unsqueeze(X, [2]), g.unsqueeze(Y, [2]), g.unsqueeze(one, [2])], 2); // [H,W,3]
  const base = g.reshape(stacked, [-1, 3]);
  return { xs, ys, aspect, H, W, X, Y, base };
}

/**
 * Per-frame similarity transform about a pivot, in aspect-corrected space:
 * src = pivot + (1/zoom)·R(rot)·(dst − pivot) + shift. Every argument is [N,1] (or [1,1]).
 * Returns theta^T as [N, 3, 2] ready for base @ theta^T.
 */
export function similarityTheta(g: GraphBuilder, grid: Grid, p: { zoom: V; rot: V; tx: V; ty: V; px?: V; py?: V }): V {
  const s = g.div(g.f(1), p.zoom);
  const cs = g.mul(s, g.cos(p.rot));
  const sn = g.mul(s, g.sin(p.rot));
  const px = p.px ?? g.f(0, [1, 1]);
  const py = p.py ?? g.f(0, [1, 1]);
  // src = [cs -sn; sn cs]·(X - P) + P + T
  const ox = g.add(g.sub(px, g.sub(g.mul(cs, px), g.mul(sn, py))), p.tx);
  const oy = g.add(g.sub(py, g.add(g.mul(sn, px), g.mul(cs, py))), p.ty);
  // Normalised grid x = aspect-space x / aspect.
  const inv = g.div(g.f(1), grid.aspect);
  const r0 = [g.mul(cs, inv), g.mul(g.neg(sn), inv), g.mul(ox, inv)];
  const r1 = [sn, cs, oy];
  // theta^T[n] = [[r0a, r1a],[r0b, r1b],[r0c, r1c]]
  const rows = [0, 1, 2].map((k) => g.unsqueeze(g.concat([r0[k]!, r1[k]!], 1), [1])); // each [N,1,2]
  return g.concat(rows, 1); // [N,3,2]
}

/**
 * Extra warp fields ride along in the same MatMul: each field F is an [H, W] map appended
 * as a base-grid column, and its [N, 2] weights (dx, dy per frame) become extra theta rows.
 * So a shimmer ripple or a mouth stretch costs one more multiply-add per pixel, not a pass.
 */
export interface WarpField {
  map: V;
  /** [N,1] weights for grid x and grid y (normalised units). */
  dx: V;
  dy: V;
}

/** [N, H·W, 2] → [1, N·H, W, 2], the single-batch grid GridSample reads. */
export function gridFromTheta(g: GraphBuilder, grid: Grid, thetaT: V, fields: WarpField[] = []): V {
  let base = grid.base;
  let theta = thetaT;
  if (fields.length) {
    base = g.concat([base, ...fields.map((fl) => g.reshape(fl.map, [-1, 1]))], 1);
    theta = g.concat([theta, ...fields.map((fl) => g.unsqueeze(g.concat([fl.dx, fl.dy], 1), [1]))], 1);
  }
  const pts = g.op('MatMul', [base, theta]); // [N, H·W, 2]
  return g.reshape(pts, g.concat([g.i64([1, -1]), grid.W, g.i64([2])], 0));
}

/**
 * Sample the (1,3,H,W) image through the grid: [3, N, H, W]. Samples off the image take the
 * nearest edge pixel (border padding), done as the grid clamped to the outermost pixel
 * centres, then sampled with zero padding: onnxruntime's border mode costs about twice as
 * much per pixel (11.4 vs 6.0 ms CPU per 512² frame, measured), and for a clamped grid the
 * two compute the same bilinear sum (a clamped sample's weight on the zero beyond the edge is 0).
 */
export function sampleFrames(g: GraphBuilder, image: V, gridN: V, grid: Grid): V {
  const out = g.op('GridSample', [image, clampToPixelCentres(g, image, gridN)], { mode: 'bilinear', padding_mode: 'zeros', align_corners: 0 });
  return g.reshape(out, g.concat([g.i64([3, -1]), grid.H, grid.W], 0));
}

/**
 * A [1, h, w, 2] sampling grid with x in −1 + 1/W … 1 − 1/W and y in −1 + 1/H … 1 − 1/H: the
 * centres of the image's first and last columns and rows (align_corners = 0). The bounds
 * depend only on the image's size, so a split model computes them once per render.
 */
export function clampToPixelCentres(g: GraphBuilder, image: V, gridN: V): V {
  const bound = (axis: number) => g.reshape(g.sub(g.f(1), g.div(g.f(1), g.op('Cast', [g.dim(image, axis)], { to: 1 }))), []);
  const clip = (v: V, b: V) => g.op('Clip', [v, g.neg(b), b]);
  const x = g.slice(gridN, [0], [1], [3]);
  const y = g.slice(gridN, [1], [2], [3]);
  return g.concat([clip(x, bound(3)), clip(y, bound(2))], 3);
}

/**
 * Static look applied once per chunk to the reference image, not per frame: saturation,
 * contrast, tint gain/lift and the vignette (which therefore rides the camera a little —
 * invisible at these zooms, and it saves a full-frame multiply per output frame). 0..255.
 */
export function staticGrade(f: Frame, image: V, grid: Grid): V {
  const g = f.g;
  // Work on [3, H·W]: the luma is a [1,3]×[3,H·W] MatMul, far cheaper than a 1×1 Conv here.
  const flat = g.reshape(image, [3, -1]);
  const luma = g.op('MatMul', [g.f([0.299, 0.587, 0.114], [1, 3]), flat]); // [1,HW]
  const sat = g.add(luma, g.mul(g.sub(flat, luma), f.s('saturation')));
  const contrast = g.add(g.mul(g.sub(sat, g.f(128)), f.s('contrast')), g.f(128));
  const gain = g.reshape(g.concat([f.s('gainR'), f.s('gainG'), f.s('gainB')], 1), [3, 1]);
  const lift = g.reshape(g.concat([f.s('liftR'), f.s('liftG'), f.s('liftB')], 1), [3, 1]);
  const graded = g.mul(g.add(g.mul(contrast, gain), g.mul(lift, g.f(255))), g.reshape(vignette(f, grid), [1, -1]));
  return g.reshape(graded, g.shape(image));
}

/** A per-channel [N,1] triple → [3, N, 1, 1]. */
export function perChannel(g: GraphBuilder, r: V, gg: V, b: V): V {
  return g.unsqueeze(g.concat([g.unsqueeze(r, [0]), g.unsqueeze(gg, [0]), g.unsqueeze(b, [0])], 0), [3]);
}

/** Palette colour k (0..2) as [3,1,1,1] in 0..1. */
export function paletteColour(f: Frame, k: 0 | 1 | 2): V {
  const n = ['c0', 'c1', 'c2'][k]!;
  return f.g.reshape(f.g.concat([f.s(`${n}r` as StyleName), f.s(`${n}g` as StyleName), f.s(`${n}b` as StyleName)], 1), [3, 1, 1, 1]);
}

/** fract(sin(x·a + b)·43758.5453): the classic shader hash, 0..1, for per-cell randomness. */
function hash01(g: GraphBuilder, x: V, a: number, b: V): V {
  const s = g.mul(g.sin(g.add(g.mul(x, g.f(a)), b)), g.f(43758.5453));
  return g.sub(s, g.op('Floor', [s]));
}

/**
 * Particle layer [1, N, H, W] in 0..1. The frame is cut into columns along the fall
 * direction (x − slant·y = const, so a column never changes as particles fall and its
 * index is static). Each column draws its own depth (size, speed, brightness: parallax),
 * horizontal jitter, sway (as a function of height, so a flake sways while it falls at no
 * per-frame cost), streak length and phase from a hash of its index. Along the column the
 * falling coordinate v is cut into cells; each cell holds at most one particle whose
 * presence and brightness hash the cell index — so no two columns or drops repeat.
 *
 * Everything that depends only on the pixel is computed once per call on [H, W]; per
 * frame it is ~15 elementwise ops: v = V0 − t·speed, Round, the drop hash (two Sins) and
 * an elliptical profile clip(Q − dy²·R, 0, 1) whose hardness makes soft dots or flat discs.
 */
export function particles(f: Frame, grid: Grid, intensity: V): V {
  const g = f.g;
  const { X, Y } = grid;
  const seed = f.s('seedA');
  const u = g.mul(g.sub(X, g.mul(Y, f.s('pSlant'))), f.s('pFx')); // column units
  const col = g.op('Floor', [u]);
  const h = (salt: number) => hash01(g, col, 12.9898 + salt * 7.31, g.mul(seed, g.f(1 + salt)));
  const depth = g.affine(h(1), 0.6, 0.4); // 0.4..1: near columns are bigger, faster, brighter
  const near = g.affine(depth, 0.5, 0.5);
  const swayTerm = g.mul(f.s('pSway'), g.sin(g.add(g.mul(Y, g.affine(h(3), 4, 3)), g.mul(h(4), g.f(6.283)))));
  const jitterRoom = g.relu(g.sub(g.f(0.5), g.add(f.s('pSize'), g.abs(f.s('pSway')))));
  const jitter = g.mul(g.affine(h(2), 2, -1), jitterRoom);
  const dx = g.sub(g.sub(g.sub(u, col), g.f(0.5)), g.add(jitter, swayTerm)); // −0.5..0.5 within the column
  const rx = g.mul(f.s('pSize'), near);
  const ry = g.mul(f.s('pLen'), g.mul(near, g.affine(h(5), 0.8, 0.6))); // varied streak length
  const hard = f.s('pHard');
  const Q = g.mul(hard, g.sub(g.f(1), g.div(g.mul(dx, dx), g.mul(rx, rx)))); // [H,W]
  const R = g.div(hard, g.mul(ry, ry));
  const speed = g.mul(g.mul(f.s('pVy'), f.s('pFy')), g.mul(g.affine(depth, 0.6, 0.4), g.affine(h(6), 0.3, 0.85))); // cells/s
  const V0 = g.add(g.mul(Y, f.s('pFy')), g.mul(h(7), g.f(97)));
  const dropKey = g.affine(h(8), 3.7, 12.9898);
  // Flicker as a function of height (a spark flickers as it rises), brightness by depth.
  const flicker = g.sub(g.f(1), g.mul(f.s('pFlicker'), g.affine(g.sin(g.add(g.mul(Y, g.f(37)), g.mul(h(9), g.f(6.283)))), 0.5, 0.5)));
  const dens = f.s('pThresh'); // drop hash is −1..1; drops above it show
  const bright = g.div(g.mul(g.mul(depth, flicker), f.s('pAmount')), g.max(g.sub(g.f(1), dens), g.f(0.05)));

  const t3 = g.unsqueeze(f.c('t'), [2]); // [N,1,1]
  const v = g.sub(V0, g.mul(t3, speed)); // [N,H,W]
  const k = g.op('Round', [v]);
  const dy = g.sub(v, k);
  const dropHash = g.sin(g.mul(g.sin(g.mul(k, dropKey)), g.f(43758.5453)));
  const present = g.relu(g.sub(dropHash, dens));
  const disc = g.clip(g.sub(Q, g.mul(g.mul(dy, dy), R)), 0, 1);
  const layer = g.mul(g.mul(disc, present), g.mul(bright, g.unsqueeze(intensity, [2])));
  return g.unsqueeze(layer, [0]); // [1,N,H,W]
}

/**
 * rgb [3,N,H,W] plus the particle layer tinted by the particle colour — only when the
 * style asks for particles (If on pAmount > 0), so plain prompts skip the work entirely.
 */
export function withParticles(f: Frame, grid: Grid, rgb: V, intensity: V): V {
  const g = f.g;
  // Materialise every lookup the branch uses out here: values first created inside a
  // branch would be invisible to later nodes of the main graph.
  for (const name of ['pFx', 'pFy', 'pSlant', 'pVy', 'pThresh', 'pAmount', 'pR', 'pG', 'pB', 'pSize', 'pLen', 'pHard', 'pSway', 'pFlicker', 'seedA'] as const) f.s(name);
  f.c('t');
  const cond = g.op('Greater', [g.reshape(f.s('pAmount'), [1]), g.f([0])]);
  return g.ifElse(
    cond,
    () => {
      const pColour = g.mul(g.reshape(g.concat([f.s('pR'), f.s('pG'), f.s('pB')], 1), [3, 1, 1, 1]), g.f(255));
      return g.add(rgb, g.mul(particles(f, grid, intensity), pColour));
    },
    () => g.op('Identity', [rgb]),
  );
}

/** Radial vignette [1,1,H,W]: 1 at the centre, 1−amount at the corners. */
export function vignette(f: Frame, grid: Grid): V {
  const g = f.g;
  const x2 = g.unsqueeze(g.mul(grid.xs, grid.xs), [0]);
  const y2 = g.unsqueeze(g.mul(grid.ys, grid.ys), [1]);
  const r2 = g.mul(g.add(x2, y2), g.f(0.5));
  const v = g.sub(g.f(1), g.mul(g.reshape(f.s('vignette'), [1]), r2));
  return g.unsqueeze(v, [0, 1]);
}

/**
 * Finish [3,N,H,W] floats (0..255 scale) into uint8 [N,H,W,3] named `frames`, applying an
 * optional per-channel, per-frame gain [3,N,1,1] on the way. QuantizeLinear does gain,
 * rounding, clamping and the uint8 cast in ONE pass (per-axis scale = 1/gain over the
 * [3·N, H, W] view), where Mul + Clip + Cast would walk every pixel three times.
 */
export function emitFrames(g: GraphBuilder, rgb: V, gain?: V): void {
  let u8: V;
  if (gain) {
    const scale = g.div(g.f(1), g.reshape(g.max(gain, g.f(0.01)), [-1])); // [3N]
    const zero = g.op('Cast', [g.mul(scale, g.f(0))], { to: 2 });
    const flat = g.reshape(rgb, g.concat([g.i64([-1]), g.slice(g.shape(rgb), [2], [4], [0])], 0)); // [3N,H,W]
    u8 = g.reshape(g.op('QuantizeLinear', [flat, scale, zero], { axis: 0 }), g.shape(rgb));
  } else {
    u8 = g.op('QuantizeLinear', [rgb, g.f(1), g.op('Cast', [g.f(0)], { to: 2 })]);
  }
  g.output(g.transpose(u8, [1, 2, 3, 0]), 'frames', 'UINT8', ['N', 'H', 'W', 3]);
}

/** Per-channel, per-frame gain [3,N,1,1] = exposure[N,1] · (1 + amount[N,1] · (2·colour − 1)): a tint toward a palette colour. */
export function tintGain(f: Frame, exposure: V, tints: Array<{ amount: V; colour: 0 | 1 | 2 }>): V {
  const g = f.g;
  let t: V = g.f(1, [1, 1, 1, 1]);
  for (const { amount, colour } of tints) {
    const dir = g.sub(g.mul(paletteColour(f, colour), g.f(2)), g.f(1)); // [3,1,1,1]
    t = g.add(t, g.mul(g.unsqueeze(g.unsqueeze(amount, [0]), [3]), dir)); // [3,N,1,1]
  }
  return g.mul(t, g.unsqueeze(g.unsqueeze(exposure, [0]), [3]));
}

/** Reference image input [1,3,H,W] (0..255) and its H, W. */
export function imageInput(g: GraphBuilder): { image: V; H: V; W: V } {
  const image = g.input('image', 'FLOAT', [1, 3, 'H', 'W']);
  return { image, H: g.dim(image, 2), W: g.dim(image, 3) };
}
