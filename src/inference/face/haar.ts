/**
 * Viola–Jones / Lienhart Haar cascades in plain TypeScript, following OpenCV 4's CascadeClassifier
 * (modules/objdetect/src/cascadedetect.cpp) closely enough that the stock cascades behave as they do there:
 * the "new" XML format (stages → weakClassifiers → internalNodes/leafValues, features with rects and
 * a tilted flag), per-window variance normalisation, an image pyramid with a 1–2 px step, and
 * groupRectangles.
 */

import { cvRound, groupRectangles, type GroupedRect } from './group.js';
import { resizeBilinear, type GrayImage } from './gray.js';
import { integral, tiltedIntegral } from './integral.js';
import { child, parseXml, type XmlElement } from './xml.js';

const THRESHOLD_EPS = Math.fround(1e-5);

/** A parsed cascade, flattened into typed arrays for the hot loop. */
export interface HaarCascade {
  /** Training window size: features are defined on this grid. */
  width: number;
  height: number;
  stageThreshold: Float64Array;
  stageFirstWeak: Int32Array;
  stageWeakCount: Int32Array;
  weakFirstNode: Int32Array;
  weakFirstLeaf: Int32Array;
  /**
   * Tree nodes. `left`/`right` index nodes of the same weak classifier when > 0; when ≤ 0 they
   * name leaf −value (OpenCV's encoding: a stump is "0 -1 f t" → leaf 0 if below, leaf 1 otherwise).
   */
  nodeLeft: Int32Array;
  nodeRight: Int32Array;
  nodeFeature: Int32Array;
  nodeThreshold: Float64Array;
  leaves: Float64Array;
  features: HaarFeature[];
  hasTilted: boolean;
}

export interface HaarFeature {
  tilted: boolean;
  /** 2 or 3 weighted rectangles in window coordinates. */
  rects: Array<{ x: number; y: number; w: number; h: number; weight: number }>;
}

function numbers(el: XmlElement | undefined, what: string): number[] {
  if (!el) throw new Error(`missing <${what}>`);
  const out = el.text.trim().split(/\s+/).map(Number);
  if (out.some((v) => !Number.isFinite(v))) throw new Error(`<${what}> holds a non-number`);
  return out;
}

function one(el: XmlElement, name: string): number {
  const v = numbers(child(el, name), name);
  return v[0]!;
}

/**
 * Parse OpenCV's cascade XML (`<opencv_storage><cascade>…`, as written by opencv_traincascade and shipped
 * in data/haarcascades). Only BOOST + HAAR cascades. Throws `Error` with a plain reason; callers wrap it
 * with the file name.
 */
