/**
 * The performer's warp bases and maps, read pixel by pixel from a template face placed so
 * that the lower lip's lowest point (landmark 57) sits exactly on a pixel centre: there the
 * interpolated mouth columns equal that landmark's own motion, so the numbers below come
 * from face-mesh.ts's description (jaw drops the lip 0.4 mouth widths, …), not from a run.
 * Elsewhere the checks are about where things move: the forehead and the background never
 * move with the mouth, the head moves fully, the torso at 35 %, the background not at all.
 */
import { describe, expect, it } from 'vitest';
import { MESH_BASES, MESH_MAPS } from '../../models/build/models/performer-layout.js';
import { buildFallbackMesh, buildMesh, type MeshInputs } from './face-mesh.js';
import { templateAt } from './face-template.js';

// Small on purpose: the mutation run executes every pixel loop with its mutant switches.
const W = 80;
const H = 100;
const MW = 12;
// Landmark 57 is (−0.001, 0.163) mouth widths from the mouth centre: this centre puts it at (40.5, 40.5).
const L = templateAt(40.5 + 0.001 * MW, 40.5 - 0.163 * MW, MW);
const sx = 2 / W;
const sy = 2 / H;
const mouthWidth = Math.hypot(L[54]![0] - L[48]![0], L[54]![1] - L[48]![1]);
const xs = L.map((p) => p[0]);
const ys = L.map((p) => p[1]);
const faceW = Math.max(...xs) - Math.min(...xs);
const faceH = Math.max(...ys) - Math.min(...ys);
const B = MESH_BASES.length;
const MOUTH = ['jawX', 'jawY', 'roundX', 'roundY', 'spreadX', 'spreadY', 'pressY', 'tuckY'];
const HEAD = ['rollX', 'rollY', 'nodY', 'swayX', 'yawX', 'pitchY'];

/**
 * Built afresh in each test, never at module load: the mutation run attributes code to the
 * tests that execute it, and a mesh built once at import would count for none of them.
 */
const build = () => buildMesh(L, W, H);

function base(m: MeshInputs, name: string, x: number, y: number, width = W): number {
  const k = MESH_BASES.findIndex(([n]) => n === name);
  expect(k, name).toBeGreaterThanOrEqual(0);
  return m.mesh[(y * width + x) * B + k]!;
}

function map(m: MeshInputs, name: string, x: number, y: number): number {
  const [y0, x0, y1, x1] = m.roi;
  expect(x >= x0 && x < x1 && y >= y0 && y < y1, `(${x}, ${y}) inside the roi ${m.roi}`).toBe(true);
  const k = MESH_MAPS.indexOf(name as (typeof MESH_MAPS)[number]);
  return m.maps[k * (y1 - y0) * (x1 - x0) + (y - y0) * (x1 - x0) + (x - x0)]!;
}

/** The pixel a landmark falls in. */
const px = (i: number): [number, number] => [Math.floor(L[i]![0]), Math.floor(L[i]![1])];

describe('buildMesh: sizes and the region the maps cover', () => {
  it('one row of bases per pixel; the maps cover the eyes down to below the lips, inside the image', () => {
    const built = build();
    const [y0, x0, y1, x1] = built.roi;
    expect(built.mesh.length).toBe(W * H * B);
    expect(built.maps.length).toBe(MESH_MAPS.length * (y1 - y0) * (x1 - x0));
    const eyesAndLips = L.slice(36, 68);
    // The lids above the eyes (0.6 mouth widths) and the dropped jaw (0.7) fit, with 4 px to spare.
    expect(y0).toBe(Math.floor(Math.min(...L.slice(36, 48).map((p) => p[1])) - 0.6 * mouthWidth) - 4);
    expect(y1).toBe(Math.ceil(Math.max(...L.slice(48, 68).map((p) => p[1])) + 0.7 * mouthWidth) + 4);
    expect(x0).toBe(Math.floor(Math.min(...eyesAndLips.map((p) => p[0]))) - 4);
    expect(x1).toBe(Math.ceil(Math.max(...eyesAndLips.map((p) => p[0]))) + 4);
  });

  it('a face at the image edge: the region is clipped to the image', () => {
    const m = buildMesh(templateAt(8, 6, 20), 40, 40);
    const [y0, x0, y1, x1] = m.roi;
    expect([y0, x0]).toEqual([0, 0]);
    expect(y1).toBeLessThanOrEqual(40);
    expect(x1).toBeLessThanOrEqual(40);
    expect(m.maps.length).toBe(MESH_MAPS.length * (y1 - y0) * (x1 - x0));
  });
});

