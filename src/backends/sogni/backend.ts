/**
 * The Sogni Supernet as a VideoBackend, through the official SDK (@sogni-ai/sogni-client).
 *
 * One job = one SDK project of one video. Order of work in `generate`: check the job against the
 * model (nothing sent), connect, quote the cost and compare it with the balance (nothing spent),
 * then create the project (the SDK uploads image and audio and sends the request), follow its
 * events for progress/ETA/previews, and download the result. Three watchdogs end a job the SDK
 * would keep waiting on: our cancel signal, a total timeout, and a lost connection that does
 * not come back within `reconnectBudgetMs` (the SDK itself retries the socket with backoff).
 */
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Project } from '@sogni-ai/sogni-client';
import type {
  BackendStatus, CostEstimate, RemoteJob, RemoteModelSpec, RemoteResult, VideoBackend,
} from '../../engine/services/video-backend.js';
import { S2VError, cancelledError, isS2VError } from '../../engine/errors.js';
import { balanceError, isTransient, makeRedactor, toS2VError, type Redact } from './errors.js';
import { buildEstimateRequest, buildVideoRequest, checkJob } from './request.js';
import { formatCost, quoteToEstimate, type SogniQuote } from './cost.js';
import { withRetry } from './retry.js';
import { downloadTo } from './download.js';
import { makeLogger, type LogSink } from './log.js';
import { credentialKind, openSession, type Credentials, type SogniSession } from './session.js';

export interface SogniLimits {
  /** Wait this long for an authenticated socket when connecting. */
  connectTimeoutMs: number;
  /** A connection lost mid-job may stay lost this long (the SDK keeps retrying) before we fail. */
  reconnectBudgetMs: number;
  /** A job (queue + render) may take this long before we cancel it. */
  jobTimeoutMs: number;
  /** Attempts for our own REST calls and downloads (estimate, balance, result). */
  retries: number;
  retryBaseMs: number;
  /** How long a cancel waits for the network to confirm it. */
  cancelWaitMs: number;
}

export const DEFAULT_LIMITS: SogniLimits = {
  connectTimeoutMs: 30_000,
  reconnectBudgetMs: 120_000,
  jobTimeoutMs: 60 * 60_000,
  retries: 4,
  retryBaseMs: 1_000,
  cancelWaitMs: 15_000,
};

export interface SogniSettings extends Credentials {
  restEndpoint?: string;
  socketEndpoint?: string;
  /** Pay with 'spark' (default) or 'sogni' tokens. */
  tokenType?: 'spark' | 'sogni';
  /** Where log lines go (already redacted). Default: dropped. */
  log?: LogSink;
  limits?: Partial<SogniLimits>;
}

/** The VideoBackend plus `close()`, which ends the SDK's socket and timers (call it at shutdown). */
export interface SogniBackend extends VideoBackend {
  close(): void;
}

type QuoteJob = Omit<RemoteJob, 'onProgress' | 'onPreview' | 'outDir' | 'signal'>;