export function parseCascade(xml: string): HaarCascade {
  const storage = child(parseXml(xml), 'opencv_storage');
  if (!storage) throw new Error('not an OpenCV FileStorage XML (no <opencv_storage>)');
  const c = child(storage, 'cascade');
  if (!c) throw new Error('no <cascade> node (old-format haar cascades are not supported)');
  const stageType = child(c, 'stageType')?.text.trim();
  const featureType = child(c, 'featureType')?.text.trim();
  if (stageType !== 'BOOST' || featureType !== 'HAAR') throw new Error(`unsupported cascade ${stageType}/${featureType} (need BOOST/HAAR)`);
  const width = one(c, 'width');
  const height = one(c, 'height');

  const stages = child(c, 'stages')?.children ?? [];
  const featuresEl = child(c, 'features')?.children ?? [];
  if (stages.length === 0 || featuresEl.length === 0) throw new Error('cascade has no stages or no features');

  const stageThreshold: number[] = [];
  const stageFirstWeak: number[] = [];
  const stageWeakCount: number[] = [];
  const weakFirstNode: number[] = [];
  const weakFirstLeaf: number[] = [];
  const nodeLeft: number[] = [];
  const nodeRight: number[] = [];
  const nodeFeature: number[] = [];
  const nodeThreshold: number[] = [];
  const leaves: number[] = [];
  for (const s of stages) {
    const weaks = child(s, 'weakClassifiers')?.children ?? [];
    // OpenCV loads stage thresholds as float minus 1e-5f (THRESHOLD_EPS), so a window scoring exactly
    // the threshold passes; without it borderline windows of the smile cascade are lost.
    stageThreshold.push(Math.fround(Math.fround(one(s, 'stageThreshold')) - THRESHOLD_EPS));
    stageFirstWeak.push(weakFirstNode.length);
    stageWeakCount.push(weaks.length);
    for (const wk of weaks) {
      const nodes = numbers(child(wk, 'internalNodes'), 'internalNodes');
      const lv = numbers(child(wk, 'leafValues'), 'leafValues');
      // HAAR features are ordered (not categorical), so each node is exactly: left right feature threshold.
      if (nodes.length % 4 !== 0 || nodes.length === 0) throw new Error('internalNodes length is not a multiple of 4');
      weakFirstNode.push(nodeLeft.length);
      weakFirstLeaf.push(leaves.length);
      for (let i = 0; i < nodes.length; i += 4) {
        const f = nodes[i + 2]!;
        if (f < 0 || f >= featuresEl.length) throw new Error(`feature index ${f} out of range`);
        nodeLeft.push(nodes[i]!);
        nodeRight.push(nodes[i + 1]!);
        nodeFeature.push(f);
        nodeThreshold.push(Math.fround(nodes[i + 3]!));
      }
      for (const v of lv) leaves.push(Math.fround(v));
    }
  }

  const features: HaarFeature[] = featuresEl.map((f) => {
    const rects = (child(f, 'rects')?.children ?? []).map((r) => {
      const [x, y, w, h, weight] = numbers(r, 'rects');
      if (weight === undefined) throw new Error('feature rect needs "x y w h weight"');
      return { x: x!, y: y!, w: w!, h: h!, weight: Math.fround(weight) };
    });
    if (rects.length < 1 || rects.length > 3) throw new Error(`feature with ${rects.length} rects`);
    const tiltedEl = child(f, 'tilted');
    return { tilted: tiltedEl ? Number(tiltedEl.text.trim()) !== 0 : false, rects };
  });

  return {
    width,
    height,
    stageThreshold: Float64Array.from(stageThreshold),
    stageFirstWeak: Int32Array.from(stageFirstWeak),
    stageWeakCount: Int32Array.from(stageWeakCount),
    weakFirstNode: Int32Array.from(weakFirstNode),
    weakFirstLeaf: Int32Array.from(weakFirstLeaf),
    nodeLeft: Int32Array.from(nodeLeft),
    nodeRight: Int32Array.from(nodeRight),
    nodeFeature: Int32Array.from(nodeFeature),
    nodeThreshold: Float64Array.from(nodeThreshold),
    leaves: Float64Array.from(leaves),
    features,
    hasTilted: features.some((f) => f.tilted),
  };
}

export interface DetectOptions {
  /** Pyramid step (OpenCV scaleFactor). Default 1.1. */
  scaleFactor?: number;
  /** Raw hits a group needs beyond this count to survive (OpenCV minNeighbors). Default 3. */
  minNeighbors?: number;
  /** Smallest / largest object side in pixels of `img` (OpenCV minSize/maxSize, compared on width). */
  minSize?: number;
  maxSize?: number;
}

/**
 * Find objects in `img` at every scale. Returns grouped boxes in `img` pixels, each with the number of
 * raw hits merged into it (more = more confident).
 */
