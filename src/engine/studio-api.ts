/**
 * Wire types the studio server sends and the studio UI reads (types only). They live in the
 * engine because the UI may import nothing but the engine's public types.
 */
import type { RunEvent } from './evaluator.js';

/** A box as fractions of an image: top-left corner and size, each 0..1. */
export interface FractionBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The answer of `POST /api/detect-face`: where the lip-sync model finds the face and mouth,
 * as fractions of the image as displayed (EXIF applied); `width`/`height` in pixels.
 */
export type FaceAnswer =
  | { face: FractionBox; mouth: FractionBox; eyes: FractionBox[]; score: number; width: number; height: number; landmarks?: Array<[number, number]> }
  | { face: null; width: number; height: number };

/** A message pushed over the WebSocket (and kept in the run's event list). */
export type RunMessage =
  | ({ runId: string } & RunEvent)
  | { runId: string; event: 'run-start'; nodes: string[] }
  | ({ runId: string; event: 'run-done' } & RunSummary);

export interface RunSummary {
  ok: boolean;
  ran: string[];
  cached: string[];
  failed: string[];
  blocked: string[];
  seconds: number;
  /** Outputs of every node that ran or came from the cache: `{ [nodeId]: { [port]: value } }`. */
  outputs: Record<string, Record<string, unknown>>;
  error?: string;
}
