/**
 * The ComfyUI backend: a pool of servers (jobs go to the least busy reachable one that passed
 * preflight), preflight before anything is uploaded, then per job: open the event stream,
 * upload the image and the audio, queue our filled workflow, follow it, download the video.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { S2VError, isS2VError, type BackendStatus, type RemoteJob, type RemoteModelSpec, type RemoteResult, type VideoBackend } from '../../engine/index.js';
import { scrub } from '../redact.js';
import type { BackendSettings } from '../settings.js';
import { ComfyApi, type PromptRejection } from './api.js';
import { PromptWatcher } from './events.js';
import { buildPrompt, loadWorkflow, workflowClasses, type WorkflowTemplate } from './workflow.js';

/** A remote model spec as the registry hands it over (with the workflow file's path). */
type ComfyModel = RemoteModelSpec & { workflowPath?: string };

const DEFAULT_NEGATIVE = 'blurry, low quality, static, still image, overexposed, distorted face, deformed hands, extra fingers, subtitles, watermark, jpeg artifacts';

async function fileHash(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex').slice(0, 16);
}

/** One line for a 400 from POST /prompt: each failing node with its first problem. */
export function rejectionLine(r: PromptRejection, prompt: Record<string, { _meta?: { title?: string } }>): string {
  const nodes = Object.entries(r.node_errors ?? {}).map(([id, e]) => {
    const first = e.errors[0];
    const title = prompt[id]?._meta?.title;
    return `${e.class_type} (node ${id}${title ? ` "${title}"` : ''}): ${first?.details || first?.message || 'invalid'}`;
  });
  return nodes.length ? nodes.join('; ') : `${r.error?.message ?? 'prompt rejected'}${r.error?.details ? ` (${r.error.details})` : ''}`;
}

export class ComfyBackend implements VideoBackend {
  readonly id = 'comfyui' as const;
  readonly servers: ComfyApi[];
  private readonly inFlight = new Map<ComfyApi, number>();
  /** model id → servers that passed preflight for it. */
  private readonly ready = new Map<string, ComfyApi[]>();
  private readonly workflows = new Map<string, Promise<WorkflowTemplate>>();

  constructor(private readonly settings: BackendSettings['comfyui'], private readonly secrets: string[] = []) {
    this.servers = settings.urls.map((url) => new ComfyApi({ url, authHeader: settings.authHeader }));
  }

  async status(signal?: AbortSignal): Promise<BackendStatus> {
    if (!this.servers.length) return { id: 'comfyui', configured: false, reachable: false, detail: 'not configured (set S2V_COMFYUI_URL)' };
    const parts = await Promise.all(this.servers.map(async (s) => {
      try {
        const stats = await s.systemStats(signal);
        const q = await s.queueLength(signal);
        return { ok: true, text: `${s.label} ComfyUI ${stats.system?.comfyui_version ?? '?'}, ${q} in queue` };
      } catch (e) {
        return { ok: false, text: `${s.label} unreachable (${isS2VError(e) ? e.message : 'error'})` };
      }
    }));
    return { id: 'comfyui', configured: true, reachable: parts.some((p) => p.ok), detail: parts.map((p) => p.text).join('; ') };
  }

  private workflow(model: ComfyModel): Promise<WorkflowTemplate> {
    if (!model.workflowPath) throw new S2VError('E111', `remote model "${model.id}" has no ComfyUI workflow`, { exitCode: 1 });
    let p = this.workflows.get(model.workflowPath);
    if (!p) {
      p = loadWorkflow(model.workflowPath).then((w) => w.template);
      this.workflows.set(model.workflowPath, p);
    }
    return p;
  }

  /** What one server lacks for a model: node classes, and files per folder. */
  private async lacks(server: ComfyApi, model: ComfyModel, signal?: AbortSignal): Promise<string | undefined> {
    const template = await this.workflow(model);
    const needClasses = [...new Set([...workflowClasses(template), ...(model.comfyui?.classes ?? [])])];
    const info = await server.objectInfo(signal);
    const missingClasses = needClasses.filter((c) => !info[c]).sort();
    const files = model.comfyui?.modelFiles ?? [];
    const folders = [...new Set(files.map((f) => f.folder))];
    const present = new Map(await Promise.all(folders.map(async (f) => [f, new Set(await server.models(f, signal))] as const)));
    const missingFiles = files.filter((f) => !present.get(f.folder)!.has(f.name));
    const parts: string[] = [];
    if (missingFiles.length) parts.push(`model files missing: ${missingFiles.map((f) => `${f.name} (in models/${f.folder}/)`).join(', ')}`);
    if (missingClasses.length) parts.push(`node classes missing: ${missingClasses.join(', ')} (update ComfyUI: the ${model.title} workflow needs them)`);
    return parts.length ? parts.join('; ') : undefined;
  }