export function detectMultiScale(cascade: HaarCascade, img: GrayImage, opts: DetectOptions = {}): GroupedRect[] {
  const scaleFactor = opts.scaleFactor ?? 1.1;
  const minNeighbors = opts.minNeighbors ?? 3;
  const minSize = opts.minSize ?? 0;
  const maxSize = opts.maxSize ?? Infinity;
  const W = cascade.width;
  const H = cascade.height;
  if (!(scaleFactor > 1)) throw new Error('scaleFactor must be > 1');
  if (img.width < W || img.height < H) return [];
  // Int32 integrals: 255 × pixels must stay below 2³¹.
  if (img.width * img.height > 8_000_000) throw new Error(`image ${img.width}×${img.height} too large for detection; downscale it first`);

  // One set of buffers sized for the largest (first) pyramid level, reused by the smaller ones.
  const maxN = (img.width + 1) * (img.height + 1);
  const scaled = new Uint8Array(img.width * img.height);
  const sums = new Int32Array(cascade.hasTilted ? 2 * maxN : maxN);
  const sqsum = new Float64Array(maxN);
  const tilted = cascade.hasTilted ? new Int32Array(maxN) : undefined;

  const raw: Array<{ x: number; y: number; w: number; h: number }> = [];
  for (let f64 = 1; ; f64 *= scaleFactor) {
    // Which scales to scan is decided in double precision (detectMultiScaleNoGrouping)...
    const sizeW = cvRound(W * f64);
    const sizeH = cvRound(H * f64);
    if (sizeW > maxSize || sizeH > maxSize || sizeW > img.width || sizeH > img.height) break;
    if (sizeW < minSize || sizeH < minSize) continue;
    // ...but the scan itself keeps the scale as float32 and does float32 products, rounded half-to-even
    // (cvRound). Copying that keeps window sizes and positions identical to OpenCV's.
    const factor = Math.fround(f64);
    const winW = cvRound(Math.fround(W * factor));
    const winH = cvRound(Math.fround(H * factor));
    // OpenCV shrinks the image rather than growing the features, so features stay on the integer grid
    // they were trained on.
    const sw = cvRound(Math.fround(img.width / factor));
    const sh = cvRound(Math.fround(img.height / factor));
    if (sw < W || sh < H) break;
    const level = factor === 1 ? img : resizeBilinear(img, sw, sh, scaled);
    integral(level.data, sw, sh, sums, sqsum);
    if (tilted) {
      // Tilted integral lives right after the upright one, so a feature rect is just 4 offsets into `sums`.
      tiltedIntegral(level.data, sw, sh, tilted);
      sums.set(tilted.subarray(0, (sw + 1) * (sh + 1)), maxN);
    }
    scanLevel(cascade, sums, sqsum, sw, sh, maxN, factor, winW, winH, raw);
  }
  // Like cv::CascadeClassifier::detectMultiScale, clip the grouped boxes to the image (a window's rounded
  // position + rounded size can overhang the edge by a pixel or two).
  const out: GroupedRect[] = [];
  for (const r of groupRectangles(raw, minNeighbors, 0.2)) {
    const x0 = Math.max(0, r.x);
    const y0 = Math.max(0, r.y);
    const x1 = Math.min(img.width, r.x + r.w);
    const y1 = Math.min(img.height, r.y + r.h);
    if (x1 > x0 && y1 > y0) out.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0, neighbors: r.neighbors });
  }
  return out;
}

/** Per-level node table: everything one tree node needs, packed together for cache locality. */
interface LevelNodes {
  /** Stride 16: 3 rects × 4 integral offsets (relative to the window's top-left), left, right. */
  ints: Int32Array;
  /** Stride 4: 3 rect weights, threshold. A 2-rect feature has weight 0 in slot 3 (skipped, as in OpenCV). */
  floats: Float64Array;
}

function levelNodes(c: HaarCascade, st: number, tiltOfs: number): LevelNodes {
  const nNodes = c.nodeFeature.length;
  const ints = new Int32Array(nNodes * 16);
  const floats = new Float64Array(nNodes * 4);
  for (let node = 0; node < nNodes; node++) {
    const f = c.features[c.nodeFeature[node]!]!;
    f.rects.forEach((r, k) => {
      const o = node * 16 + k * 4;
      if (f.tilted) {
        // OpenCV CV_TILTED_OFFSETS: corners (x,y), (x−h,y+h), (x+w,y+w), (x+w−h,y+w+h) of the 45° rect.
        ints[o] = tiltOfs + r.y * st + r.x;
        ints[o + 1] = tiltOfs + (r.y + r.h) * st + r.x - r.h;
        ints[o + 2] = tiltOfs + (r.y + r.w) * st + r.x + r.w;
        ints[o + 3] = tiltOfs + (r.y + r.w + r.h) * st + r.x + r.w - r.h;
      } else {
        ints[o] = r.y * st + r.x;
        ints[o + 1] = r.y * st + r.x + r.w;
        ints[o + 2] = (r.y + r.h) * st + r.x;
        ints[o + 3] = (r.y + r.h) * st + r.x + r.w;
      }
      floats[node * 4 + k] = r.weight;
    });
    ints[node * 16 + 12] = c.nodeLeft[node]!;
    ints[node * 16 + 13] = c.nodeRight[node]!;
    floats[node * 4 + 3] = c.nodeThreshold[node]!;
  }
  return { ints, floats };
}

