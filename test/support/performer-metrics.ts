/**
 * What a viewer sees in a performer render, measured on the frames the encoder receives:
 * upper-face steadiness (eyes, brows, forehead at 256 px vs their per-pixel median), mouth
 * motion (mean |Δ| between frames in the mouth box), and mouth opening (pixels around the
 * lips' meeting line that turned dark or light against the rest frame: the inner mouth).
 * Regions come from the face's 68 landmarks at render size.
 */
import type { Box, Services, VideoEncoder } from '../../src/engine/index.js';

export interface PerformerCapture {
  width: number;
  height: number;
  /** Grey 256-wide copies of every frame (height scaled alike). */
  grey: Uint8Array[];
  /** Full-resolution RGB crops of the mouth box, per frame. */
  mouth: Uint8Array[];
}

/** Services whose encoder also keeps what it is given (the real encoder still runs). */
export function capturing(services: Services, mouthBox: Box, cap: PerformerCapture): Services {
  const media = { ...services.media };
  media.encodeVideo = async (o) => {
    const enc = await services.media.encodeVideo(o);
    cap.width = o.width;
    cap.height = o.height;
    const gw = 256;
    const gh = Math.round((o.height * gw) / o.width);
    const wrapped: VideoEncoder = {
      async write(frame) {
        const g = new Uint8Array(gw * gh);
        for (let y = 0; y < gh; y++) {
          for (let x = 0; x < gw; x++) {
            // Box filter over the source pixels this grey pixel covers.
            const x0 = Math.floor((x * o.width) / gw), x1 = Math.floor(((x + 1) * o.width) / gw);
            const y0 = Math.floor((y * o.height) / gh), y1 = Math.floor(((y + 1) * o.height) / gh);
            let s = 0, n = 0;
            for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) {
              const i = (yy * o.width + xx) * 3;
              s += 0.299 * frame[i]! + 0.587 * frame[i + 1]! + 0.114 * frame[i + 2]!;
              n++;
            }
            g[y * gw + x] = Math.round(s / n);
          }
        }
        cap.grey.push(g);
        const m = new Uint8Array(mouthBox.w * mouthBox.h * 3);
        for (let y = 0; y < mouthBox.h; y++) m.set(frame.subarray(((mouthBox.y + y) * o.width + mouthBox.x) * 3, ((mouthBox.y + y) * o.width + mouthBox.x + mouthBox.w) * 3), y * mouthBox.w * 3);
        cap.mouth.push(m);
        return enc.write(frame);
      },
      finish: () => enc.finish(),
      abort: () => enc.abort(),
    };
    return wrapped;
  };
  return { ...services, media };
}

type Pts = ReadonlyArray<readonly [number, number]>;

/** The mouth box (render pixels) the capture crops: the lips plus room for the jaw to drop. */
export function mouthBoxOf(L: Pts, width: number, height: number): Box {
  const xs = L.slice(48, 68).map((p) => p[0]);
  const ys = L.slice(48, 68).map((p) => p[1]);
  const mw = Math.max(...xs) - Math.min(...xs);
  const x = Math.max(0, Math.floor(Math.min(...xs) - 0.15 * mw));
  const y = Math.max(0, Math.floor(Math.min(...ys) - 0.2 * mw));
  return { x, y, w: Math.min(width - x, Math.ceil(mw * 1.3)), h: Math.min(height - y, Math.ceil(Math.max(...ys) - Math.min(...ys) + 0.75 * mw)) };
}

/** Upper face at 256 px: brows to just under the eyes, across the brows (eyes, brows, forehead). */
export function upperFaceBox(L: Pts, width: number): Box {
  const s = 256 / width;
  const xs = L.slice(17, 27).map((p) => p[0]);
  const brow = Math.min(...L.slice(17, 27).map((p) => p[1]));
  const eyeBottom = Math.max(...L.slice(36, 48).map((p) => p[1]));
  const chin = L[8]![1];
  const top = brow - 0.25 * (chin - brow);
  return { x: Math.floor(Math.min(...xs) * s), y: Math.floor(top * s), w: Math.ceil((Math.max(...xs) - Math.min(...xs)) * s), h: Math.ceil((eyeBottom + 4 - top) * s) };
}

