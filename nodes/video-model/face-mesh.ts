/**
 * The performer's `mesh` and `maps` inputs, made once per render from the face's 68 landmarks
 * (iBUG order, render-size pixels). See models/build/models/performer-layout.ts for what each
 * column and map means; this file decides how the face moves:
 *  - mouth shapes (jaw, round, spread, press, tuck) are displacements of the lip, jaw and chin
 *    landmarks, spread over a Delaunay mesh of the landmarks plus a fixed ring around the face
 *    and the image corners, so the skin between moves smoothly and nothing outside the ring
 *    moves at all;
 *  - head motion (roll about the neck, nod, sway, and yaw/pitch-like shifts of the inner face)
 *    uses smooth masks: the head follows fully, the torso at 35 %, the background not at all.
 * Every column is a backward displacement (where each output pixel samples the photo) in grid
 * units, for one unit of its control.
 */
import { LID_SKIN, MESH_BASES, MESH_MAPS } from '../../models/build/models/performer-layout.js';
import { delaunay, type Pt } from './triangulate.js';

export type Landmarks = ReadonlyArray<readonly [number, number]>;

export interface MeshInputs {
  mesh: Float32Array; // [H·W, B]
  /** The face region the maps cover: y0, x0, y1, x1 (pixels, end exclusive). */
  roi: [number, number, number, number];
  maps: Float32Array; // [M, y1 − y0, x1 − x0]
}

const B = MESH_BASES.length;
const col = (name: string) => MESH_BASES.findIndex(([n]) => n === name);
const mapIndex = (name: string) => MESH_MAPS.indexOf(name as (typeof MESH_MAPS)[number]);

const smoothstep = (e0: number, e1: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
};

/** y of a polyline (points sorted by x) at x, or undefined outside it. */
function polyY(pts: Pt[], x: number): number | undefined {
  for (let i = 0; i + 1 < pts.length; i++) {
    const [x0, y0] = pts[i]!;
    const [x1, y1] = pts[i + 1]!;
    if (x >= Math.min(x0, x1) && x <= Math.max(x0, x1)) return x1 === x0 ? (y0 + y1) / 2 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
  }
  return undefined;
}

/** Forward displacements (px) of the 68 landmarks for one unit of each mouth shape. */
function mouthMotions(L: Landmarks): Record<'jaw' | 'round' | 'spread' | 'press' | 'tuck', Array<[number, number]>> {
  const mw = Math.hypot(L[54]![0] - L[48]![0], L[54]![1] - L[48]![1]);
  const cx = (L[48]![0] + L[54]![0]) / 2;
  const gap = Math.max(0, L[66]![1] - L[62]![1]);
  const zero = () => Array.from({ length: 68 }, () => [0, 0] as [number, number]);
  const set = (m: Array<[number, number]>, ids: number[], dx: number, dy: number) => {
    for (const i of ids) m[i] = [m[i]![0] + dx, m[i]![1] + dy];
  };
  const inward = (m: Array<[number, number]>, ids: number[], amount: number) => {
    for (const i of ids) m[i]![0] += L[i]![0] < cx ? amount : -amount;
  };
  const D = 0.4 * mw;
  const jaw = zero();
  set(jaw, [66, 57], 0, D);
  set(jaw, [65, 67], 0, 0.82 * D);
  set(jaw, [56, 58], 0, 0.85 * D);
  set(jaw, [55, 59], 0, 0.55 * D);
  set(jaw, [48, 54, 60, 64], 0, 0.3 * D);
  set(jaw, [8], 0, 0.85 * D);
  set(jaw, [7, 9], 0, 0.75 * D);
  set(jaw, [6, 10], 0, 0.55 * D);
  set(jaw, [5, 11], 0, 0.32 * D);
  set(jaw, [4, 12], 0, 0.12 * D);
  set(jaw, [3, 13], 0, 0.03 * D);
  set(jaw, [61, 62, 63], 0, -0.08 * D);
  set(jaw, [50, 51, 52], 0, -0.06 * D);
  const round = zero();
  inward(round, [48, 54, 60, 64], 0.17 * mw);
  inward(round, [49, 53, 55, 59, 61, 63, 65, 67], 0.08 * mw);
  set(round, [49, 50, 51, 52, 53, 61, 62, 63], 0, -0.04 * mw);
  set(round, [55, 56, 57, 58, 59, 65, 66, 67], 0, 0.05 * mw);
  const spread = zero();
  inward(spread, [48, 54, 60, 64], -0.1 * mw);
  inward(spread, [49, 53, 55, 59], -0.05 * mw);
  set(spread, [48, 54, 60, 64], 0, -0.03 * mw);
  const press = zero();
  set(press, [61, 62, 63], 0, gap / 2 + 0.02 * mw);
  set(press, [65, 66, 67], 0, -(gap / 2 + 0.02 * mw));
  set(press, [50, 51, 52], 0, 0.03 * mw);
  set(press, [56, 57, 58], 0, -0.03 * mw);
  const tuck = zero();
  set(tuck, [65, 66, 67], 0, -0.03 * mw);
  set(tuck, [55, 56, 57, 58, 59], 0, -0.05 * mw);
  set(tuck, [61, 62, 63], 0, -0.04 * mw);
  return { jaw, round, spread, press, tuck };
}