describe('buildMesh: mouth shapes', () => {
  it('mouth shapes: each moves the lips and jaw as described, and nothing outside the face', () => {
    const built = build();
    // At the lower lip (landmark 57) each shape moves it as described: jaw 0.4 mouth widths down, …
    {
      const [x, y] = px(57);
      expect([x + 0.5, y + 0.5]).toEqual([L[57]![0], L[57]![1]].map((v) => Number(v.toFixed(9))));
      // Backward displacement: the pixel samples where the content came from (minus the motion).
      const expected: Record<string, number> = {
        jawX: 0, jawY: -0.4 * mouthWidth * sy,
        roundX: 0, roundY: -0.05 * mouthWidth * sy, // rounding pushes the lower lip down…
        spreadX: 0, spreadY: 0,
        pressY: 0.03 * mouthWidth * sy, // …pressing lifts it…
        tuckY: 0.05 * mouthWidth * sy, // …tucking it in lifts it more.
      };
      for (const [k, v] of Object.entries(expected)) expect(base(built, k, x, y), k).toBeCloseTo(v, 6);
    }
    // The jaw only moves things vertically: down at the chin, a little up at the upper lip
    {
      let maxX = 0;
      for (let i = 0; i < W * H; i++) maxX = Math.max(maxX, Math.abs(built.mesh[i * B]!));
      expect(maxX).toBe(0);
      expect(base(built, 'jawY', ...px(8))).toBeLessThan(-0.6 * 0.4 * mouthWidth * sy);
      expect(base(built, 'jawY', ...px(51))).toBeGreaterThan(0);
    }
    // Rounding pulls the mouth corners in; spreading pushes them out and up
    {
      const left = px(48);
      const right = px(54);
      expect(base(built, 'roundX', ...left)).toBeLessThan(0); // content from the left moves right: sample further left
      expect(base(built, 'roundX', ...right)).toBeGreaterThan(0);
      expect(base(built, 'spreadX', ...left)).toBeGreaterThan(0);
      expect(base(built, 'spreadX', ...right)).toBeLessThan(0);
      expect(base(built, 'spreadY', ...left)).toBeGreaterThan(0);
      expect(base(built, 'roundY', ...px(51))).toBeGreaterThan(0); // the upper lip rises when rounding
    }
    // Pressing closes the lips: the upper lip comes down, the lower one up
    {
      expect(base(built, 'pressY', ...px(51))).toBeLessThan(0);
      expect(base(built, 'pressY', ...px(57))).toBeGreaterThan(0);
    }
    // Nothing above the eyes or outside the ring around the face moves with the mouth
    {
      const still: Array<[number, number]> = [[0, 0], [W - 1, 0], [0, H - 1], [W - 1, H - 1], [Math.floor(L[27]![0]), Math.floor(L[19]![1]) - 2], px(24)];
      for (const [x, y] of still) for (const k of MOUTH) expect(Math.abs(base(built, k, x, y)), `${k} at (${x}, ${y})`).toBe(0);
    }
  });
});

/**
 * The mouth shapes as designed (face-mesh.ts, mouthMotions): forward motion of each landmark in
 * mouth widths for one unit of the shape (x positive towards the face's centre line for the
 * corner pulls, y positive down). Landmarks not listed do not move.
 */
