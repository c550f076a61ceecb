/**
 * ComfyUI's HTTP API, the small part we use: /system_stats, /object_info, /models/<folder>,
 * /queue, /upload/image, /prompt, /history/<id>, /view, /interrupt. Every request has a
 * timeout and follows the caller's AbortSignal; failures become one-line S2VErrors that
 * name the server by scheme://host:port only (never credentials in its URL or headers).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S2VError, cancelledError } from '../../engine/index.js';
import { redactUrl } from '../redact.js';

export interface ComfyServer {
  url: string;
  /** Extra header for servers behind an auth proxy, e.g. { name: 'Authorization', value: 'Bearer …' }. */
  authHeader?: { name: string; value: string };
}

/** ComfyUI's 400 body for a prompt it will not run. */
export interface PromptRejection {
  error: { type: string; message: string; details: string; extra_info?: unknown };
  node_errors: Record<string, { errors: Array<{ type: string; message: string; details: string; extra_info?: { input_name?: string } }>; dependent_outputs: string[]; class_type: string }>;
}

export type ApiPrompt = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }>;

export interface HistoryItem {
  outputs: Record<string, Record<string, unknown>>;
  status?: { status_str: string; completed: boolean; messages: Array<[string, Record<string, unknown>]> };
}

export class ComfyApi {
  readonly label: string;
  /** The URL without user info; user:password@ in S2V_COMFYUI_URL becomes HTTP Basic auth (fetch refuses URLs with credentials). */
  private readonly base: string;
  private readonly headers: Array<[string, string]> = [];

  constructor(readonly server: ComfyServer, private readonly timeoutMs = 30_000) {
    this.label = redactUrl(server.url);
    const u = new URL(server.url);
    if (u.username || u.password) this.headers.push(['authorization', `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`]);
    u.username = '';
    u.password = '';
    this.base = u.toString().endsWith('/') ? u.toString() : `${u.toString()}/`;
    if (server.authHeader) this.headers.push([server.authHeader.name, server.authHeader.value]);
  }

  /** Headers every request and the WebSocket carry (auth); never logged. */
  authHeaders(): Record<string, string> {
    return Object.fromEntries(this.headers);
  }