/** Per frame: mean |grey − per-pixel median over all frames| inside `box` (256-px frames). */
export function upperFaceDeparture(cap: PerformerCapture, box: Box): number[] {
  const gw = 256;
  const n = cap.grey.length;
  const med = new Float32Array(box.w * box.h);
  const col = new Uint8Array(n);
  for (let y = 0; y < box.h; y++) for (let x = 0; x < box.w; x++) {
    const i = (box.y + y) * gw + box.x + x;
    for (let k = 0; k < n; k++) col[k] = cap.grey[k]![i]!;
    col.sort();
    med[y * box.w + x] = col[n >> 1]!;
  }
  return cap.grey.map((g) => {
    let s = 0;
    for (let y = 0; y < box.h; y++) for (let x = 0; x < box.w; x++) s += Math.abs(g[(box.y + y) * gw + box.x + x]! - med[y * box.w + x]!);
    return s / (box.w * box.h);
  });
}

/** Per frame: mean |Δ| of the mouth crop against the previous frame (0 for the first). */
export function mouthMotion(cap: PerformerCapture): number[] {
  return cap.mouth.map((m, k) => {
    if (k === 0) return 0;
    const p = cap.mouth[k - 1]!;
    let s = 0;
    for (let i = 0; i < m.length; i++) s += Math.abs(m[i]! - p[i]!);
    return s / m.length;
  });
}

/**
 * Per frame: share of mouth-crop pixels whose luma moved > 40 from frame `rest` (the lips parted:
 * cavity or teeth), after shifting the rest crop by the whole-pixel offset (±4 px) that matches
 * the frame best — the head nods and rolls while speaking, and a moved closed mouth is not an
 * open one. The crop's outer 4 px are left out so every shift compares real pixels.
 */
export function mouthOpening(cap: PerformerCapture, rest: number, box: Pick<Box, 'w' | 'h'>): number[] {
  const r = cap.mouth[rest]!;
  const { w, h } = box;
  const luma = (a: Uint8Array) => Float32Array.from({ length: w * h }, (_, i) => 0.299 * a[3 * i]! + 0.587 * a[3 * i + 1]! + 0.114 * a[3 * i + 2]!);
  const R = luma(r);
  const M = 4;
  return cap.mouth.map((m) => {
    const F = luma(m);
    let best = Infinity, bestCount = 0;
    for (let dy = -M; dy <= M; dy++) for (let dx = -M; dx <= M; dx++) {
      let err = 0, n = 0;
      for (let y = M; y < h - M; y++) for (let x = M; x < w - M; x++) {
        const d = Math.abs(F[y * w + x]! - R[(y + dy) * w + x + dx]!);
        err += d;
        if (d > 40) n++;
      }
      if (err < best) { best = err; bestCount = n; }
    }
    return bestCount / ((w - 2 * M) * (h - 2 * M));
  });
}

/**
 * Per frame: share of mouth-crop pixels that show the inner mouth — cavity-dark (darker than
 * half the darkest 1 % of the closed mouth at rest) or teeth (bright, nearly grey, and not there
 * at rest). This is "are the lips apart" as a viewer judges it: pressing the lips together,
 * thinning them or moving the head changes pixels but shows no inside of the mouth.
 */
export function innerMouth(cap: PerformerCapture, rest: number, box: Pick<Box, 'w' | 'h'>): number[] {
  const { w, h } = box;
  const lumaAt = (a: Uint8Array, i: number) => 0.299 * a[3 * i]! + 0.587 * a[3 * i + 1]! + 0.114 * a[3 * i + 2]!;
  const r = cap.mouth[rest]!;
  const restLuma = Float32Array.from({ length: w * h }, (_, i) => lumaAt(r, i)).sort();
  const dark = 0.5 * restLuma[Math.floor(w * h * 0.01)]!;
  const greyBright = (a: Uint8Array, i: number) => lumaAt(a, i) >= 180 && Math.max(a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!) - Math.min(a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!) < 40;
  return cap.mouth.map((m) => {
    let n = 0;
    for (let i = 0; i < w * h; i++) if (lumaAt(m, i) < dark || (greyBright(m, i) && !greyBright(r, i))) n++;
    return n / (w * h);
  });
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i]! - ma, y = b[i]! - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return sab / Math.sqrt(saa * sbb || 1);
}