const DESIGN: Record<'jaw' | 'round' | 'spread' | 'press' | 'tuck', { inward?: Record<number, number>; dy: Record<number, number> }> = {
  jaw: { dy: { 66: 0.4, 57: 0.4, 65: 0.328, 67: 0.328, 56: 0.34, 58: 0.34, 55: 0.22, 59: 0.22, 48: 0.12, 54: 0.12, 60: 0.12, 64: 0.12, 8: 0.34, 7: 0.3, 9: 0.3, 6: 0.22, 10: 0.22, 5: 0.128, 11: 0.128, 4: 0.048, 12: 0.048, 3: 0.012, 13: 0.012, 61: -0.032, 62: -0.032, 63: -0.032, 50: -0.024, 51: -0.024, 52: -0.024 } },
  round: { inward: { 48: 0.17, 54: 0.17, 60: 0.17, 64: 0.17, 49: 0.08, 53: 0.08, 55: 0.08, 59: 0.08, 61: 0.08, 63: 0.08, 65: 0.08, 67: 0.08 }, dy: { 49: -0.04, 50: -0.04, 51: -0.04, 52: -0.04, 53: -0.04, 61: -0.04, 62: -0.04, 63: -0.04, 55: 0.05, 56: 0.05, 57: 0.05, 58: 0.05, 59: 0.05, 65: 0.05, 66: 0.05, 67: 0.05 } },
  spread: { inward: { 48: -0.1, 54: -0.1, 60: -0.1, 64: -0.1, 49: -0.05, 53: -0.05, 55: -0.05, 59: -0.05 }, dy: { 48: -0.03, 54: -0.03, 60: -0.03, 64: -0.03 } },
  // The template's mouth is closed (gap ≈ 0): pressing moves the inner lips by 0.02 mouth widths plus half the gap.
  press: { dy: { 50: 0.03, 51: 0.03, 52: 0.03, 56: -0.03, 57: -0.03, 58: -0.03 } },
  tuck: { dy: { 55: -0.05, 56: -0.05, 57: -0.05, 58: -0.05, 59: -0.05, 61: -0.04, 62: -0.04, 63: -0.04 } },
};
/** The closed template's inner lips share pixels with each other: their pixel mixes both lips. */
const SHARED_PIXEL = new Set([61, 62, 63, 65, 66, 67]);

describe('buildMesh: every landmark moves as designed', () => {
  it('at the pixel of each jaw, chin and lip landmark, each shape’s displacement is the designed one (within 8 % of the jaw drop)', () => {
    const built = build();
    const mid = (L[48]![0] + L[54]![0]) / 2;
    const off: string[] = [];
    for (const [shape, d] of Object.entries(DESIGN)) {
      const cx = shape === 'jaw' ? 'jawX' : `${shape}X`;
      const cy = `${shape}Y`;
      for (let i = 0; i < 68; i++) {
        if (SHARED_PIXEL.has(i)) continue;
        const [x, y] = px(i);
        const side = L[i]![0] < mid ? 1 : -1; // inward is +x on the left of the mouth, −x on the right
        const wantX = -(d.inward?.[i] ?? 0) * side * mouthWidth * sx;
        const wantY = -(d.dy[i] ?? 0) * mouthWidth * sy;
        const tol = 0.08 * 0.4 * mouthWidth;
        const gotY = base(built, cy, x, y);
        if (Math.abs(gotY - wantY) > tol * sy) off.push(`${shape} landmark ${i}: y ${(gotY / sy).toFixed(2)} px, designed ${(wantY / sy).toFixed(2)}`);
        if (shape !== 'press' && shape !== 'tuck') {
          const gotX = base(built, cx, x, y);
          if (Math.abs(gotX - wantX) > tol * sx) off.push(`${shape} landmark ${i}: x ${(gotX / sx).toFixed(2)} px, designed ${(wantX / sx).toFixed(2)}`);
        }
      }
    }
    expect(off).toEqual([]);
  });
});

