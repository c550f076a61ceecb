/** Shape of the inference service (implemented in src/inference with onnxruntime-node). */
import type { RgbImage } from './media.js';
import type { Box } from '../geometry.js';

export interface ModelManifest {
  id: string;
  title: string;
  version: string;
  /** 'face': a face finder; 'vad': voice activity; 'audio': another helper of the audio analysis (none is a video model: all are hidden from the model picker). */
  kind: 's2v' | 'a2v' | 'face' | 'vad' | 'audio';
  requiresImage: boolean;
  features: string[];
  defaults: { width: number; height: number; fps: number };
  /** `package`: the file ships inside that npm package (`name` is its path there), not in models/<id>/. */
  files: Array<{ name: string; sha256: string; bytes?: number; package?: string }>;
  license: string;
  description: string;
  /** Column names of the per-frame `controls` [N, K] input, in order (video models). */
  controls?: string[];
  /** Slot names of the `style` [1, S] input, in order (video models). */
  style?: string[];
  /** Slot names of the `boxes` [1, B] input (face-driven models, v1). */
  boxes?: string[];
  /** Landmark-mesh models: column names of the `mesh` [H·W, B] input and of the `maps` [M, H, W] input. */
  mesh?: { bases: string[]; maps: string[] };
  /**
   * A file (listed in `files`) run once per render on the fixed inputs (image, style, size):
   * its outputs, by name, are inputs of the frame graph, so per-chunk runs skip that work.
   */
  prepare?: string;
}

export type { Box };

/** A face with its parts (0–2 eyes, left to right); boxes in pixels of the image it was found in. */
export interface FaceDetection {
  face: Box;
  mouth: Box;
  eyes: Box[];
  score: number;
  /** The 68 iBUG landmarks as [x, y] pixels, when a landmark model found them. */
  landmarks?: Array<[number, number]>;
  /** Which finder produced it: the CNN detector, or the Haar cascades (the fallback). */
  finder?: 'cnn' | 'haar';
}

export interface TensorLike {
  type: 'float32' | 'uint8' | 'int64' | 'int32';
  dims: number[];
  data: Float32Array | Uint8Array | BigInt64Array | Int32Array;
}

export interface ModelSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, TensorLike>, signal?: AbortSignal): Promise<Record<string, TensorLike>>;
  /**
   * Keep inputs that every call repeats (a render's image and prepared maps: megabytes) on
   * the session's workers, so a `run` given the returned feeds sends only what changes (the
   * chunk's controls: bytes). The caller must not change their data afterwards; `unpin`
   * frees them. Sessions without it copy every input on every call.
   */
  pin?(feeds: Record<string, TensorLike>): Record<string, TensorLike>;
  unpin?(feeds: Record<string, TensorLike>): void;
  /** Stop its workers now when idle (a once-per-render session); the next `run` starts them again. */
  release?(): Promise<void>;
  /**
   * Run a recurrent model step after step on its worker, in one message instead of one per step
   * (the caller's thread stays free meanwhile): step k gets `input.rows[k]` rows of `input`
   * (consecutive in `input.data`; or, with `input.sources`, row i is
   * `sources.rows[i].subarray(k · hop, k · hop + rowSize)`: the worker lays the steps out, and
   * rows in shared memory reach it without a copy), the `fixed` inputs, and `carry` — `carry.initial` at first,
   * then the previous step's `carry.from` output, cut to the step's rows along its dim 1. Returns
   * the `collect` output's first `rows[k]` values of every step, one after another.
   */
  runSteps?(req: StepsRequest, signal?: AbortSignal): Promise<Float32Array>;
}

export interface StepsRequest {
  input: { name: string; data?: Float32Array; sources?: { rows: Float32Array[]; hop: number }; rowSize: number; rows: number[] };
  fixed: Record<string, TensorLike>;
  carry: { name: string; from: string; initial: TensorLike };
  collect: string;
}

export interface InferenceService {
  listModels(): Promise<ModelManifest[]>;
  /** Manifest of a model; throws E111 when unknown. */
  getModel(id: string): Promise<ModelManifest>;
  /** Verify files against their sha256 (memoised); throws E111 naming file + expected hash. */
  modelHash(id: string): Promise<string>;
  /**
   * A (pooled) session for a model file. `workers`: how many single-threaded copies may run
   * concurrently (callers keep that many `run`s in flight to use that many cores). `queue`: the
   * session may come back before its model has loaded, when its thread is already starting
   * (preloadEarly); calls then wait in that thread, which runs them as soon as the model is open,
   * instead of in this one, which may be too busy to hear that it is. A model that cannot load
   * fails those calls.
   */
  session(modelId: string, file?: string, opts?: { workers?: number; queue?: boolean }): Promise<ModelSession>;
  /**
   * Start opening that session without waiting for it: resolves once the file is verified and
   * its worker thread is starting, so the model loads on another core while the caller works.
   * A load that fails is reported by the `session` call that later asks for it.
   */
  preload?(modelId: string, file?: string): Promise<void>;
  /** The most prominent frontal face in an image, or undefined when none. */
  detectFace(img: RgbImage): Promise<FaceDetection | undefined>;
  /** Every face found, largest first, each with landmarks when the landmark model is present. */
  detectFaces?(img: RgbImage): Promise<FaceDetection[]>;
  /** Which execution provider sessions use ("cpu", "cuda", "coreml"). */
  executionProvider(): string;
}
