/**
 * STAND-IN, NOT THE SOGNI SUPERNET. A local server on 127.0.0.1 that speaks the part of the
 * Sogni protocol S2V Studio uses, so the tests can drive the real @sogni-ai/sogni-client SDK
 * (5.54.0) end to end without the network. Built from the SDK's source, not from captures:
 *
 * REST (SDK `RestClient`, JSON `{status:'success', data}` / `{status:'error', message, errorCode}`):
 *   POST /v1/account/nonce, POST /v1/account/login (EIP-712 "Authentication" signature over
 *   {walletAddress, nonce}; wallet = pbkdf2(lower(username)+password, 'sogni-salt-value'),
 *   Account/index.ts), GET /v1/account/me, GET /v4/account/balance, GET /v1/assets/capabilities,
 *   GET /v1/image/uploadUrl, GET /v1/media/uploadUrl (presigned PUT), GET /v1/image/downloadUrl,
 *   GET /v1/media/downloadUrl, GET /v1/projects/:id, GET /v2/projects/:id.
 * Socket host HTTP (WebSocketClient extends RestClient): GET /api/v1/models/list,
 *   GET /api/v2/models/tiers, GET /api/v1/job-video/estimate/:token/:model/:w/:h/:frames/:fps[/…],
 *   GET /api/v1/artist/projects/sync, GET /api/v1/artist/projects/active.
 * WebSocket (frames `{type, data: base64(JSON)}` both ways, WebSocketClient/index.ts): auth by
 *   `api-key` or `Authorization` header; bad credentials → close 4021 (ErrorCode.AUTH_ERROR);
 *   server → `authenticated` (with this app-id's activeProjects, as a reconnect expects),
 *   `swarmModels`, `jobState` (queued / initiatingModel / jobStarted / jobCompleted),
 *   `jobProgress` (step, stepCount, etaSeconds, hasImage), `jobETA`, `jobResult`, `jobError`,
 *   `artistCancelConfirmation`; client → `jobRequest`, `jobError` (artistCanceled).
 *
 * Choices that are the stand-in's own (the SDK does not pin them): prices (a flat rate per
 * megapixel-frame), the insufficient-balance refusal (project `jobError` code 123 — the REST
 * API's INSUFFICIENT_BALANCE code in Account/index.ts — with an "Insufficient balance" message),
 * the login error body, and timings. It checks what the real server would check for us: the
 * credentials, that every `has*` upload in the request was PUT before the job, the model id,
 * the frame grid of the model family, and the balance.
 */
