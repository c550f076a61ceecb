/**
 * Wire types the studio server sends and the studio UI reads (types only). Built from the
 * engine's public types: what a run reports is the evaluator's own event, with the run's id.
 */
import type { Box } from '../engine/geometry.js';
import type { RunEvent, RunSummary } from '../engine/run-events.js';

export type { RunSummary };

/** A box as fractions of an image (0..1): top-left corner and size. */
export type FractionBox = Box;

/**
 * The answer of `POST /api/detect-face`: where the lip-sync model finds the face and mouth,
 * as fractions of the image as displayed (EXIF applied); `width`/`height` in pixels.
 */
export type FaceAnswer =
  | { face: FractionBox; mouth: FractionBox; eyes: FractionBox[]; score: number; width: number; height: number; landmarks?: Array<[number, number]> }
  | { face: null; width: number; height: number };

/** A message pushed over the WebSocket (and kept in the run's event list). */
export type RunMessage = { runId: string } & RunEvent;