  async preflight(model: RemoteModelSpec, signal?: AbortSignal): Promise<void> {
    if (!this.servers.length) throw new S2VError('E130', 'no ComfyUI server configured', { where: model.id, hint: 'set S2V_COMFYUI_URL=http://host:8188 (comma-separated for several)', exitCode: 2 });
    const results = await Promise.all(this.servers.map(async (s) => {
      try {
        return { s, lack: await this.lacks(s, model as ComfyModel, signal) };
      } catch (e) {
        return { s, error: e };
      }
    }));
    const ok = results.filter((r) => !r.error && !r.lack).map((r) => r.s);
    if (ok.length) {
      this.ready.set(model.id, ok);
      return;
    }
    const lacking = results.find((r) => r.lack);
    if (lacking) throw new S2VError('E137', `ComfyUI server cannot run ${model.id}: ${lacking.lack}`, { where: lacking.s.label, exitCode: 2 });
    const err = results[0]!.error;
    if (isS2VError(err) && err.code === 'E121') throw err;
    throw isS2VError(err) ? new S2VError(err.code, err.message, { where: err.where, hint: err.hint, exitCode: 2 }) : err;
  }

  /** The least busy server that passed preflight for this model (queue length + our jobs on it). */
  private async pick(modelId: string, signal: AbortSignal): Promise<ComfyApi> {
    const candidates = this.ready.get(modelId) ?? this.servers;
    const loads = await Promise.all(candidates.map(async (s) => {
      try {
        return { s, load: (await s.queueLength(signal)) + (this.inFlight.get(s) ?? 0) };
      } catch {
        return { s, load: Infinity };
      }
    }));
    const best = loads.filter((l) => Number.isFinite(l.load)).sort((a, b) => a.load - b.load)[0];
    if (!best) throw new S2VError('E131', `no ComfyUI server reachable (${candidates.map((c) => c.label).join(', ')})`, { where: modelId, exitCode: 1 });
    return best.s;
  }

  async generate(job: RemoteJob): Promise<RemoteResult> {
    const model = job.model as ComfyModel;
    if (!this.ready.has(model.id)) await this.preflight(model, job.signal);
    const server = await this.pick(model.id, job.signal);
    this.inFlight.set(server, (this.inFlight.get(server) ?? 0) + 1);
    const watcher = await PromptWatcher.open(server, randomUUID(), job.signal);
    try {
      job.onProgress(0, `uploading to ${server.label}`);
      // Content-named uploads: the same file is the same name, so a re-run hits ComfyUI's own cache.
      const audio = await server.upload(job.audioPath, `s2v-${await fileHash(job.audioPath)}${path.extname(job.audioPath) || '.wav'}`, job.signal);
      const image = job.imagePath ? await server.upload(job.imagePath, `s2v-${await fileHash(job.imagePath)}${path.extname(job.imagePath) || '.png'}`, job.signal) : '';
      const steps = job.extendSteps ?? 0;
      const template = await this.workflow(model);
      const prompt = buildPrompt(template, {
        image, audio,
        prompt: job.prompt,
        negative: job.negativePrompt ?? DEFAULT_NEGATIVE,
        seed: job.seed,
        width: job.width,
        height: job.height,
        fps: model.grid.fps,
        frames: job.frames,
        chunkFrames: Math.round(job.frames / (steps + 1)),
        filenamePrefix: `s2v/${model.id}`,
      }, steps, model.id);
      const queued = await server.queuePrompt(prompt, watcher.clientId, job.signal);
      if ('rejected' in queued) {
        const r = queued.rejected;
        const line = scrub(rejectionLine(r, prompt), this.secrets);
        if (r.error?.type === 'invalid_prompt') throw new S2VError('E137', `ComfyUI server cannot run ${model.id}: ${line}`, { where: server.label, exitCode: 2 });
        throw new S2VError('E138', `ComfyUI refused the ${model.id} workflow: ${line}`, { where: server.label, exitCode: 2 });
      }
      job.onProgress(0.02, 'queued');
      const history = await watcher.watch(queued.promptId, {
        prompt, signal: job.signal, timeoutMs: (this.settings.timeoutSec ?? 3600) * 1000, secrets: this.secrets,
        onProgress: (f, m) => job.onProgress(0.02 + f * 0.93, m),
      });
      const file = Object.values(history.outputs ?? {})
        .flatMap((o) => Object.values(o).filter(Array.isArray).flat() as Array<{ filename?: string; subfolder?: string; type?: string }>)
        .find((f) => typeof f?.filename === 'string' && /\.(mp4|webm|mov|mkv|gif|webp)$/i.test(f.filename));
      if (!file) throw new S2VError('E136', `ComfyUI finished but saved no video (outputs: ${Object.keys(history.outputs ?? {}).join(', ') || 'none'})`, { where: server.label, exitCode: 1 });
      job.onProgress(0.96, 'downloading');
      const dest = path.join(job.outDir, `comfyui-${queued.promptId}${path.extname(file.filename!)}`);
      await server.download(file as { filename: string }, dest, job.signal);
      job.onProgress(1);
      return { videoPath: dest };
    } finally {
      watcher.close();
      this.inFlight.set(server, (this.inFlight.get(server) ?? 1) - 1);
    }
  }
}
