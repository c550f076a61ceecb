/**
 * Shape of the remote video backends (implemented in src/backends: ComfyUI over HTTP/WebSocket,
 * the Sogni Supernet through its SDK). The engine knows only these shapes; no node imports a
 * client. Local ONNX models keep running through the InferenceService.
 *
 * Settings (server URLs, credentials) never pass through here from a graph: each backend reads
 * them from the environment or the user's config file when the runtime creates it.
 */

export type BackendId = 'comfyui' | 'sogni';

/**
 * Frame grid of a generative model: a request may ask for `base + step·n` frames (n ≥ 0),
 * at most `maxFrames`, at `fps`. Wan 2.2 S2V: fps 16, base 1, step 16 (frames = 16·s + 1);
 * LTX-2.3: base 1, step 8; MiniMax H3: base 124, step 17.
 */
export interface FrameGrid {
  fps: number;
  base: number;
  step: number;
  maxFrames: number;
}

/** What a remote model needs and produces; read from `models/<id>/manifest.json` (kind comfyui|sogni). */
export interface RemoteModelSpec {
  id: string;
  title: string;
  version: string;
  backend: BackendId;
  /** 'required': needs a reference image; 'optional': image-to-video or text+audio; 'none': audio-to-video. */
  image: 'required' | 'optional' | 'none';
  prompt: 'required' | 'optional';
  grid: FrameGrid;
  /** Sizes the model accepts (width×height); the node picks the nearest and normalises back. */
  sizes: Array<{ width: number; height: number }>;
  /** How a long audio is covered: 'extend' continues inside one job (Wan Extend steps), 'chain' sends one job per segment. */
  longAudio: 'extend' | 'chain';
  /** Backend-specific: ComfyUI workflow file + model files per folder, or the Sogni model id. */
  comfyui?: { workflow: string; modelFiles: Array<{ folder: string; name: string }>; classes: string[] };
  sogni?: { modelId: string };
  /** GPU memory, files or account needed, for `s2v models` and the studio picker. */
  requirements: string;
  /** One paragraph for `s2v models` and the studio picker. */
  description?: string;
  license?: string;
  /**
   * sha256 of the manifest and (ComfyUI) the workflow template it runs: part of every cache
   * key of this model's results, so editing the workflow re-runs them.
   */
  hash?: string;
}

/** One generation request: one segment of the plan (see nodes/video-model plan). */
export interface RemoteJob {
  model: RemoteModelSpec;
  /** Reference image (or the last frame of the previous segment when chaining). */
  imagePath?: string;
  /** Audio for exactly this segment (already cut), WAV. */
  audioPath: string;
  prompt: string;
  negativePrompt?: string;
  seed: number;
  width: number;
  height: number;
  /** Frames on the model's grid for this request. */
  frames: number;
  /** For 'extend' models: how many extend steps after the base clip inside this job. */
  extendSteps?: number;
  signal: AbortSignal;
  /** Progress of this job 0..1 with a short message (e.g. "sampling 2/4", "ETA 40 s"). */
  onProgress(fraction: number, message?: string): void;
  /** A preview frame (PNG/JPEG/WebP path) while the job runs, when the backend sends one. */
  onPreview?(file: string): void;
  /** Where downloaded files go (the node's artifact dir). */
  outDir: string;
}

export interface RemoteResult {
  /** The downloaded video as the backend delivered it (normalised by the node afterwards). */
  videoPath: string;
  /** What the job cost, in the backend's unit, when known. */
  cost?: { amount: number; unit: string };
}

export interface CostEstimate {
  amount: number;
  unit: string;
  /** Rough wall-clock seconds, when the backend can tell. */
  seconds?: number;
}

export interface BackendStatus {
  id: BackendId;
  configured: boolean;
  reachable: boolean;
  /** One line: which servers / account (never a credential), or what to configure. */
  detail: string;
}

export interface VideoBackend {
  readonly id: BackendId;
  status(signal?: AbortSignal): Promise<BackendStatus>;
  /**
   * Check everything before uploading or spending anything (server reachable, node classes and
   * model files present, credentials valid). Throws an S2VError (exit 2) naming what is missing.
   */
  preflight(model: RemoteModelSpec, signal?: AbortSignal): Promise<void>;
  /** Cost before spending (Sogni); undefined when the backend is free to call (own ComfyUI). */
  estimate?(job: Omit<RemoteJob, 'onProgress' | 'onPreview' | 'outDir' | 'signal'>, signal?: AbortSignal): Promise<CostEstimate | undefined>;
  /** Run one job to completion; cancel through `job.signal` (interrupt / cancel on the backend). */
  generate(job: RemoteJob): Promise<RemoteResult>;
}

export interface BackendService {
  /** Remote model specs from the registry (models/<id>/manifest.json with kind comfyui|sogni). */
  listRemoteModels(): Promise<RemoteModelSpec[]>;
  /** A remote model's spec, or undefined when `id` is not a remote model. */
  getRemoteModel(id: string): Promise<RemoteModelSpec | undefined>;
  /** The backend for an id; throws E130 naming the missing settings when it is not configured. */
  get(id: BackendId): VideoBackend;
  statuses(signal?: AbortSignal): Promise<BackendStatus[]>;
  /** Show a generation plan (one line per segment) before anything is sent (CLI: stderr; studio: the node). */
  showPlan?(where: string, lines: string[]): void | Promise<void>;
  /**
   * Front doors that cannot ask (no `confirmCost`, e.g. the studio server today) set this: a paid
   * job then runs only under a node's `maxCost`, which is the user's consent to spend up to it.
   */
  requireMaxCost?: boolean;
  /** Ask the user (CLI prompt / studio dialog) whether to spend `estimate`; true when `--yes`. */
  confirmCost?(what: string, estimate: CostEstimate): Promise<boolean>;
}
