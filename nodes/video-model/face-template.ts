/**
 * A frontal 68-point face (iBUG order) in mouth units: origin between the mouth corners, mouth
 * width 1. Measured with our landmark model on the shipped portrait (a closed mouth, eyes open).
 * Placed over a hand-set mouth box, or a face the Haar fallback found without landmarks, it gives
 * the mesh a plausible face to move.
 */
import type { Box } from '../../src/engine/index.js';

const TEMPLATE: ReadonlyArray<readonly [number, number]> = [
  [-1.388, -1.151], [-1.334, -0.791], [-1.245, -0.445], [-1.158, -0.141], [-1.034, 0.191], [-0.849, 0.438], [-0.638, 0.603], [-0.362, 0.759],
  [0.047, 0.83], [0.443, 0.709], [0.694, 0.535], [0.888, 0.353], [1.047, 0.071], [1.152, -0.27], [1.202, -0.593], [1.247, -0.938], [1.256, -1.304],
  [-1.174, -1.537], [-1.033, -1.675], [-0.822, -1.722], [-0.624, -1.716], [-0.444, -1.658], [0.247, -1.701], [0.421, -1.776], [0.608, -1.819],
  [0.834, -1.795], [0.991, -1.673], [-0.079, -1.293], [-0.068, -1.051], [-0.057, -0.814], [-0.05, -0.6], [-0.256, -0.434], [-0.155, -0.401],
  [-0.034, -0.386], [0.09, -0.426], [0.193, -0.454], [-0.904, -1.28], [-0.785, -1.344], [-0.612, -1.353], [-0.452, -1.27], [-0.587, -1.208],
  [-0.769, -1.214], [0.288, -1.31], [0.44, -1.419], [0.625, -1.429], [0.745, -1.351], [0.62, -1.279], [0.438, -1.281], [-0.5, 0.023],
  [-0.323, -0.054], [-0.128, -0.114], [-0.017, -0.099], [0.086, -0.132], [0.302, -0.075], [0.5, -0.023], [0.306, 0.073], [0.156, 0.136],
  [-0.001, 0.163], [-0.147, 0.155], [-0.306, 0.118], [-0.466, 0.024], [-0.164, 0.002], [-0.011, -0.003], [0.133, -0.009], [0.453, -0.03],
  [0.14, -0.01], [-0.008, 0.005], [-0.148, 0.009],
];

/** The template placed so its mouth spans `mouthWidth` px centred at (cx, cy). */
export function templateAt(cx: number, cy: number, mouthWidth: number): Array<[number, number]> {
  return TEMPLATE.map(([x, y]) => [cx + x * mouthWidth, cy + y * mouthWidth]);
}

/** The template fitted to a box drawn around the lips (its width is the mouth's width). */
export function templateForMouthBox(m: Box): Array<[number, number]> {
  return templateAt(m.x + m.w / 2, m.y + m.h / 2, m.w);
}
