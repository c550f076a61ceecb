/**
 * The video frames the voice covers: frame i (time i / fps) is speech when it lies in one of the
 * analysis' speech spans (vocal.ts speechSpans: the VAD after hysteresis, bridging and blip
 * removal), widened by `padSec` on each side. Per-frame work that only means something while
 * someone speaks (lip closures, voice pitch) is limited to these frames.
 */
export function speechFrames(spans: ReadonlyArray<readonly [number, number]>, fps: number, frames: number, padSec = 0): Uint8Array {
  const out = new Uint8Array(frames);
  for (const [a, b] of spans) {
    const first = Math.max(0, Math.ceil((a - padSec) * fps));
    // A span is half-open [a, b): the frame at exactly b is no longer speech.
    const end = Math.min(frames, Math.ceil((b + padSec) * fps));
    out.fill(1, first, Math.max(first, end));
  }
  return out;
}