export function createSogniBackendImpl(settings: SogniSettings): SogniBackend {
  const limits: SogniLimits = { ...DEFAULT_LIMITS, ...settings.limits };
  const tokenType = settings.tokenType ?? 'spark';
  const credentials: Credentials = { apiKey: settings.apiKey, username: settings.username, password: settings.password };
  const redact: Redact = makeRedactor([settings.apiKey, settings.password]);
  const { sdk, log } = makeLogger(settings.log ?? (() => {}), redact);
  let session: Promise<SogniSession> | undefined;

  function connect(): Promise<SogniSession> {
    session ??= openSession({
      credentials, restEndpoint: settings.restEndpoint, socketEndpoint: settings.socketEndpoint,
      connectTimeoutMs: limits.connectTimeoutMs, logger: sdk, log, redact,
    });
    const current = session;
    // A failed connection is not cached: the next call tries again.
    current.catch(() => {
      if (session === current) session = undefined;
    });
    return current;
  }

  function drop(): void {
    const current = session;
    session = undefined;
    current?.then((s) => s.close(), () => {});
  }

  const retrying = <T>(doing: string, where: string, fn: () => Promise<T>, signal?: AbortSignal) =>
    withRetry(fn, {
      attempts: limits.retries, baseMs: limits.retryBaseMs, signal,
      isRetryable: isTransient,
      onRetry: (n, ms, e) => log('warn', `sogni: ${doing} failed (attempt ${n}/${limits.retries}: ${redact(String((e as Error)?.message ?? e))}); retrying in ${ms} ms`),
    }).catch((e) => {
      throw toS2VError(e, { where, redact, doing });
    });

  async function quote(s: SogniSession, job: QuoteJob, signal?: AbortSignal): Promise<CostEstimate> {
    const where = `sogni ${job.model.id}`;
    const request = buildEstimateRequest(job, tokenType);
    const q = await retrying('estimating the cost', where, () => s.client.projects.estimateVideoCost(request) as Promise<SogniQuote>, signal);
    return quoteToEstimate(q, tokenType);
  }

  async function balance(s: SogniSession, where: string, signal?: AbortSignal): Promise<number> {
    const b = await retrying('reading the balance', where, () => s.client.account.refreshBalance(), signal);
    return Number(b[tokenType]?.net ?? 0);
  }

  const backend: SogniBackend = {
    id: 'sogni',

    async status(signal?: AbortSignal): Promise<BackendStatus> {
      const kind = credentialKind(credentials);
      if (!kind) return { id: 'sogni', configured: false, reachable: false, detail: 'not configured: set SOGNI_API_KEY, or SOGNI_USERNAME and SOGNI_PASSWORD' };
      try {
        if (signal?.aborted) throw cancelledError('sogni');
        const s = await connect();
        const left = await balance(s, 'sogni', signal).catch(() => undefined);
        const money = left === undefined ? '' : `, balance ${left} ${tokenType}`;
        return { id: 'sogni', configured: true, reachable: true, detail: `Sogni Supernet as ${s.account} (${kind === 'apiKey' ? 'API key' : 'username/password'})${money}` };
      } catch (e) {
        return { id: 'sogni', configured: true, reachable: false, detail: redact(toS2VError(e, { where: 'sogni', redact, doing: 'connecting' }).oneLine()) };
      }
    },

    async preflight(model: RemoteModelSpec, signal?: AbortSignal): Promise<void> {
      const where = `sogni ${model.id}`;
      const modelId = model.sogni?.modelId;
      if (!modelId) throw new S2VError('E106', 'manifest has no sogni.modelId', { where });
      const s = await connect();
      if (signal?.aborted) throw cancelledError(where);
      const supported = await retrying('listing models', where, () => s.client.projects.getSupportedModels(), signal);
      if (!supported.some((m) => m.id === modelId)) {
        throw new S2VError('E106', `the Sogni Supernet does not offer "${modelId}"`, { where, hint: 'update S2V Studio, or pick another sogni-* model' });
      }
      const available = await s.client.projects.waitForModels(limits.connectTimeoutMs).catch(() => []);
      const here = available.find((m) => m.id === modelId);
      if (!here || here.workerCount <= 0) {
        throw new S2VError('E136', `no worker on the Sogni Supernet serves "${modelId}" right now`, { where, hint: 'try again later, or pick another sogni-* model', exitCode: 2 });
      }
    },

    async estimate(job: QuoteJob, signal?: AbortSignal): Promise<CostEstimate | undefined> {
      checkJob(job);
      const s = await connect();
      return quote(s, job, signal);
    },

    async generate(job: RemoteJob): Promise<RemoteResult> {
      const where = `sogni ${job.model.id}`;
      if (job.signal.aborted) throw cancelledError(where);
      const request = buildVideoRequest(job, tokenType);
      const [image, audio] = await Promise.all([
        job.imagePath ? readInput(job.imagePath, 'image') : undefined,
        readInput(job.audioPath, 'audio'),
      ]);
      await mkdir(job.outDir, { recursive: true });
      job.onProgress(0, 'connecting to the Sogni Supernet');
      const s = await connect();
      if (job.signal.aborted) throw cancelledError(where);

      // Spend nothing we cannot pay for: quote, then compare with the balance.
      const cost = await quote(s, job, job.signal);
      const left = await balance(s, where, job.signal);
      if (left < cost.amount) throw balanceError(where, `needs ${formatCost(cost)}, the account has ${left} ${cost.unit}`);
      job.onProgress(0.02, `uploading (quoted ${formatCost(cost)})`);

      // A failed upload or a socket that is not ready fails `create` before the request is
      // written, so nothing runs or is charged: trying again is safe.
      const project: Project = await retrying('uploading and sending the job', where,
        () => s.client.projects.create({ ...request, ...(image ? { referenceImage: image } : {}), referenceAudio: audio }), job.signal);
      log('info', `sogni: project ${project.id} sent (${request.modelId}, ${request.frames} frames${request.frames !== job.frames ? `, raised from ${job.frames} to the shortest request` : ''})`);
      try {
        const urls = await follow(s, project, job, where);
        const url = urls.find((u) => !!u);
        if (!url) throw new S2VError('E136', 'the Sogni job finished without a video (the result may have been withheld by the content filter)', { where, exitCode: 1 });
        job.onProgress(0.92, 'downloading the result');
        const videoPath = path.join(job.outDir, `sogni-${project.id}.mp4`);
        await retrying('downloading the result', where, () => downloadTo(url, videoPath, job.signal), job.signal);
        job.onProgress(1, 'done');
        return { videoPath, cost: { amount: cost.amount, unit: cost.unit } };
      } catch (e) {
        const err = isS2VError(e) ? e : toS2VError(e, { where, redact, doing: 'rendering' });
        if (!project.finished) await cancelQuietly(project, limits.cancelWaitMs, log);
        // A project we gave up on keeps SDK watchdog timers running (they would hold the
        // process open for good once the socket is gone); stop them.
        if (!project.finished) (project as unknown as { _dispose?: () => void })._dispose?.();
        if (err.code === 'E131' || err.code === 'E132') drop();
        throw err;
      }
    },

    close() {
      drop();
    },
  };

  /** Wait for the project, reporting progress, and stop on cancel, timeout or a lost connection. */
  function follow(s: SogniSession, project: Project, job: RemoteJob, where: string): Promise<string[]> {
    const api = s.client.projects;
    const events = s.client.apiClient;
    const previews = new Set<Promise<unknown>>();
    let previewCount = 0;
    let lastFraction = 0.05;
    const report = (fraction: number, message: string) => {
      lastFraction = Math.max(lastFraction, Math.min(0.9, fraction));
      job.onProgress(lastFraction, message);
    };
    report(0.05, 'sent; waiting for a worker');

    return new Promise<string[]>((resolve, reject) => {
      let settled = false;
      let failed = false;
      let lostTimer: NodeJS.Timeout | undefined;
      let reconnects = 0;
      const cleanups: Array<() => void> = [];
      const settle = (error: Error | undefined, urls?: string[]) => {
        if (settled) return;
        settled = true;
        failed = !!error;
        for (const c of cleanups) c();
        if (lostTimer) clearTimeout(lostTimer);
        if (error) reject(error);
        else Promise.allSettled([...previews]).then(() => resolve(urls!));
      };

      const onAbort = () => settle(cancelledError(where));
      job.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => job.signal.removeEventListener('abort', onAbort));

      const total = setTimeout(() => settle(new S2VError('E135', `the Sogni job did not finish within ${Math.round(limits.jobTimeoutMs / 1000)} s; it was cancelled`, {
        where, hint: 'the network may be busy: run again later', exitCode: 1,
      })), limits.jobTimeoutMs);
      cleanups.push(() => clearTimeout(total));

      cleanups.push(events.on('connecting', () => {
        reconnects++;
        report(lastFraction, `connection lost; reconnecting (attempt ${reconnects})`);
        lostTimer ??= setTimeout(() => settle(new S2VError('E131', `lost the connection to the Sogni Supernet mid-job and it did not come back within ${Math.round(limits.reconnectBudgetMs / 1000)} s (${reconnects} reconnect attempts)`, {
          where, hint: 'check the network connection; run again', exitCode: 1,
        })), limits.reconnectBudgetMs);
      }));
      cleanups.push(events.on('connected', () => {
        if (lostTimer) clearTimeout(lostTimer);
        lostTimer = undefined;
      }));
      cleanups.push(events.on('disconnected', (d) => {
        settle(d?.code === 4021
          ? new S2VError('E132', 'the Sogni Supernet ended the session (authentication error)', { where, hint: 'check the Sogni credentials', exitCode: 1 })
          : new S2VError('E131', `the Sogni Supernet closed the connection mid-job (code ${d?.code ?? '?'})`, { where, hint: 'run again', exitCode: 1 }));
      }));

      cleanups.push(api.on('project', (ev) => {
        if (ev.projectId !== project.id) return;
        if (ev.type === 'queued') {
          const wait = typeof ev.estimatedStartSeconds === 'number' ? `, starts in about ${Math.round(ev.estimatedStartSeconds)} s` : '';
          report(0.05, ev.queueStatus === 'no-workers' ? 'queued: no worker serves this model right now' : `queued (position ${ev.queuePosition}${wait})`);
        }
      }));
      cleanups.push(api.on('job', (ev) => {
        if (ev.projectId !== project.id) return;
        const sdkJob = project.job(ev.jobId);
        switch (ev.type) {
          case 'initiating':
            report(0.07, ev.workerName ? `loading the model on ${ev.workerName}` : 'loading the model');
            break;
          case 'started':
            report(0.1, 'rendering');
            break;
          case 'progress':
          case 'jobETA': {
            const pct = sdkJob?.progress ?? 0;
            const step = sdkJob && sdkJob.stepCount > 0 ? `step ${sdkJob.step}/${sdkJob.stepCount}` : `${Math.round(pct)}%`;
            const eta = sdkJob?.eta ? Math.max(0, Math.round((sdkJob.eta.getTime() - Date.now()) / 1000)) : ev.type === 'progress' && ev.etaSeconds ? Math.round(ev.etaSeconds) : undefined;
            report(0.1 + 0.8 * (pct / 100), `rendering ${step}${eta !== undefined ? `, ETA ${eta} s` : ''}`);
            break;
          }
          case 'preview':
            if (job.onPreview && ev.url) {
              const n = ++previewCount;
              const file = path.join(job.outDir, `sogni-preview-${String(n).padStart(3, '0')}${previewExt(ev.url)}`);
              const p = downloadTo(ev.url, file, job.signal, 60_000)
                .then(() => !failed && job.onPreview?.(file))
                .catch((e) => log('warn', `sogni: preview ${n} not downloaded (${redact(String((e as Error).message))})`))
                .finally(() => previews.delete(p));
              previews.add(p);
            }
            break;
        }
      }));

      project.waitForCompletion().then(
        (urls) => settle(undefined, urls),
        (e) => settle(toS2VError(e, { where, redact, doing: 'rendering' })),
      );
    });
  }

  return backend;
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    const data = await readFile(file);
    if (!data.length) throw new Error('empty file');
    return data;
  } catch (e) {
    throw new S2VError('E108', `cannot read the ${what} to upload (${(e as Error).message.split('\n')[0]})`, { where: file });
  }
}

function previewExt(url: string): string {
  const ext = path.extname(new URL(url).pathname).toLowerCase();
  return ['.jpg', '.jpeg', '.png', '.webp'].includes(ext) ? ext : '.jpg';
}

/** Ask the network to stop a project; never throws, never waits longer than `ms`. */
async function cancelQuietly(project: Project, ms: number, log: LogSink): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cancel = project.cancel();
  cancel.catch(() => {}); // may settle after we stopped waiting
  try {
    await Promise.race([
      cancel,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no confirmation within ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
    log('info', `sogni: project ${project.id} cancelled`);
  } catch (e) {
    log('warn', `sogni: could not confirm the cancel of project ${project.id} (${String((e as Error).message)})`);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
