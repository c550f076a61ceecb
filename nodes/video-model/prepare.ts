/**
 * Models shipped in two parts (models/build/split.ts) compute what every frame shares once
 * per render: the prepare graph turns the fixed inputs (image, style, size) into the maps
 * the frame graph reads. Its session is released as soon as it has run, so its thread
 * does not stay beside the frame workers for the length of the render.
 */
import type { InferenceService, ModelManifest, TensorLike } from '../../src/engine/index.js';

export async function prepareFixed(
  inference: InferenceService,
  manifest: ModelManifest,
  fixed: Record<string, TensorLike>,
  signal: AbortSignal,
): Promise<Record<string, TensorLike>> {
  if (!manifest.prepare) return fixed;
  const session = await inference.session(manifest.id, manifest.prepare, { workers: 1 });
  try {
    const feeds = Object.fromEntries(Object.entries(fixed).filter(([name]) => session.inputNames.includes(name)));
    return { ...fixed, ...(await session.run(feeds, signal)) };
  } finally {
    await session.release?.();
  }
}

/** The fixed inputs a frame session reads (a prepared model no longer reads the image). */
export function inputsOf(session: { inputNames: readonly string[] }, fixed: Record<string, TensorLike>): Record<string, TensorLike> {
  if (!session.inputNames.length) return fixed;
  return Object.fromEntries(Object.entries(fixed).filter(([name]) => session.inputNames.includes(name)));
}