  private endpoint(p: string): string {
    return new URL(p.replace(/^\//, ''), this.base).toString();
  }

  private async request(p: string, init: RequestInit & { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Response> {
    if (init.signal?.aborted) throw cancelledError(this.label);
    const timeout = AbortSignal.timeout(init.timeoutMs ?? this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const headers = new Headers(init.headers);
    for (const [k, v] of this.headers) headers.set(k, v);
    try {
      return await fetch(this.endpoint(p), { ...init, headers, signal });
    } catch (e) {
      if (init.signal?.aborted) throw cancelledError(this.label);
      const why = timeout.aborted ? `no answer within ${Math.round((init.timeoutMs ?? this.timeoutMs) / 1000)} s` : ((e as { cause?: { code?: string } }).cause?.code ?? 'connection failed');
      throw new S2VError('E131', `ComfyUI server cannot be reached (${why})`, { where: this.label, hint: 'is ComfyUI running there? check S2V_COMFYUI_URL', exitCode: 1 });
    }
  }

  private async json<T>(p: string, init: Parameters<ComfyApi['request']>[1] = {}): Promise<T> {
    const res = await this.request(p, init);
    if (res.status === 401 || res.status === 403) throw new S2VError('E132', `ComfyUI server refused the request (HTTP ${res.status})`, { where: this.label, hint: 'check the auth header setting (S2V_COMFYUI_AUTH_HEADER)', exitCode: 2 });
    if (!res.ok) throw new S2VError('E131', `ComfyUI ${init.method ?? 'GET'} ${p.split('?')[0]} answered HTTP ${res.status}`, { where: this.label, exitCode: 1 });
    return (await res.json()) as T;
  }

  systemStats(signal?: AbortSignal): Promise<{ system?: { comfyui_version?: string } }> {
    return this.json('/system_stats', { signal, timeoutMs: 5000 });
  }

  objectInfo(signal?: AbortSignal): Promise<Record<string, { input?: { required?: Record<string, unknown[]>; optional?: Record<string, unknown[]> }; output?: string[] }>> {
    return this.json('/object_info', { signal });
  }

  /** Files in one model folder; an unknown folder (older server) is an empty list. */
  async models(folder: string, signal?: AbortSignal): Promise<string[]> {
    const res = await this.request(`/models/${encodeURIComponent(folder)}`, { signal });
    if (res.status === 404) return [];
    if (!res.ok) throw new S2VError('E131', `ComfyUI GET /models/${folder} answered HTTP ${res.status}`, { where: this.label, exitCode: 1 });
    return (await res.json()) as string[];
  }

  async queueLength(signal?: AbortSignal): Promise<number> {
    const q = await this.json<{ queue_running: unknown[]; queue_pending: unknown[] }>('/queue', { signal, timeoutMs: 5000 });
    return q.queue_running.length + q.queue_pending.length;
  }

  /** Upload a file into the server's input folder under `name` (POST /upload/image also takes audio). */
  async upload(file: string, name: string, signal?: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([await fsp.readFile(file)]), name);
    form.append('overwrite', 'true');
    form.append('type', 'input');
    const r = await this.json<{ name: string; subfolder: string }>('/upload/image', { method: 'POST', body: form, signal, timeoutMs: 10 * 60_000 });
    return r.subfolder ? `${r.subfolder}/${r.name}` : r.name;
  }

  /** Queue a prompt. A 400 is returned (not thrown) so the caller can map node_errors onto its node. */
  async queuePrompt(prompt: ApiPrompt, clientId: string, signal?: AbortSignal): Promise<{ promptId: string } | { rejected: PromptRejection }> {
    const res = await this.request('/prompt', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, client_id: clientId }), signal });
    if (res.status === 400) return { rejected: (await res.json()) as PromptRejection };
    if (!res.ok) throw new S2VError('E131', `ComfyUI POST /prompt answered HTTP ${res.status}`, { where: this.label, exitCode: 1 });
    const body = (await res.json()) as { prompt_id: string };
    return { promptId: body.prompt_id };
  }

  async history(promptId: string, signal?: AbortSignal): Promise<HistoryItem | undefined> {
    const all = await this.json<Record<string, HistoryItem>>(`/history/${encodeURIComponent(promptId)}`, { signal });
    return all[promptId];
  }

  async interrupt(promptId: string): Promise<void> {
    await this.request('/interrupt', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt_id: promptId }), timeoutMs: 5000 });
  }

  /** Remove a prompt that has not started yet from the queue. */
  async deleteQueued(promptId: string): Promise<void> {
    await this.request('/queue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delete: [promptId] }), timeoutMs: 5000 });
  }

  /** Download an output file (GET /view) to `dest` (temp file, then rename). */
  async download(file: { filename: string; subfolder?: string; type?: string }, dest: string, signal?: AbortSignal): Promise<void> {
    const q = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder ?? '', type: file.type ?? 'output' });
    const res = await this.request(`/view?${q}`, { signal, timeoutMs: 10 * 60_000 });
    if (!res.ok || !res.body) throw new S2VError('E136', `ComfyUI could not serve its output ${file.filename} (HTTP ${res.status})`, { where: this.label, exitCode: 1 });
    const temp = path.join(path.dirname(dest), `.${path.basename(dest)}.part`);
    try {
      await pipeline(Readable.fromWeb(res.body as never), fs.createWriteStream(temp));
      await fsp.rename(temp, dest);
    } catch (e) {
      await fsp.rm(temp, { force: true });
      if (signal?.aborted) throw cancelledError(this.label);
      throw e instanceof S2VError ? e : new S2VError('E131', `download of ${file.filename} was cut off`, { where: this.label, exitCode: 1 });
    }
  }

  /** ws(s)://host/ws?clientId=… for the event stream. */
  socketUrl(clientId: string): string {
    const u = new URL(this.endpoint('/ws'));
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('clientId', clientId);
    return u.toString();
  }
}
