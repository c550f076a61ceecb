import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resizeBilinear, rgbToGray } from './gray.js';
import { cvRound, groupRectangles } from './group.js';
import { detectMultiScale, parseCascade } from './haar.js';
import { integral, tiltedIntegral } from './integral.js';
import { parseXml } from './xml.js';

const modelFile = (name: string): string => readFileSync(new URL(`../../../models/face-haar/${name}`, import.meta.url), 'utf8');

/** Small deterministic PRNG so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('parseXml', () => {
  it('reads nested elements, text, attributes and skips prolog/comments', () => {
    const doc = parseXml('<?xml version="1.0"?>\n<!-- a <b> comment -->\n<a k="v &amp; w"><b>1 2</b><c/><b>x &lt; y</b></a>');
    const a = doc.children[0]!;
    expect(a.name).toBe('a');
    expect(a.attrs.k).toBe('v & w');
    expect(a.children.map((c) => c.name)).toEqual(['b', 'c', 'b']);
    expect(a.children[2]!.text).toBe('x < y');
  });
  it('rejects mismatched and unclosed tags', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/unexpected <\/a>/);
    expect(() => parseXml('<a><b></b>')).toThrow(/unclosed <a>/);
  });
});

describe('integral images', () => {
  const w = 9;
  const h = 7;
  const rnd = lcg(7);
  const img = Uint8Array.from({ length: w * h }, () => Math.floor(rnd() * 256));
  const at = (x: number, y: number): number => img[y * w + x]!;

  it('sum and squared sum match a brute-force sum', () => {
    const sum = new Int32Array((w + 1) * (h + 1));
    const sq = new Float64Array((w + 1) * (h + 1));
    integral(img, w, h, sum, sq);
    for (let Y = 0; Y <= h; Y++) {
      for (let X = 0; X <= w; X++) {
        let s = 0;
        let q = 0;
        for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) { s += at(x, y); q += at(x, y) ** 2; }
        expect(sum[Y * (w + 1) + X]).toBe(s);
        expect(sq[Y * (w + 1) + X]).toBe(q);
      }
    }
  });

  it('tilted integral matches OpenCV\'s definition Σ img(x,y), y<Y, |x−X+1| ≤ Y−y−1', () => {
    const t = new Int32Array((w + 1) * (h + 1));
    tiltedIntegral(img, w, h, t);
    for (let Y = 0; Y <= h; Y++) {
      for (let X = 0; X <= w; X++) {
        let s = 0;
        for (let y = 0; y < Y; y++) for (let x = 0; x < w; x++) if (Math.abs(x - X + 1) <= Y - y - 1) s += at(x, y);
        expect(t[Y * (w + 1) + X], `T(${X},${Y})`).toBe(s);
      }
    }
  });

  it('a tilted rect sum over an all-ones image counts the 2·w·h pixels of the 45° rectangle', () => {
    const W = 16;
    const H = 16;
    const t = new Int32Array((W + 1) * (H + 1));
    tiltedIntegral(new Uint8Array(W * H).fill(1), W, H, t);
    const T = (x: number, y: number): number => t[y * (W + 1) + x]!;
    for (const [x, y, rw, rh] of [[6, 1, 3, 2], [8, 2, 4, 4], [5, 0, 2, 5]] as const) {
      expect(T(x, y) - T(x - rh, y + rh) - T(x + rw, y + rw) + T(x + rw - rh, y + rw + rh)).toBe(2 * rw * rh);
    }
  });
});

describe('image helpers', () => {
  it('rgbToGray uses OpenCV\'s fixed-point weights (values from cv2.cvtColor RGB2GRAY)', () => {
    const g = rgbToGray(5, 1, Uint8Array.from([10, 200, 30, 255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 129, 130]));
    expect([...g.data]).toEqual([124, 76, 150, 29, 129]);
  });

  it('resizeBilinear is bit-exact with cv2.resize INTER_LINEAR_EXACT (OpenCV 4.6 reference output)', () => {
    const src = Uint8Array.from({ length: 13 * 11 }, (_v, i) => {
      const x = i % 13;
      const y = Math.floor(i / 13);
      return (x * 37 + y * 91 + x * y * 13) % 256;
    });
    const img = { width: 13, height: 11, data: src };
    expect([...resizeBilinear(img, 7, 5).data]).toEqual([
      74, 157, 87, 170, 151, 80, 163, 81, 167, 98, 183, 115, 68, 131, 133, 176, 110, 43, 232, 166, 99, 177, 171, 121, 108,
      131, 154, 177, 112, 122, 111, 172, 80, 69, 145,
    ]);
    expect([...resizeBilinear(img, 20, 17).data.subarray(0, 40)]).toEqual([
      0, 18, 42, 66, 90, 114, 138, 162, 186, 210, 151, 8, 26, 50, 74, 98, 122, 146, 170, 188, 43, 63, 91, 119, 147, 166,
      116, 111, 139, 167, 151, 90, 115, 110, 60, 79, 107, 135, 163, 184,
    ]);
  });
});

describe('groupRectangles', () => {
  it('rounds like cvRound (ties to even)', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(cvRound)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });

  it('merges a cluster, drops thin clusters and boxes swallowed by a stronger one', () => {
    const face = [0, 1, 2, 3, 4].map((d) => ({ x: 100 + d, y: 50 + d, w: 80 + d, h: 80 + d }));
    const stray = [{ x: 300, y: 10, w: 30, h: 30 }, { x: 301, y: 11, w: 30, h: 30 }];
    const inner = [0, 1, 2, 3].map((d) => ({ x: 120 + d, y: 70, w: 24, h: 24 }));
    const out = groupRectangles([...face, ...stray, ...inner], 3);
    expect(out).toEqual([{ x: 102, y: 52, w: 82, h: 82, neighbors: 5 }]);
    expect(groupRectangles(stray, 0)).toHaveLength(2);
  });
});

describe('parseCascade', () => {
  it('reads the shipped cascades with the stage sizes their headers declare', () => {
    for (const [file, w, h, tilted] of [
      ['haarcascade_frontalface_alt2.xml', 20, 20, false],
      ['haarcascade_eye.xml', 20, 20, false],
      ['haarcascade_smile.xml', 36, 18, true],
    ] as const) {
      const xml = modelFile(file);
      const c = parseCascade(xml);
      expect([c.width, c.height, c.hasTilted]).toEqual([w, h, tilted]);
      const declared = [...xml.matchAll(/<stageNum>(\d+)</g)].map((m) => Number(m[1]));
      expect(c.stageThreshold.length).toBe(declared[0]);
      // Each stage's <maxWeakCount> (the first one is the cascade-wide maximum) equals the trees we read.
      const perStage = [...xml.matchAll(/<maxWeakCount>(\d+)</g)].slice(1).map((m) => Number(m[1]));
      expect([...c.stageWeakCount]).toEqual(perStage);
      expect(c.leaves.length).toBe(c.nodeLeft.length + c.stageWeakCount.reduce((a, b) => a + b, 0));
    }
  });

  it('explains what is wrong with a file that is not a new-format cascade', () => {
    expect(() => parseCascade('<opencv_storage><haarcascade_x type_id="opencv-haar-classifier"/></opencv_storage>')).toThrow(/old-format/);
    expect(() => parseCascade('<html></html>')).toThrow(/not an OpenCV FileStorage/);
    expect(() => parseCascade('<opencv_storage><cascade><stageType>BOOST</stageType><featureType>LBP</featureType></cascade></opencv_storage>')).toThrow(/BOOST\/LBP/);
  });

  it('matches OpenCV 4.6 hit for hit on the tilted-feature smile cascade', () => {
    // Reference: cv2.CascadeClassifier('haarcascade_smile.xml').detectMultiScale(img, 1.1, n) on this
    // exact 96×64 LCG-noise image (python3-opencv 4.6.0, Debian). Exercises tilted integrals, stage
    // thresholds (OpenCV subtracts 1e-5), float32 scale rounding, grouping and edge clipping.
    const rnd = lcg(99);
    const img = { width: 96, height: 64, data: Uint8Array.from({ length: 96 * 64 }, () => Math.floor(rnd() * 256)) };
    const smile = parseCascade(modelFile('haarcascade_smile.xml'));
    const raw = detectMultiScale(smile, img, { minNeighbors: 0 });
    const sizes: Record<string, number> = {};
    for (const r of raw) sizes[`${r.w}x${r.h}`] = (sizes[`${r.w}x${r.h}`] ?? 0) + 1;
    expect(sizes).toEqual({ '36x18': 4, '40x20': 6, '44x22': 1, '48x24': 3, '53x26': 3, '58x29': 1, '70x35': 1, '77x39': 2, '85x42': 2, '93x47': 1 });
    const grouped = detectMultiScale(smile, img, { minNeighbors: 3 }).map((r) => [r.x, r.y, r.w, r.h]).sort((a, b) => a[0]! - b[0]!);
    expect(grouped).toEqual([[1, 23, 42, 21], [2, 16, 83, 42]]);
  });

  it('finds nothing in a flat or tiny image and does not throw', () => {
    const c = parseCascade(modelFile('haarcascade_frontalface_alt2.xml'));
    expect(detectMultiScale(c, { width: 64, height: 64, data: new Uint8Array(64 * 64).fill(128) })).toEqual([]);
    expect(detectMultiScale(c, { width: 16, height: 16, data: new Uint8Array(256) })).toEqual([]);
  });
});