/**
 * The lips tiled by hand (iBUG indices): the upper lip between its outer (48–54) and inner
 * (60–64) contours, the lower lip between 54–59/48 and 64–67/60, and the thin strip between the
 * inner contours. Both inner contours are edge chains, so the upper lip's motion stops at the
 * meeting line and the lower lip's starts there.
 */
const LIP_TRIANGLES: ReadonlyArray<[number, number, number]> = [
  [48, 49, 60], [49, 61, 60], [49, 50, 61], [50, 51, 61], [51, 62, 61], [51, 52, 62], [52, 63, 62], [52, 53, 63], [53, 64, 63], [53, 54, 64],
  [48, 59, 60], [59, 67, 60], [59, 58, 67], [58, 66, 67], [58, 57, 66], [57, 56, 66], [56, 65, 66], [56, 55, 65], [55, 64, 65], [55, 54, 64],
  [60, 61, 67], [61, 62, 67], [62, 66, 67], [62, 63, 66], [63, 65, 66], [63, 64, 65],
];

/** Landmarks that coincide (a closed mouth's inner lips) are nudged apart: Delaunay needs distinct points. */
function distinct(pts: Pt[]): Pt[] {
  const out: Array<[number, number]> = [];
  for (const [x, y] of pts) {
    let p: [number, number] = [x, y];
    while (out.some(([u, v]) => Math.abs(u - p[0]) < 0.05 && Math.abs(v - p[1]) < 0.05)) p = [p[0] + 0.07, p[1] + 0.11];
    out.push(p);
  }
  return out;
}