describe('buildMesh: head motion', () => {
  const fcx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const fcy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const centre: [number, number] = [Math.floor(fcx), Math.floor(fcy)];
  const pivotY = L[8]![1] + 0.25 * faceH;

  it('head motion: the head fully, the inner face most at the nose, the torso at 35 %, the background not at all', () => {
    const built = build();
    // The head moves fully: nod 1.2 % of the face height, sway 1.2 % of its width, roll about the neck
    {
      const [x, y] = centre;
      expect(base(built, 'nodY', x, y)).toBeCloseTo(0.012 * faceH * sy, 6);
      expect(base(built, 'swayX', x, y)).toBeCloseTo(0.012 * faceW * sx, 6);
      // 0.035 rad per unit about a pivot a quarter face below the chin.
      expect(base(built, 'rollX', x, y)).toBeCloseTo(0.035 * (y + 0.5 - pivotY) * sx, 6);
      expect(base(built, 'rollY', x, y)).toBeCloseTo(-0.035 * (x + 0.5 - L[8]![0]) * sy, 6);
    }
    // Yaw and pitch move the inner face most at the nose, fading towards the face edge
    {
      const nose = px(30);
      const yaw = base(built, 'yawX', ...nose);
      expect(yaw).toBeGreaterThan(0.97 * 0.02 * faceW * sx);
      expect(yaw).toBeLessThanOrEqual(0.02 * faceW * sx);
      expect(base(built, 'pitchY', ...nose)).toBeGreaterThan(0.97 * 0.015 * faceH * sy);
      expect(base(built, 'yawX', Math.floor(L[0]![0]), Math.floor(L[0]![1]))).toBeLessThan(yaw / 4);
    }
    // The torso below the face follows at 35 %; the background does not move
    {
      const [x] = centre;
      expect(base(built, 'nodY', x, H - 1) / base(built, 'nodY', ...centre)).toBeCloseTo(0.35, 6);
      expect(base(built, 'swayX', x, H - 1) / base(built, 'swayX', ...centre)).toBeCloseTo(0.35, 6);
      // Beside the head (above the shoulders) and above it: nothing.
      const chinRow = Math.floor(L[8]![1]) - 1;
      for (const [bx, by] of [[0, chinRow], [W - 1, chinRow], [0, 0], [W - 1, 0]] as const) {
        for (const k of HEAD) expect(Math.abs(base(built, k, bx, by)), `${k} at (${bx}, ${by})`).toBe(0);
      }
      // In between the head mask falls off smoothly: no step bigger than a tenth per pixel.
      const col = Array.from({ length: H }, (_, y) => base(built, 'nodY', x, y) / base(built, 'nodY', ...centre));
      expect(Math.max(...col.slice(1).map((v, y) => Math.abs(v - col[y]!)))).toBeLessThan(0.1);
    }
  });
});

describe('buildMesh: eyelid and lip maps', () => {
  it('eyelid and lip maps: the lid line and opening, the lips’ meeting line and span', () => {
    const built = build();
    // Eyelids: distance below the upper lid grows one pixel per row, the opening is positive, the lid skin only above the eye
    {
      // A column through the left eye, between landmarks 37 and 38 (its upper lid).
      const x = Math.floor((L[37]![0] + L[38]![0]) / 2);
      const upper = L[37]![1] + ((x + 0.5 - L[37]![0]) / (L[38]![0] - L[37]![0])) * (L[38]![1] - L[37]![1]);
      const yEye = Math.floor(upper) + 1;
      expect(map(built, 'eyeE', x, yEye)).toBeCloseTo((yEye + 0.5 - upper) * sy, 6);
      expect(map(built, 'eyeE', x, yEye + 1) - map(built, 'eyeE', x, yEye)).toBeCloseTo(sy, 6);
      expect(map(built, 'eyeE', x, yEye - 2)).toBeLessThan(0);
      const open = map(built, 'eyeD', x, yEye);
      const lower = L[41]![1] + ((x + 0.5 - L[41]![0]) / (L[40]![0] - L[41]![0])) * (L[40]![1] - L[41]![1]);
      expect(open).toBeCloseTo(Math.max(0.5, lower - upper) * sy, 6);
      // The lid skin: eyeE + 0.9 · opening, where positive, in the middle of the eye's span.
      expect(map(built, 'eyeQ', x, yEye)).toBeCloseTo(map(built, 'eyeE', x, yEye) + 0.9 * open, 4);
      expect(map(built, 'eyeQ', x, Math.floor(upper - 2 * (lower - upper)))).toBe(0);
      // Between the eyes nothing is written.
      const between = Math.floor((L[39]![0] + L[42]![0]) / 2);
      expect(map(built, 'eyeE', between, yEye)).toBe(0);
      expect(map(built, 'eyeD', between, yEye)).toBe(0);
    }
    // Lips: the meeting line between the inner contours splits the mouth; away from the mouth the lips never part
    {
      const x = Math.floor(L[62]![0]);
      const mid = (L[62]![1] + L[66]![1]) / 2; // closed template mouth: the inner contours nearly meet
      const rows = Array.from({ length: 20 }, (_, k) => Math.floor(mid) - 10 + k);
      for (const y of rows) {
        const d = map(built, 'lipDP', x, y);
        const s = map(built, 'lipS', x, y);
        // Below the line: the distance, and the soft edge's sign says "below".
        if (y + 0.5 > mid + 0.5) {
          expect(d, `row ${y}`).toBeGreaterThan(0);
          expect(s, `row ${y}`).toBe(-1 / sy);
        } else if (y + 0.5 < mid - 0.5) {
          expect(d, `row ${y}`).toBe(0);
          expect(s, `row ${y}`).toBe(1 / sy);
        }
        // Distance below the line minus the pixel's own grid y: the line's height, the same all down the column.
        expect(map(built, 'lipDM', x, y)).toBeCloseTo(1 - mid * sy, 3);
      }
      expect(map(built, 'lipDP', x, Math.floor(mid) + 6)).toBeCloseTo((Math.floor(mid) + 6.5 - mid) * sy, 2);
      // The span is full in the middle of the mouth, nothing well outside it.
      expect(map(built, 'lipSpan', x, Math.floor(mid))).toBeCloseTo(1, 6);
      expect(map(built, 'lipSpan', x, Math.floor(mid + 0.7 * mouthWidth))).toBe(0);
      expect(map(built, 'lipSpan', Math.floor(L[48]![0]) - 1, Math.floor(L[48]![1]))).toBe(0);
      // Left of the mouth corner the lines are undefined: a distance that never crosses.
      const [y0, x0] = built.roi;
      expect(map(built, 'lipDM', x0, y0 + 2)).toBe(1e3);
      expect(map(built, 'lipSpan', x0, y0 + 2)).toBe(0);
    }
  });
});

