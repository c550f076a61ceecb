/** Shape of the inference service (implemented in src/inference with onnxruntime-node). */

export interface ModelManifest {
  id: string;
  title: string;
  version: string;
  kind: 's2v' | 'a2v';
  requiresImage: boolean;
  features: string[];
  defaults: { width: number; height: number; fps: number };
  files: Array<{ name: string; sha256: string; bytes?: number }>;
  license: string;
  description: string;
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
}

export interface InferenceService {
  listModels(): Promise<ModelManifest[]>;
  /** Manifest of a model; throws E111 when unknown. */
  getModel(id: string): Promise<ModelManifest>;
  /** Verify files against their sha256 (memoised); throws E111 naming file + expected hash. */
  modelHash(id: string): Promise<string>;
  /** A (pooled) session for a model file. */
  session(modelId: string, file?: string): Promise<ModelSession>;
  /** Which execution provider sessions use ("cpu", "cuda", "coreml"). */
  executionProvider(): string;
}