export function buildMesh(L: Landmarks, width: number, height: number): MeshInputs {
  const W = width;
  const H = height;
  const HW = W * H;
  const mesh = new Float32Array(HW * B);
  const sx = 2 / W; // px → grid units
  const sy = 2 / H;
  // The region the lid and lip maps cover: the eyes with the lid skin above them down to the
  // lips plus room for the jaw to drop, a few pixels of margin on every side.
  const mwR = Math.hypot(L[54]![0] - L[48]![0], L[54]![1] - L[48]![1]);
  const eyeTop = Math.min(...L.slice(36, 48).map((p) => p[1])) - 0.6 * mwR;
  const lipsBottom = Math.max(...L.slice(48, 68).map((p) => p[1])) + 0.7 * mwR;
  const roiX = [...L.slice(36, 48), ...L.slice(48, 68)].map((p) => p[0]);
  const ry0 = Math.max(0, Math.floor(eyeTop) - 4), ry1 = Math.min(H, Math.ceil(lipsBottom) + 4);
  const rx0 = Math.max(0, Math.floor(Math.min(...roiX)) - 4), rx1 = Math.min(W, Math.ceil(Math.max(...roiX)) + 4);
  const rw = Math.max(1, rx1 - rx0), rh = Math.max(1, ry1 - ry0);
  const RHW = rw * rh;
  const maps = new Float32Array(MESH_MAPS.length * RHW);
  const at = (x: number, y: number) => (y - ry0) * rw + (x - rx0);
  const inRoi = (x: number, y: number) => x >= rx0 && x < rx1 && y >= ry0 && y < ry1;

  // ---- Mouth shapes over the landmark mesh.
  const xs = L.map((p) => p[0]);
  const ys = L.map((p) => p[1]);
  const fx0 = Math.min(...xs), fx1 = Math.max(...xs), fy0 = Math.min(...ys), fy1 = Math.max(...ys);
  const fcx = (fx0 + fx1) / 2, fcy = (fy0 + fy1) / 2;
  const faceW = fx1 - fx0, faceH = fy1 - fy0;
  const ring: Pt[] = Array.from({ length: 20 }, (_, k) => {
    const a = (k / 20) * Math.PI * 2;
    return [fcx + Math.cos(a) * faceW * 0.68, fcy + 0.05 * faceH + Math.sin(a) * faceH * 0.78] as const;
  });
  const corners: Pt[] = [[-2, -2], [W + 2, -2], [W + 2, H + 2], [-2, H + 2]];
  const points = distinct([...L, ...ring, ...corners] as Pt[]);
  // Delaunay everywhere but inside the lips, whose triangles come from LIP_TRIANGLES, drawn last so
  // they win there: the lips' meeting line must be a chain of edges, or a triangle spanning the
  // two lips shears the opening mouth along a diagonal seam.
  const kept = points.map((_, i) => i).filter((i) => i < 60 || i >= 68);
  const tris = [...delaunay(kept.map((i) => points[i]!)).map((t) => t.map((k) => kept[k]!) as [number, number, number]), ...LIP_TRIANGLES];
  const motions = mouthMotions(L);
  const shapeCols: Array<[keyof typeof motions, number, number]> = [
    ['jaw', col('jawX'), col('jawY')], ['round', col('roundX'), col('roundY')], ['spread', col('spreadX'), col('spreadY')],
    ['press', -1, col('pressY')], ['tuck', -1, col('tuckY')],
  ];
  const disp = (m: Array<[number, number]>, v: number): [number, number] => (v < 68 ? m[v]! : [0, 0]);
  for (const [a, b, c] of tris) {
    const [ax, ay] = points[a]!, [bx, by] = points[b]!, [cx, cy] = points[c]!;
    const det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy);
    if (Math.abs(det) < 1e-9) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx))), x1 = Math.min(W - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy))), y1 = Math.min(H - 1, Math.ceil(Math.max(ay, by, cy)));
    if (a >= 68 && b >= 68 && c >= 68) continue; // ring/corner triangles never move
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const wa = ((by - cy) * (px - cx) + (cx - bx) * (py - cy)) / det;
        const wb = ((cy - ay) * (px - cx) + (ax - cx) * (py - cy)) / det;
        const wc = 1 - wa - wb;
        if (wa < -1e-7 || wb < -1e-7 || wc < -1e-7) continue;
        const o = (y * W + x) * B;
        for (const [name, cX, cY] of shapeCols) {
          const m = motions[name];
          const [dxa, dya] = disp(m, a), [dxb, dyb] = disp(m, b), [dxc, dyc] = disp(m, c);
          // Backward: the output pixel samples where the photo's content came from.
          if (cX >= 0) mesh[o + cX] = -(wa * dxa + wb * dxb + wc * dxc) * sx;
          mesh[o + cY] = -(wa * dya + wb * dyb + wc * dyc) * sy;
        }
      }
    }
  }

  // ---- Head motion: smooth masks (head 1, torso 0.35, background 0).
  const brow = Math.min(...L.slice(17, 27).map((p) => p[1]));
  const chin = L[8]![1];
  const headTop = brow - 0.75 * (chin - brow);
  const hcy = (headTop + chin) / 2, hry = (chin - headTop) / 2 + 0.05 * faceH, hrx = 0.62 * faceW;
  const pivot: Pt = [L[8]![0], chin + 0.25 * faceH];
  const nose = L[30]!;
  const roll = 0.035; // rad per unit control (≈ 2°)
  for (let y = 0; y < H; y++) {
    const py = y + 0.5;
    for (let x = 0; x < W; x++) {
      const px = x + 0.5;
      const r = Math.hypot((px - fcx) / hrx, (py - hcy) / hry);
      const head = 1 - smoothstep(1, 1.6, r);
      const torso = py > chin ? smoothstep(chin, chin + 0.5 * faceH, py) * (1 - smoothstep(1.1 * faceW, 1.9 * faceW, Math.abs(px - fcx))) : 0;
      const body = Math.max(head, 0.35 * torso);
      const inner = head * Math.exp(-0.5 * (((px - nose[0]) / (0.3 * faceW)) ** 2 + ((py - nose[1]) / (0.35 * faceH)) ** 2));
      const o = (y * W + x) * B;
      mesh[o + col('rollX')] = body * roll * (py - pivot[1]) * sx;
      mesh[o + col('rollY')] = -body * roll * (px - pivot[0]) * sy;
      mesh[o + col('nodY')] = body * 0.012 * faceH * sy;
      mesh[o + col('swayX')] = body * 0.012 * faceW * sx;
      mesh[o + col('yawX')] = inner * 0.02 * faceW * sx;
      mesh[o + col('pitchY')] = inner * 0.015 * faceH * sy;
    }
  }

  // ---- Eyelid maps.
  const eyeE = mapIndex('eyeE'), eyeD = mapIndex('eyeD'), eyeQ = mapIndex('eyeQ');
  for (const [c0, u0, u1, c1, l1, l0] of [[36, 37, 38, 39, 40, 41], [42, 43, 44, 45, 46, 47]] as const) {
    const upper = [L[c0]!, L[u0]!, L[u1]!, L[c1]!] as Pt[];
    const lower = [L[c0]!, L[l0]!, L[l1]!, L[c1]!] as Pt[];
    const xA = Math.min(L[c0]![0], L[c1]![0]), xB = Math.max(L[c0]![0], L[c1]![0]);
    const eyeH = Math.max(...upper.concat(lower).map((p) => p[1])) - Math.min(...upper.map((p) => p[1]));
    const yTop = Math.floor(Math.min(...upper.map((p) => p[1])) - 3 * eyeH), yBot = Math.ceil(Math.max(...lower.map((p) => p[1])) + 2);
    for (let x = Math.max(0, Math.floor(xA)); x <= Math.min(W - 1, Math.ceil(xB)); x++) {
      const px = x + 0.5;
      const U = polyY(upper, px), Lo = polyY(lower, px);
      if (U === undefined || Lo === undefined) continue;
      const D = Math.max(0.5, Lo - U);
      const span = smoothstep(xA, xA + 2, px) * (1 - smoothstep(xB - 2, xB, px));
      for (let y = Math.max(0, yTop); y <= Math.min(H - 1, yBot); y++) {
        if (!inRoi(x, y)) continue;
        const e = (y + 0.5 - U) * sy;
        const i = at(x, y);
        maps[eyeE * RHW + i] = e;
        maps[eyeD * RHW + i] = D * sy;
        maps[eyeQ * RHW + i] = Math.max(0, e + LID_SKIN * D * sy) * span;
      }
    }
  }

  // ---- Lip maps: the meeting line between the inner lip contours, the mouth span.
  const upperIn = [L[48]!, L[60]!, L[61]!, L[62]!, L[63]!, L[64]!, L[54]!] as Pt[];
  const lowerIn = [L[48]!, L[60]!, L[67]!, L[66]!, L[65]!, L[64]!, L[54]!] as Pt[];
  const mw = Math.hypot(L[54]![0] - L[48]![0], L[54]![1] - L[48]![1]);
  const lipDM = mapIndex('lipDM'), lipS = mapIndex('lipS'), lipSpan = mapIndex('lipSpan'), lipDP = mapIndex('lipDP');
  const xL = Math.min(L[48]![0], L[54]![0]), xR = Math.max(L[48]![0], L[54]![0]);
  const iL = Math.min(L[60]![0], L[64]![0]), iR = Math.max(L[60]![0], L[64]![0]);
  for (let y = ry0; y < ry1; y++) {
    const py = y + 0.5;
    for (let x = rx0; x < rx1; x++) {
      const px = x + 0.5;
      const i = at(x, y);
      const U = polyY(upperIn, px), Lo = polyY(lowerIn, px);
      const Y0 = py * sy - 1;
      if (U === undefined || Lo === undefined) {
        maps[lipDM * RHW + i] = 1e3; // never crosses
        continue;
      }
      const d = (py - (U + Lo) / 2) * sy;
      const horiz = smoothstep(xL, iL + 0.25 * (iL - xL), px) * (1 - smoothstep(iR - 0.25 * (xR - iR), xR, px));
      const vert = 1 - smoothstep(0.35 * mw, 0.6 * mw, Math.abs(py - (U + Lo) / 2));
      maps[lipDM * RHW + i] = d - Y0;
      maps[lipS * RHW + i] = (d >= 0 ? -1 : 1) / sy; // 1 px soft edge
      maps[lipSpan * RHW + i] = horiz * vert;
      maps[lipDP * RHW + i] = Math.max(0, d);
    }
  }
  return { mesh, roi: [ry0, rx0, ry1, rx1], maps };
}

/** No face: the whole frame breathes and sways with the voice (no mouth, no eyelids). */
export function buildFallbackMesh(width: number, height: number): MeshInputs {
  const W = width, H = height, HW = W * H;
  const mesh = new Float32Array(HW * B);
  const maps = new Float32Array(MESH_MAPS.length); // a 1×1 region: no lids, no lips
  maps[mapIndex('lipDM')] = 1e3; // the lips never part
  for (let y = 0; y < H; y++) {
    const ny = ((y + 0.5) / H) * 2 - 1;
    for (let x = 0; x < W; x++) {
      const nx = ((x + 0.5) / W) * 2 - 1;
      const o = (y * W + x) * B;
      mesh[o + col('jawY')] = -0.02 * ny; // a gentle vertical stretch about the centre
      mesh[o + col('rollX')] = 0.02 * (ny - 1);
      mesh[o + col('rollY')] = -0.02 * nx;
      mesh[o + col('nodY')] = 0.01;
      mesh[o + col('swayX')] = 0.008;
    }
  }
  return { mesh, roi: [0, 0, 1, 1], maps };
}