/**
 * Run the stages on the window whose top-left integral index is `p`. Returns −1 when every stage passes,
 * else the index of the stage that rejected it (OpenCV's runAt returns −stage). Kept as its own small
 * function so V8 optimises it after a few hundred windows instead of waiting for on-stack replacement.
 */
function evalWindow(c: HaarCascade, ints: Int32Array, floats: Float64Array, sums: Int32Array, p: number, norm: number): number {
  const { stageThreshold, stageFirstWeak, stageWeakCount, weakFirstNode, weakFirstLeaf, leaves } = c;
  const nStages = stageThreshold.length;
  for (let s = 0; s < nStages; s++) {
    let acc = 0;
    const w0 = stageFirstWeak[s]!;
    const w1 = w0 + stageWeakCount[s]!;
    for (let wk = w0; wk < w1; wk++) {
      const nb = weakFirstNode[wk]!;
      let idx = 0;
      do {
        const o = (nb + idx) * 16;
        const q = (nb + idx) * 4;
        let v =
          floats[q]! * (sums[p + ints[o]!]! - sums[p + ints[o + 1]!]! - sums[p + ints[o + 2]!]! + sums[p + ints[o + 3]!]!) +
          floats[q + 1]! * (sums[p + ints[o + 4]!]! - sums[p + ints[o + 5]!]! - sums[p + ints[o + 6]!]! + sums[p + ints[o + 7]!]!);
        const w3 = floats[q + 2]!;
        if (w3 !== 0) v += w3 * (sums[p + ints[o + 8]!]! - sums[p + ints[o + 9]!]! - sums[p + ints[o + 10]!]! + sums[p + ints[o + 11]!]!);
        // OpenCV compares the variance-normalised feature with the node threshold: val < t → left.
        idx = v * norm < floats[q + 3]! ? ints[o + 12]! : ints[o + 13]!;
      } while (idx > 0);
      acc += leaves[weakFirstLeaf[wk]! - idx]!;
    }
    if (acc < stageThreshold[s]!) return s;
  }
  return -1;
}

/** Slide the window over one pyramid level, pushing hits (mapped back to `img` pixels) into `raw`. */
function scanLevel(
  c: HaarCascade,
  sums: Int32Array,
  sqsum: Float64Array,
  sw: number,
  sh: number,
  tiltOfs: number,
  factor: number,
  winW: number,
  winH: number,
  raw: Array<{ x: number; y: number; w: number; h: number }>,
): void {
  const st = sw + 1;
  const { ints, floats } = levelNodes(c, st, tiltOfs);
  // Normalisation uses the window shrunk by 1 px on every side (OpenCV's normrect), not the full window.
  const W = c.width;
  const H = c.height;
  const n0 = st + 1;
  const n1 = st + W - 1;
  const n2 = (H - 1) * st + 1;
  const n3 = (H - 1) * st + W - 1;
  const area = (W - 2) * (H - 2);
  // OpenCV: step 2 px on the shrunk image while factor < 2, then 1 px (sub-window spacing ∝ scale).
  const step = factor >= 2 ? 1 : 2;
  for (let y = 0; y + H <= sh; y += step) {
    for (let x = 0; x + W <= sw; x += step) {
      const p = y * st + x;
      const vsum = sums[p + n0]! - sums[p + n1]! - sums[p + n2]! + sums[p + n3]!;
      const vsq = sqsum[p + n0]! - sqsum[p + n1]! - sqsum[p + n2]! + sqsum[p + n3]!;
      // nf = area² × variance; features are divided by area × σ. Windows with σ ≤ 10 grey levels
      // (flat wall, sky) are skipped outright, as OpenCV's setWindow does (area·(1/nf) < 0.1).
      const nfac = area * vsq - vsum * vsum;
      if (!(nfac > 0)) continue;
      const norm = 1 / Math.sqrt(nfac);
      if (!(area * norm < 0.1)) continue;
      const failedAt = evalWindow(c, ints, floats, sums, p, norm);
      if (failedAt < 0) raw.push({ x: cvRound(Math.fround(x * factor)), y: cvRound(Math.fround(y * factor)), w: winW, h: winH });
      // Rejected by the very first stage: the neighbour is almost surely background too (OpenCV skips it).
      else if (failedAt === 0) x += step;
    }
  }
}