describe('buildMesh: a shut mouth whose inner lips coincide', () => {
  it('still gives a whole mesh: no NaN anywhere, the jaw still drops the lower lip', () => {
    const shut = L.map((p) => [p[0], p[1]] as [number, number]);
    for (const [a, b] of [[61, 67], [62, 66], [63, 65]] as const) shut[b] = [...shut[a]!];
    const m = buildMesh(shut, W, H);
    expect(m.mesh.some((v) => Number.isNaN(v))).toBe(false);
    expect(m.maps.some((v) => Number.isNaN(v))).toBe(false);
    const [x, y] = px(57);
    expect(base(m, 'jawY', x, y)).toBeCloseTo(-0.4 * mouthWidth * sy, 6);
  });
});

describe('buildFallbackMesh (no face)', () => {
  it('the whole frame breathes: a gentle vertical stretch, a roll about the bottom centre, a small nod and sway', () => {
    const w = 20;
    const h = 10;
    const m = buildFallbackMesh(w, h);
    expect(m.mesh.length).toBe(w * h * B);
    expect(m.roi).toEqual([0, 0, 1, 1]);
    expect(Array.from(m.maps)).toEqual(MESH_MAPS.map((k) => (k === 'lipDM' ? 1e3 : 0)));
    for (const [x, y] of [[0, 0], [19, 9], [7, 3], [12, 6]] as const) {
      const nx = ((x + 0.5) / w) * 2 - 1;
      const ny = ((y + 0.5) / h) * 2 - 1;
      const at = (k: string) => base(m, k, x, y, w);
      expect(at('jawY')).toBeCloseTo(-0.02 * ny, 7);
      expect(at('rollX')).toBeCloseTo(0.02 * (ny - 1), 7);
      expect(at('rollY')).toBeCloseTo(-0.02 * nx, 7);
      expect(at('nodY')).toBeCloseTo(0.01, 7);
      expect(at('swayX')).toBeCloseTo(0.008, 7);
      for (const k of ['jawX', 'roundX', 'roundY', 'spreadX', 'spreadY', 'pressY', 'tuckY', 'yawX', 'pitchY']) expect(at(k), k).toBe(0);
    }
  });
});