import http from 'node:http';
import { randomUUID, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { Wallet, pbkdf2, toUtf8Bytes, verifyTypedData } from 'ethers';

export interface StandinModel {
  id: string;
  workers: number;
  /** 'wan' 16 fps 16·s+1, 'ltx' 1+8n, 'h3' 124+17n. */
  grid: 'wan' | 'ltx' | 'h3';
}

export interface StandinOptions {
  apiKey?: string;
  username?: string;
  password?: string;
  /** Spendable balance per token. */
  balance?: { spark: number; sogni: number };
  models?: StandinModel[];
  /** The mp4 every finished job returns. */
  videoFile: string;
  /** A JPEG sent as preview frames (one per `previewEvery` steps). */
  previewFile?: string;
  previewEvery?: number;
  stepCount?: number;
  stepMs?: number;
  /** Behaviour of the next jobs (see JobScript); default 'complete'. */
  script?: JobScript;
  /**
   * Render each result with ffmpeg at the requested size, frames and fps (as a worker would)
   * into this folder, instead of serving `videoFile` for every job.
   */
  renderDir?: string;
}

export type JobScript =
  | { kind: 'complete' }
  /** Start, then never report again (the client's timeout must end it). */
  | { kind: 'hang' }
  /** Fail on the worker with this message. */
  | { kind: 'fail'; message: string }
  /** Refuse at admission as if the balance were too low (even when the balance looks fine). */
  | { kind: 'refuse-balance' }
  /** After `afterStep`, drop every socket and refuse connections for `offlineMs` (Infinity: for good). */
  | { kind: 'drop'; afterStep: number; offlineMs: number };

const PRICE_PER_MEGAPIXEL_FRAME_SPARK = 0.05;
const SOGNI_PER_SPARK = 2;

export interface StandinLog {
  requests: Array<{ method: string; path: string; search: string }>;
  uploads: Array<{ jobId: string; type: string; bytes: number; contentType?: string }>;
  jobRequests: Array<Record<string, unknown>>;
  cancels: string[];
  /** WebSocket upgrade attempts (accepted or not). */
  socketAttempts: number;
  /** Result downloads served (after any refused with 503). */
  downloadsServed: number;
}

interface RunningJob {
  id: string;
  imgID: string;
  appId: string;
  request: Record<string, unknown>;
  step: number;
  stepCount: number;
  status: 'queued' | 'progress' | 'completed' | 'errored' | 'cancelled';
  timers: NodeJS.Timeout[];
  createTime: number;
  seed: number;
}

export class SogniStandin {
  readonly log: StandinLog = { requests: [], uploads: [], jobRequests: [], cancels: [], socketAttempts: 0, downloadsServed: 0 };
  opts: Required<Omit<StandinOptions, 'apiKey' | 'username' | 'password' | 'previewFile' | 'renderDir'>> & Pick<StandinOptions, 'apiKey' | 'username' | 'password' | 'previewFile' | 'renderDir'>;
  /** Fail this many result downloads with 503 before serving (tests the client's retry). */
  failDownloads = 0;
  /** Refuse this many uploads with 503 before storing (tests the client's retry of `create`). */
  failUploads = 0;
  /** Answer preview-URL requests with 500 (the SDK then rejects a promise nobody handles). */
  failPreviewUrls = false;
  private server = http.createServer((req, res) => this.handle(req, res));
  private wss = new WebSocketServer({ noServer: true });
  private sockets = new Map<string, WebSocket>(); // appId → live socket
  private rawSockets = new Set<Socket>();
  private offlineUntil = 0;
  private nonces = new Map<string, string>();
  private tokens = new Set<string>();
  private uploads = new Map<string, Buffer>();
  private jobs = new Map<string, RunningJob>();
  private walletAddress?: string;
  private rendered = new Map<string, string>(); // job id → its own mp4
  url = '';

  constructor(options: StandinOptions) {
    this.opts = {
      balance: { spark: 1000, sogni: 1000 },
      models: [
        { id: 'wan_v2.2-14b-fp8_s2v_lightx2v', workers: 3, grid: 'wan' },
        { id: 'ltx23-22b-fp8_ia2v_distilled', workers: 2, grid: 'ltx' },
        { id: 'ltx23-22b-fp8_a2v_distilled', workers: 2, grid: 'ltx' },
        { id: 'ltx23-22b-fp8_ia2v_dev', workers: 1, grid: 'ltx' },
        { id: 'ltx23-22b-fp8_a2v_dev', workers: 1, grid: 'ltx' },
        { id: 'minimax-h3-fastvideo-int8_ia2v_turbo', workers: 1, grid: 'h3' },
        { id: 'minimax-h3-fastvideo-int8_a2v_turbo', workers: 1, grid: 'h3' },
      ],
      previewEvery: 2,
      stepCount: 4,
      stepMs: 40,
      script: { kind: 'complete' },
      ...options,
    };
    if (options.username && options.password) {
      // Same derivation as the SDK's account.getWallet: the server knows the account's address.
      const key = pbkdf2(toUtf8Bytes(options.username.toLowerCase() + options.password), toUtf8Bytes('sogni-salt-value'), 10000, 32, 'sha256');
      this.walletAddress = new Wallet(key).address;
    }
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
    this.server.on('connection', (s: Socket) => {
      this.rawSockets.add(s);
      s.on('close', () => this.rawSockets.delete(s));
      if (Date.now() < this.offlineUntil) {
        // Offline: read the request line only to count socket attempts, then hang up.
        s.once('data', (chunk: Buffer) => {
          if (/^upgrade:\s*websocket/im.test(chunk.toString('latin1'))) this.log.socketAttempts++;
          s.destroy();
        });
      }
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const job of this.jobs.values()) job.timers.forEach(clearTimeout);
    for (const ws of this.wss.clients) ws.terminate();
    for (const s of this.rawSockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Drop every connection now and refuse new ones for `ms` (Infinity: until stop). */
  goOffline(ms: number): void {
    this.offlineUntil = Date.now() + ms;
    for (const ws of this.wss.clients) ws.terminate();
    for (const s of this.rawSockets) s.destroy();
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.log.requests.push({ method: req.method ?? 'GET', path: url.pathname, search: url.search });
    const body = await buffer(req);
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const ok = (data: unknown) => json(200, { status: 'success', data });
    const fail = (status: number, message: string, errorCode = 0) => json(status, { status: 'error', message, errorCode });
    const p = url.pathname;
    const q = url.searchParams;
    try {
      // Storage (the presigned URLs point here; no auth, as with S3 presigned URLs).
      if (p.startsWith('/storage/')) return this.storage(req, res, p, body);

      if (p === '/v1/account/nonce' && req.method === 'POST') {
        const { walletAddress } = JSON.parse(body.toString() || '{}');
        const nonce = randomUUID();
        this.nonces.set(String(walletAddress), nonce);
        return ok({ nonce });
      }
      if (p === '/v1/account/login' && req.method === 'POST') {
        const { walletAddress, signature } = JSON.parse(body.toString() || '{}');
        const nonce = this.nonces.get(String(walletAddress));
        let signer = '';
        try {
          signer = verifyTypedData(
            { name: 'Sogni AI', version: '1', chainId: '8453', verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
            { Authentication: [{ name: 'walletAddress', type: 'address' }, { name: 'nonce', type: 'string' }] },
            { walletAddress, nonce: nonce ?? '' },
            signature,
          );
        } catch {
          signer = '';
        }
        if (!nonce || !this.walletAddress || signer !== walletAddress || walletAddress !== this.walletAddress) {
          return fail(401, 'Invalid username or password', 101);
        }
        const token = jwt({ addr: walletAddress, env: 'standin', exp: Math.floor(Date.now() / 1000) + 3600 });
        const refreshToken = jwt({ type: 'refresh', env: 'standin', exp: Math.floor(Date.now() / 1000) + 86400 });
        this.tokens.add(token);
        return ok({ token, refreshToken, username: this.opts.username });
      }

      if (p.startsWith('/api/')) return this.socketHost(req, p, q, ok, fail, json);

      if (!this.authorized(req)) return fail(401, 'Unauthorized', 401);
      if (p === '/v1/account/me') return ok({ username: this.opts.username ?? 'standin-user', walletAddress: this.walletAddress ?? '0x0', currentEmail: 'standin@example.invalid' });
      if (p === '/v4/account/balance') return ok(this.balances());
      if (p === '/v1/assets/capabilities') return ok({ enabled: false });
      if (p === '/v1/image/uploadUrl' || p === '/v1/media/uploadUrl') {
        const key = `${q.get('jobId')}/${q.get('type')}`;
        return ok({ uploadUrl: `${this.url}/storage/${encodeURIComponent(key)}` });
      }
      if (p === '/v1/media/downloadUrl' && q.get('type') === 'complete') {
        const job = this.jobs.get(String(q.get('jobId')));
        if (!job || job.status !== 'completed') return fail(404, 'No such result');
        return ok({ downloadUrl: `${this.url}/storage/${encodeURIComponent(`result/${job.id}.mp4`)}` });
      }
      if (p === '/v1/image/downloadUrl' && q.get('type') === 'preview') {
        if (this.failPreviewUrls) return fail(500, 'preview storage unavailable');
        return ok({ downloadUrl: `${this.url}/storage/${encodeURIComponent(`preview/${q.get('jobId')}/${q.get('imageId')}.jpg`)}` });
      }
      const projectMatch = /^\/v([12])\/projects\/([^/]+)$/.exec(p);
      if (projectMatch) {
        const job = this.jobs.get(decodeURIComponent(projectMatch[2]!));
        if (!job) return fail(404, 'Project not found');
        if (projectMatch[1] === '2') {
          const status = { queued: 'queued', progress: 'processing', completed: 'completed', errored: 'failed', cancelled: 'canceled' }[job.status];
          return ok({ project: { id: job.id, status, finished: ['completed', 'errored', 'cancelled'].includes(job.status) } });
        }
        if (job.status === 'queued' || job.status === 'progress') return fail(404, 'Project not finished');
        return ok({ project: this.rawProject(job) });
      }
      return fail(404, `stand-in: no route ${req.method} ${p}`);
    } catch (e) {
      return fail(500, `stand-in error: ${(e as Error).message}`);
    }
  }

  private socketHost(
    req: http.IncomingMessage, p: string, q: URLSearchParams,
    ok: (d: unknown) => void, fail: (s: number, m: string, c?: number) => void, json: (s: number, b: unknown) => void,
  ): void {
    if (p === '/api/v1/models/list') {
      return json(200, this.opts.models.map((m, i) => ({ id: m.id, name: m.id, SID: 100 + i, tier: `standin-${m.grid}`, media: 'video' })));
    }
    if (p === '/api/v2/models/tiers') {
      const tier = (min: number, max: number, def: number) => ({ min, max, default: def, step: 16 });
      const video = (w: number) => ({
        type: 'video', width: tier(480, 1536, w), height: tier(480, 1536, w),
        benchmark: { sec: 60, secCN: 0, secMaxPreviews: 0 },
        comfySampler: { allowed: ['euler'], default: 'euler' }, comfyScheduler: { allowed: ['simple'], default: 'simple' },
      });
      return json(200, { 'standin-wan': video(832), 'standin-ltx': video(768), 'standin-h3': video(768) });
    }
    if (!this.authorized(req)) return fail(401, 'Unauthorized', 401);
    const est = /^\/api\/v1\/job-video\/estimate\/([^/]+)\/([^/]+)\/(\d+)\/(\d+)\/(\d+)\/(\d+)/.exec(p);
    if (est) {
      const [, tokenType, model, w, h, frames, fps] = est.map(decodeURIComponent) as [string, string, string, string, string, string, string];
      if (!this.opts.models.some((m) => m.id === model)) return fail(400, `Unknown model ${model}`);
      const spark = this.price(Number(w), Number(h), Number(frames));
      const seconds = 20 + Number(frames) / Number(fps) * 6;
      const cost = (x: number) => x.toFixed(6);
      return json(200, {
        request: { model, name: model, imageCount: 1, stepCount: this.opts.stepCount, previewCount: 0, cnEnabled: false, denoiseStrength: '0', time: new Date() },
        rate: { network: q.get('network') ?? 'fast' },
        quote: { project: { costInRenderSec: cost(seconds), costInUSD: cost(spark * 0.005), costInToken: cost(tokenType === 'sogni' ? spark * SOGNI_PER_SPARK : spark), costInSpark: cost(spark), costInSogni: cost(spark * SOGNI_PER_SPARK) } },
        benchmark: { estimatedRenderTimeSec: seconds, medianRenderTimeSec: seconds, sampleCount: 10, confidence: 0.8, estimatedTotalTimeSec: seconds + 5 },
      });
    }
    if (p === '/api/v1/artist/projects/sync') {
      const appId = q.get('appId');
      return json(200, { activeProjects: this.activeFor(appId ?? undefined), unclaimedCompletedProjects: [], serverTime: Date.now() });
    }
    if (p === '/api/v1/artist/projects/active') {
      return json(200, { projects: [...this.jobs.values()].filter((j) => j.status === 'queued' || j.status === 'progress').map((j) => ({ id: j.id })) });
    }
    return ok({});
  }

  private storage(req: http.IncomingMessage, res: http.ServerResponse, p: string, body: Buffer): void {
    const key = decodeURIComponent(p.slice('/storage/'.length));
    if (req.method === 'PUT') {
      if (this.failUploads > 0) {
        this.failUploads--;
        res.writeHead(503).end('storage busy');
        return;
      }
      const [jobId = '', type = ''] = key.split('/');
      this.uploads.set(key, body);
      this.log.uploads.push({ jobId, type, bytes: body.length, contentType: req.headers['content-type'] });
      res.writeHead(200).end();
      return;
    }
    if (key.startsWith('result/')) {
      if (this.failDownloads > 0) {
        this.failDownloads--;
        res.writeHead(503).end('busy');
        return;
      }
      this.log.downloadsServed++;
      res.writeHead(200, { 'content-type': 'video/mp4' });
      const jobId = key.slice('result/'.length).replace(/\.mp4$/, '');
      fs.createReadStream(this.rendered.get(jobId) ?? this.opts.videoFile).pipe(res);
      return;
    }
    if (key.startsWith('preview/') && this.opts.previewFile) {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      fs.createReadStream(this.opts.previewFile).pipe(res);
      return;
    }
    res.writeHead(404).end();
  }

  private authorized(req: http.IncomingMessage): boolean {
    const key = req.headers['api-key'];
    if (this.opts.apiKey && key === this.opts.apiKey) return true;
    const auth = req.headers.authorization;
    return !!auth && this.tokens.has(auth);
  }

  private balances() {
    const entry = (n: number) => ({ settled: n.toFixed(4), credit: '0', debit: '0', net: n.toFixed(4), premiumCredit: '0', relaxedUnclaimed: '0', fastUnclaimed: '0' });
    return { sogni: entry(this.opts.balance.sogni), spark: entry(this.opts.balance.spark) };
  }

  private price(w: number, h: number, frames: number): number {
    return (w * h / 1e6) * frames * PRICE_PER_MEGAPIXEL_FRAME_SPARK;
  }

  // ---------------------------------------------------------------- WebSocket

  private upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    this.log.socketAttempts++;
    this.log.requests.push({ method: 'UPGRADE', path: new URL(req.url ?? '/', this.url).pathname, search: new URL(req.url ?? '/', this.url).search });
    if (Date.now() < this.offlineUntil) {
      socket.destroy();
      return;
    }
    const appId = new URL(req.url ?? '/', this.url).searchParams.get('appId') ?? '';
    const good = this.authorized(req);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!good) {
        ws.close(4021, 'Authentication error');
        return;
      }
      const previous = this.sockets.get(appId);
      if (previous && previous !== ws) previous.close(4015, 'Switch connection');
      this.sockets.set(appId, ws);
      ws.on('message', (raw) => this.onMessage(appId, raw.toString()));
      ws.on('close', () => {
        if (this.sockets.get(appId) === ws) this.sockets.delete(appId);
      });
      this.send(appId, 'authenticated', {
        id: randomUUID(), clientType: 'artist', username: this.opts.username ?? 'standin-user', address: this.walletAddress ?? '0x0',
        SID: 1, clientSID: 1, addressSID: 1, balanceVersion: 2,
        tokens: { sogni: this.balances().sogni, spark: this.balances().spark },
        activeProjects: this.activeFor(appId), unclaimedCompletedProjects: [], isMainnet: false,
        accountWasMigrated: false, hasUnclaimedAirdrop: false, firstLoginAfterMigration: false,
      });
      this.send(appId, 'swarmModels', Object.fromEntries(this.opts.models.map((m) => [m.id, m.workers])));
      // Jobs that were running when this app's previous socket dropped continue on this one.
      for (const job of this.jobs.values()) if (job.appId === appId && job.status === 'progress' && job.timers.length === 0) this.runSteps(job);
    });
  }

  private send(appId: string, type: string, payload: unknown): void {
    const ws = this.sockets.get(appId);
    if (!ws || ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify({ type, data: Buffer.from(JSON.stringify(payload)).toString('base64') }));
  }

  private onMessage(appId: string, raw: string): void {
    const frame = JSON.parse(raw) as { type: string; data: string };
    const payload = JSON.parse(Buffer.from(frame.data, 'base64').toString('utf8')) as Record<string, unknown>;
    if (frame.type === 'jobRequest') return this.admit(appId, payload);
    if (frame.type === 'jobError' && payload.error === 'artistCanceled') {
      const jobID = String(payload.jobID);
      this.log.cancels.push(jobID);
      const job = this.jobs.get(jobID);
      if (job) {
        job.timers.forEach(clearTimeout);
        job.timers = [];
        job.status = 'cancelled';
      }
      this.send(appId, 'artistCancelConfirmation', { didCancel: !!job, jobID, ...(job ? {} : { error_message: 'Unknown project' }) });
    }
  }

  private admit(appId: string, request: Record<string, unknown>): void {
    this.log.jobRequests.push(request);
    const jobID = String(request.jobID);
    const kf = ((request.keyFrames as Array<Record<string, unknown>>) ?? [])[0] ?? {};
    const refuse = (error: number | string, message: string) => this.send(appId, 'jobError', { jobID, isFromWorker: false, error, error_message: message });
    const model = this.opts.models.find((m) => m.id === kf.modelID);
    if (!model) return refuse(400, `Unknown model ${String(kf.modelID)}`);
    for (const [flag, type] of [['hasReferenceImage', 'referenceImage'], ['hasReferenceAudio', 'referenceAudio']] as const) {
      if (kf[flag] && !this.uploads.has(`${jobID}/${type}`)) return refuse(400, `Missing ${type} upload`);
    }
    const frames = Number(kf.frames);
    const gridOk = model.grid === 'wan' ? frames >= 17 && frames <= 161 && (frames - 1) % 16 === 0
      : model.grid === 'ltx' ? frames >= 9 && (frames - 1) % 8 === 0
        : frames >= 124 && frames <= 362 && (frames - 124) % 17 === 0;
    if (!gridOk) return refuse(400, `frames ${frames} is not valid for ${model.id}`);
    const tokenType = request.tokenType === 'sogni' ? 'sogni' : 'spark';
    const cost = this.price(Number(kf.width), Number(kf.height), frames) * (tokenType === 'sogni' ? SOGNI_PER_SPARK : 1);
    if (this.opts.script.kind === 'refuse-balance' || cost > this.opts.balance[tokenType]) {
      return refuse(123, `Insufficient balance: the job needs ${cost.toFixed(2)} ${tokenType}, the account has ${this.opts.balance[tokenType].toFixed(2)}`);
    }
    const job: RunningJob = {
      id: jobID, imgID: randomUUID().toUpperCase(), appId, request, step: 0, stepCount: this.opts.stepCount,
      status: 'queued', timers: [], createTime: Date.now(), seed: Number(kf.seed ?? 0),
    };
    this.jobs.set(jobID, job);
    this.opts.balance[tokenType] -= cost;
    this.send(appId, 'jobState', { type: 'queued', jobID, queuePosition: 1, estimatedStartSeconds: 1, queueStatus: 'waiting' });
    const at = (ms: number, fn: () => void) => job.timers.push(setTimeout(fn, ms));
    at(this.opts.stepMs, () => this.send(job.appId, 'jobState', { type: 'initiatingModel', jobID, imgID: job.imgID, workerName: 'standin-worker', jobIndex: 0 }));
    at(this.opts.stepMs * 2, () => {
      job.status = 'progress';
      this.send(job.appId, 'jobState', { type: 'jobStarted', jobID, imgID: job.imgID, workerName: 'standin-worker', jobIndex: 0 });
      job.timers = [];
      if (this.opts.script.kind !== 'hang') this.runSteps(job);
    });
  }

  private runSteps(job: RunningJob): void {
    const script = this.opts.script;
    const next = () => {
      job.timers = [];
      if (job.status !== 'progress') return;
      if (script.kind === 'fail' && job.step === 1) {
        job.status = 'errored';
        this.send(job.appId, 'jobError', { jobID: job.id, imgID: job.imgID, isFromWorker: true, error: 'genfailure', error_message: script.message });
        return;
      }
      if (job.step >= job.stepCount) return this.finish(job);
      job.step++;
      const etaSeconds = (job.stepCount - job.step) * (this.opts.stepMs / 1000);
      const hasImage = !!this.opts.previewFile && job.step % this.opts.previewEvery === 0;
      this.send(job.appId, 'jobProgress', { jobID: job.id, imgID: job.imgID, step: job.step, stepCount: job.stepCount, etaSeconds, hasImage });
      this.send(job.appId, 'jobETA', { jobID: job.id, imgID: job.imgID, etaSeconds });
      if (script.kind === 'drop' && job.step === script.afterStep) {
        this.opts.script = { kind: 'complete' }; // drop once
        this.goOffline(script.offlineMs);
        return; // resumed by the next authenticated connection of this app-id
      }
      job.timers.push(setTimeout(next, this.opts.stepMs));
    };
    job.timers.push(setTimeout(next, this.opts.stepMs));
  }

  private finish(job: RunningJob): void {
    if (this.opts.renderDir && !this.rendered.has(job.id)) {
      void this.render(job).then(() => this.finish(job), (e: Error) => {
        job.status = 'errored';
        this.send(job.appId, 'jobError', { jobID: job.id, imgID: job.imgID, isFromWorker: true, error: 'genfailure', error_message: `stand-in render failed: ${e.message}` });
      });
      return;
    }
    job.status = 'completed';
    this.send(job.appId, 'jobResult', { jobID: job.id, imgID: job.imgID, performedStepCount: job.stepCount, lastSeed: String(job.seed), outputFormat: 'mp4' });
    job.timers.push(setTimeout(() => this.send(job.appId, 'jobState', { type: 'jobCompleted', jobID: job.id }), 10));
  }

  /** The job's video as a worker would deliver it: requested size, frames and fps, with audio. */
  private async render(job: RunningJob): Promise<void> {
    const kf = ((job.request.keyFrames as Array<Record<string, unknown>>) ?? [])[0] ?? {};
    const fps = Number(kf.fps ?? 24);
    const frames = Number(kf.frames);
    const out = path.join(this.opts.renderDir!, `job-${job.id}.mp4`);
    const { ffmpegGen } = await import('./media-testing.js');
    await ffmpegGen('-f', 'lavfi', '-i', `testsrc2=size=${Number(kf.width)}x${Number(kf.height)}:rate=${fps}`, '-f', 'lavfi', '-i', `sine=frequency=330:duration=${frames / fps}`,
      '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-y', out);
    this.rendered.set(job.id, out);
  }

  private activeFor(appId?: string) {
    return [...this.jobs.values()]
      .filter((j) => (j.status === 'queued' || j.status === 'progress') && (!appId || j.appId === appId))
      .map((j) => ({
        id: j.id, appId: j.appId, model: { id: String(((j.request.keyFrames as Array<Record<string, unknown>>)[0] ?? {}).modelID) },
        imageCount: 1, stepCount: j.stepCount, createTime: j.createTime, updateTime: Date.now(),
        status: j.status === 'queued' ? 'queued' : 'progress', clientRequestData: Buffer.from(JSON.stringify(j.request)).toString('base64'),
        workerJobs: [{ id: j.id, imgID: j.imgID, status: j.status === 'queued' ? 'queued' : 'jobProgress', performedSteps: j.step, worker: { username: 'standin-worker' } }],
        completedWorkerJobs: [],
      }));
  }

  private rawProject(j: RunningJob) {
    const now = Date.now();
    return {
      id: j.id, SID: 1, artist: {}, model: { id: String(((j.request.keyFrames as Array<Record<string, unknown>>)[0] ?? {}).modelID) },
      imageCount: 1, stepCount: j.stepCount, previewCount: 0, hasGuideImage: false, denoiseStrength: '0',
      costEstimate: {}, costActual: {}, createTime: j.createTime, updateTime: now, endTime: now,
      status: j.status === 'completed' ? 'completed' : j.status === 'cancelled' ? 'cancelled' : 'errored',
      reason: j.status === 'cancelled' ? 'artistCanceled' : 'allJobsCompleted', network: 'fast', txId: '',
      workerJobs: [],
      completedWorkerJobs: [{
        id: j.id, SID: '1', imgID: j.imgID, worker: { username: 'standin-worker' }, createTime: j.createTime, startTime: j.createTime,
        updateTime: now, endTime: now, status: j.status === 'completed' ? 'jobCompleted' : 'jobError', reason: j.status === 'completed' ? 'jobCompleted' : 'artistCanceled',
        performedSteps: j.step, triggeredNSFWFilter: false, seedUsed: j.seed,
      }],
    };
  }
}

function b64url(x: string): string {
  return Buffer.from(x).toString('base64url');
}

/** A JWT the SDK can decode (it reads `exp`, never checks the signature). */
function jwt(claims: Record<string, unknown>): string {
  const body = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify({ iat: Math.floor(Date.now() / 1000), ...claims }))}`;
  return `${body}.${createHmac('sha256', 'standin').update(body).digest('base64url')}`;
}

/** The files a stand-in serves, made with ffmpeg (through the project's media layer). */
export async function makeStandinMedia(dir: string): Promise<{ video: string; preview: string; image: string; audio: string }> {
  const { ffmpegGen } = await import('./media-testing.js');
  const video = path.join(dir, 'standin-result.mp4');
  const preview = path.join(dir, 'standin-preview.jpg');
  const image = path.join(dir, 'portrait.png');
  const audio = path.join(dir, 'segment.wav');
  await ffmpegGen('-f', 'lavfi', '-i', 'testsrc=size=480x480:rate=16:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', '-y', video);
  await ffmpegGen('-f', 'lavfi', '-i', 'testsrc=size=240x240:rate=1', '-frames:v', '1', '-y', preview);
  await ffmpegGen('-f', 'lavfi', '-i', 'smptebars=size=480x480:rate=1', '-frames:v', '1', '-y', image);
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=frequency=220:duration=5.0625', '-ar', '16000', '-ac', '1', '-y', audio);
  return { video, preview, image, audio };
}
