/**
 * STAND-IN for a ComfyUI server — NOT ComfyUI. A loopback HTTP + WebSocket server on
 * 127.0.0.1 that behaves like the exchanges recorded from real ComfyUI v0.8.2 servers in
 * ../shared/comfyui-protocol: the same routes, validation against the recorded class specs
 * (comfyui-classes.ts) with the same 400 bodies, the same WebSocket event order and payload
 * shapes, execution_error / execution_interrupted, /history and /view. Instead of running a
 * model it "generates" the video with ffmpeg (the uploaded image, gently zooming, with the
 * uploaded audio) at the size, length and fps the prompt asks for, so the client has a real
 * file to download and normalise. Knobs inject the failures a real server shows (a model file
 * that cannot be loaded, a dropped WebSocket, a server that dies mid-run, slow sampling).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FFMPEG } from './ffmpeg.js';
import { CLASSES, objectInfoOf, type ClassSpec, type InputSpec } from './comfyui-classes.js';

type ApiNode = { class_type: string; inputs: Record<string, unknown>; _meta?: unknown };
type ApiPrompt = Record<string, ApiNode>;

export interface StandinOptions {
  /** Model files present per folder, e.g. { vae: ['wan_2.1_vae.safetensors'] }. */
  models?: Record<string, string[]>;
  /** Classes this server has (default: every class in comfyui-classes.ts). */
  classes?: string[];
  /** Model files that are present but cannot be loaded (zero-byte placeholders): execution_error at their loader. */
  unloadable?: string[];
  /** Milliseconds per sampler step (default 5). */
  stepMs?: number;
  /** Close every WebSocket once, at this sampler step of the first run. */
  dropSocketsAtStep?: number;
  /** Stop the whole server (HTTP + WebSocket) at this sampler step of the first run. */
  dieAtStep?: number;
  /** Header every request must carry (name: value); others get 401. */
  requireHeader?: { name: string; value: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body?: unknown;
}

interface HistoryEntry {
  prompt: [number, string, ApiPrompt, Record<string, unknown>, string[]];
  outputs: Record<string, unknown>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: Array<[string, Record<string, unknown>]> };
  meta: Record<string, unknown>;
}

const now = () => Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Minimal multipart/form-data parser: field name → { filename?, data }. */
function parseMultipart(body: Buffer, contentType: string): Map<string, { filename?: string; data: Buffer }> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const out = new Map<string, { filename?: string; data: Buffer }>();
  if (!m) return out;
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const headers = body.subarray(start, headerEnd).toString();
    const next = body.indexOf(boundary, headerEnd);
    const data = body.subarray(headerEnd + 4, next - 2);
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (name) out.set(name, { filename, data });
    pos = next;
  }
  return out;
}

export class ComfyStandin {
  readonly requests: RecordedRequest[] = [];
  readonly prompts: ApiPrompt[] = [];
  private server?: http.Server;
  private wss?: WebSocketServer;
  private sockets = new Map<WebSocket, string>();
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-comfy-standin-'));
  private readonly history = new Map<string, HistoryEntry>();
  private queue: Array<{ id: string; number: number; prompt: ApiPrompt; clientId: string }> = [];
  private running?: { id: string; interrupted: boolean };
  private number = 0;
  private runs = 0;
  private outputCounter = 0;
  private lastPromptKey?: string;
  private lastOutputs?: Record<string, unknown>;
  private busy = Promise.resolve();
  url = '';

  constructor(readonly opts: StandinOptions = {}) {
    fs.mkdirSync(path.join(this.root, 'input'));
    fs.mkdirSync(path.join(this.root, 'output'));
  }

  get classes(): Record<string, ClassSpec> {
    const names = this.opts.classes ?? Object.keys(CLASSES);
    return Object.fromEntries(names.filter((n) => CLASSES[n]).map((n) => [n, CLASSES[n]!]));
  }

  private folder = (f: string) => [...(this.opts.models?.[f] ?? [])].sort();
  private uploads = (kind: 'image' | 'audio') =>
    fs.readdirSync(path.join(this.root, 'input')).filter((n) => (kind === 'audio' ? /\.(wav|mp3|flac|ogg|m4a|aac|opus)$/i : /\.(png|jpe?g|webp|gif|bmp)$/i).test(n)).sort();

  objectInfo(): Record<string, unknown> {
    const lists = { folder: this.folder, uploads: this.uploads };
    return Object.fromEntries(Object.entries(this.classes).map(([n, s]) => [n, objectInfoOf(n, s, lists)]));
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res).catch((e) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname !== '/ws' || !this.authorised(req)) return socket.destroy();
      this.wss!.handleUpgrade(req, socket, head, (ws) => {
        const sid = u.searchParams.get('clientId') ?? randomUUID().replace(/-/g, '');
        this.sockets.set(ws, sid);
        ws.on('close', () => this.sockets.delete(ws));
        ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: this.queue.length + (this.running ? 1 : 0) } }, sid } }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Stop serving at once: open sockets are cut, as when the machine goes away. */
  async stop(): Promise<void> {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private authorised(req: http.IncomingMessage): boolean {
    const need = this.opts.requireHeader;
    return !need || req.headers[need.name.toLowerCase()] === need.value;
  }

  private broadcast(type: string, data: Record<string, unknown>, clientId?: string): void {
    const msg = JSON.stringify({ type, data });
    for (const [ws, sid] of this.sockets) if (!clientId || sid === clientId) ws.send(msg);
  }

  private queueStatus(): void {
    this.broadcast('status', { status: { exec_info: { queue_remaining: this.queue.length + (this.running ? 1 : 0) } } });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const p = u.pathname.replace(/^\/api(?=\/)/, '');
    const raw = req.method === 'POST' ? await buffer(req) : undefined;
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    let body: unknown;
    try {
      body = raw && isJson && raw.length ? JSON.parse(raw.toString()) : undefined;
    } catch {
      body = undefined;
    }
    this.requests.push({ method: req.method ?? 'GET', path: p + u.search, headers: req.headers, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(value));
    };
    if (!this.authorised(req)) return json(401, { error: 'unauthorised' });
    const route = `${req.method} ${p}`;
    if (route === 'GET /system_stats') return json(200, { system: { os: 'posix', comfyui_version: '0.8.2 (stand-in)', python_version: '3.12', embedded_python: false }, devices: [] });
    if (route === 'GET /object_info') return json(200, this.objectInfo());
    if (req.method === 'GET' && p.startsWith('/object_info/')) {
      const name = decodeURIComponent(p.slice('/object_info/'.length));
      const info = this.objectInfo()[name];
      return json(200, info ? { [name]: info } : {});
    }
    if (route === 'GET /models') return json(200, ['checkpoints', 'loras', 'vae', 'text_encoders', 'diffusion_models', 'audio_encoders', 'latent_upscale_models']);
    if (req.method === 'GET' && p.startsWith('/models/')) {
      const folder = p.slice('/models/'.length);
      if (!['checkpoints', 'loras', 'vae', 'text_encoders', 'diffusion_models', 'audio_encoders', 'latent_upscale_models'].includes(folder)) return json(404, null);
      return json(200, this.folder(folder));
    }
    if (route === 'GET /queue') {
      return json(200, {
        queue_running: this.running ? [[0, this.running.id, {}, {}, []]] : [],
        queue_pending: this.queue.map((q) => [q.number, q.id, q.prompt, { client_id: q.clientId }, []]),
      });
    }
    if (route === 'POST /queue') {
      const del = (body as { delete?: string[] } | undefined)?.delete ?? [];
      this.queue = this.queue.filter((q) => !del.includes(q.id));
      res.writeHead(200).end();
      return;
    }
    if (route === 'POST /upload/image') {
      const parts = parseMultipart(raw ?? Buffer.alloc(0), req.headers['content-type'] ?? '');
      const file = parts.get('image');
      if (!file?.filename) return json(400, null);
      const name = path.basename(file.filename);
      fs.writeFileSync(path.join(this.root, 'input', name), file.data);
      return json(200, { name, subfolder: '', type: 'input' });
    }
    if (route === 'POST /prompt') return this.postPrompt(body, json);
    if (req.method === 'GET' && p.startsWith('/history/')) {
      const id = p.slice('/history/'.length);
      const h = this.history.get(id);
      return json(200, h ? { [id]: h } : {});
    }
    if (route === 'GET /view') {
      const type = u.searchParams.get('type') ?? 'output';
      const file = path.join(this.root, type === 'input' ? 'input' : 'output', u.searchParams.get('subfolder') ?? '', path.basename(u.searchParams.get('filename') ?? ''));
      if (!fs.existsSync(file)) {
        res.writeHead(404, { 'content-type': 'application/octet-stream' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.endsWith('.mp4') ? 'video/mp4' : 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    if (route === 'POST /interrupt') {
      const id = (body as { prompt_id?: string } | undefined)?.prompt_id;
      if (this.running && (!id || id === this.running.id)) this.running.interrupted = true;
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end();
      return;
    }
    json(404, null);
  }

  private postPrompt(body: unknown, json: (s: number, v: unknown) => void): void {
    const b = body as { prompt?: ApiPrompt; client_id?: string } | undefined;
    const err = (type: string, message: string, details: string, node_errors: Record<string, unknown> = {}) =>
      json(400, { error: { type, message, details, extra_info: {} }, node_errors });
    if (!b?.prompt) return err('no_prompt', 'No prompt provided', 'No prompt provided');
    const prompt = b.prompt;
    const classes = this.classes;
    for (const [id, node] of Object.entries(prompt)) {
      if (!node?.class_type || !classes[node.class_type]) {
        return err('invalid_prompt', `Cannot execute because node ${node?.class_type} does not exist.`, `Node ID '#${id}'`);
      }
    }
    const outputs = Object.keys(prompt).filter((id) => classes[prompt[id]!.class_type]!.outputNode);
    if (!outputs.length) return err('prompt_no_outputs', 'Prompt has no outputs', '');
    const nodeErrors: Record<string, { errors: unknown[]; dependent_outputs: string[]; class_type: string }> = {};
    for (const out of outputs) {
      for (const id of this.upstream(prompt, out)) {
        const errors = this.validateNode(prompt, id);
        if (!errors.length) continue;
        nodeErrors[id] ??= { errors, dependent_outputs: [], class_type: prompt[id]!.class_type };
        nodeErrors[id]!.dependent_outputs.push(out);
      }
    }
    if (Object.keys(nodeErrors).length) return err('prompt_outputs_failed_validation', 'Prompt outputs failed validation', '', nodeErrors);
    const id = randomUUID();
    const number = this.number++;
    this.prompts.push(prompt);
    this.queue.push({ id, number, prompt, clientId: b.client_id ?? '' });
    json(200, { prompt_id: id, number, node_errors: {} });
    this.queueStatus();
    this.busy = this.busy.then(() => this.execute(id));
  }

  /** Every node an output depends on (itself included), each once. */
  private upstream(prompt: ApiPrompt, id: string, seen = new Set<string>()): string[] {
    if (seen.has(id) || !prompt[id]) return [];
    seen.add(id);
    const out = [id];
    for (const v of Object.values(prompt[id]!.inputs)) if (Array.isArray(v) && typeof v[0] === 'string') out.push(...this.upstream(prompt, v[0], seen));
    return out;
  }

  private validateNode(prompt: ApiPrompt, id: string): unknown[] {
    const node = prompt[id]!;
    const spec = this.classes[node.class_type]!;
    const errors: unknown[] = [];
    const lists = { folder: this.folder, uploads: this.uploads };
    const check = (name: string, s: InputSpec, required: boolean) => {
      const v = node.inputs[name];
      const config = (objectInfoOf(node.class_type, spec, lists).input as Record<string, Record<string, unknown>>)[required ? 'required' : 'optional']![name];
      if (v === undefined) {
        if (required) errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
        return;
      }
      if (Array.isArray(v)) {
        const [from, slot] = v as [string, number];
        const src = prompt[from];
        const srcType = src && this.classes[src.class_type]?.outputs[slot];
        if (!src || srcType === undefined) {
          errors.push({ type: 'bad_linked_input', message: 'Bad linked input, must be a length-2 list of [string, int]', details: `${name}, ${JSON.stringify(v)}`, extra_info: { input_name: name, input_config: config, received_value: v } });
        } else if ('link' in s ? srcType !== s.link : !['INT', 'FLOAT', 'STRING', 'BOOLEAN'].includes(srcType)) {
          errors.push({ type: 'return_type_mismatch', message: 'Return type mismatch between linked nodes', details: `${name}, received_type(${srcType}) mismatch input_type(${'link' in s ? s.link : '*'})`, extra_info: { input_name: name, input_config: config, received_type: srcType, linked_node: v } });
        }
        return;
      }
      const range = (o: { min?: number; max?: number }) => {
        const n = Number(v);
        if (typeof v !== 'number' && Number.isNaN(n)) errors.push({ type: 'invalid_input_type', message: `Failed to convert an input value to a ${'int' in s ? 'INT' : 'FLOAT'} value`, details: `${name}, ${String(v)}`, extra_info: { input_name: name, input_config: config, received_value: v } });
        else if (o.min !== undefined && n < o.min) errors.push({ type: 'value_smaller_than_min', message: `Value ${n} smaller than min of ${o.min}`, details: name, extra_info: { input_name: name, input_config: config, received_value: v } });
        else if (o.max !== undefined && n > o.max) errors.push({ type: 'value_bigger_than_max', message: `Value ${n} bigger than max of ${o.max}`, details: name, extra_info: { input_name: name, input_config: config, received_value: v } });
      };
      if ('int' in s) return range(s.int);
      if ('float' in s) return range(s.float);
      const options = 'combo' in s ? s.combo : 'folder' in s ? [...this.folder(s.folder), ...(s.extra ?? [])] : 'uploads' in s ? this.uploads(s.uploads) : undefined;
      if (!options) return;
      if ('uploads' in s && s.uploads === 'image') {
        if (!options.includes(String(v))) errors.push({ type: 'custom_validation_failed', message: 'Custom validation failed for node', details: `${name} - Invalid image file: ${String(v)}`, extra_info: { input_name: name } });
        return;
      }
      if (!options.includes(String(v))) {
        const list = options.length > 20 ? `(list of length ${options.length})` : `[${options.map((o) => `'${o}'`).join(', ')}]`;
        errors.push({ type: 'value_not_in_list', message: 'Value not in list', details: `${name}: '${String(v)}' not in ${list}`, extra_info: { input_name: name, input_config: config, received_value: v } });
      }
    };
    for (const [name, s] of Object.entries(spec.required)) check(name, s, true);
    for (const [name, s] of Object.entries(spec.optional ?? {})) check(name, s, false);
    return errors;
  }

  /** Nodes in the order ComfyUI runs them: dependencies first (a stable topological order). */
  private order(prompt: ApiPrompt): string[] {
    const done = new Set<string>();
    const out: string[] = [];
    const visit = (id: string) => {
      if (done.has(id)) return;
      done.add(id);
      for (const v of Object.values(prompt[id]!.inputs)) if (Array.isArray(v) && typeof v[0] === 'string' && prompt[v[0]]) visit(v[0]);
      out.push(id);
    };
    for (const id of Object.keys(prompt)) if (this.classes[prompt[id]!.class_type]?.outputNode) visit(id);
    return out;
  }

  /** A literal input, following PrimitiveInt/PrimitiveFloat links as ComfyUI does when it runs them. */
  private value(prompt: ApiPrompt, id: string, name: string): unknown {
    const v = prompt[id]!.inputs[name];
    if (Array.isArray(v) && typeof v[0] === 'string') {
      const src = prompt[v[0]];
      if (src && /^Primitive/.test(src.class_type)) return src.inputs.value;
      return undefined;
    }
    return v;
  }

  private async execute(id: string): Promise<void> {
    const item = this.queue.find((q) => q.id === id);
    if (!item) return; // deleted from the queue before it ran
    this.queue = this.queue.filter((q) => q.id !== id);
    this.running = { id, interrupted: false };
    const run = this.runs++;
    const { prompt, clientId } = item;
    const messages: HistoryEntry['status']['messages'] = [];
    const send = (type: string, data: Record<string, unknown>, keep = false) => {
      if (keep) messages.push([type, data]);
      this.broadcast(type, data, clientId);
    };
    const entry: HistoryEntry = {
      prompt: [item.number, id, prompt, { client_id: clientId, create_time: now() }, Object.keys(prompt).filter((n) => this.classes[prompt[n]!.class_type]?.outputNode)],
      outputs: {},
      status: { status_str: 'success', completed: false, messages },
      meta: {},
    };
    const order = this.order(prompt);
    const key = JSON.stringify(prompt);
    send('execution_start', { prompt_id: id, timestamp: now() }, true);
    // The same prompt again: every node is cached and the outputs are replayed (recorded A2_cached).
    if (key === this.lastPromptKey && this.lastOutputs) {
      send('execution_cached', { nodes: order, prompt_id: id, timestamp: now() }, true);
      for (const [node, output] of Object.entries(this.lastOutputs)) send('executed', { node, display_node: node, output, prompt_id: id });
      entry.outputs = this.lastOutputs;
      return this.finish(id, entry, send);
    }
    send('execution_cached', { nodes: [], prompt_id: id, timestamp: now() }, true);
    const states: Record<string, Record<string, unknown>> = {};
    const progressState = (node: string, value: number, max: number, state: 'running' | 'finished') => {
      states[node] = { value, max, state, node_id: node, prompt_id: id, display_node_id: node, parent_node_id: null, real_node_id: node };
      send('progress_state', { prompt_id: id, nodes: { ...states } });
    };
    const executed: string[] = [];
    try {
      for (const node of order) {
        const cls = prompt[node]!.class_type;
        if (this.running.interrupted) throw Object.assign(new Error('interrupted'), { node, cls });
        progressState(node, 0, 1, 'running');
        send('executing', { node, display_node: node, prompt_id: id });
        const spec = this.classes[cls]!;
        for (const [input, s] of Object.entries(spec.required)) {
          const file = prompt[node]!.inputs[input];
          if ('folder' in s && this.opts.unloadable?.includes(String(file))) {
            send('execution_error', {
              prompt_id: id, node_id: node, node_type: cls, executed: [...executed],
              exception_message: 'Error while deserializing header: HeaderTooSmall\n', exception_type: 'safetensors_rust.SafetensorError',
              traceback: ['  File "<comfyui>/execution.py", line 518, in execute\n', '  File "<comfyui>/comfy/utils.py", line 64, in load_torch_file\n'],
              current_inputs: { [input]: [file] }, current_outputs: order, timestamp: now(),
            }, true);
            entry.status.status_str = 'error';
            return this.finish(id, entry, send);
          }
        }
        if (cls === 'KSampler') {
          const steps = Number(this.value(prompt, node, 'steps') ?? 20);
          for (let step = 1; step <= steps; step++) {
            await sleep(this.opts.stepMs ?? 5);
            if (run === 0 && this.opts.dieAtStep === step) {
              await this.stop();
              return;
            }
            if (run === 0 && this.opts.dropSocketsAtStep === step) for (const ws of this.sockets.keys()) ws.terminate();
            if (this.running.interrupted) throw Object.assign(new Error('interrupted'), { node, cls });
            send('progress', { value: step, max: steps, prompt_id: id, node });
            progressState(node, step, steps, 'running');
          }
        }
        if (cls === 'SaveVideo') {
          const output = await this.renderVideo(prompt, node);
          entry.outputs[node] = output;
          send('executed', { node, display_node: node, output, prompt_id: id });
        }
        progressState(node, 1, 1, 'finished');
        executed.push(node);
      }
      this.lastPromptKey = key;
      this.lastOutputs = entry.outputs;
    } catch (e) {
      const where = e as { node?: string; cls?: string };
      if (!where.node) throw e;
      send('execution_interrupted', { prompt_id: id, node_id: where.node, node_type: where.cls, executed: [...executed].reverse(), timestamp: now() }, true);
      entry.status.status_str = 'error';
    }
    this.finish(id, entry, send);
  }

  private finish(id: string, entry: HistoryEntry, send: (t: string, d: Record<string, unknown>, keep?: boolean) => void): void {
    if (entry.status.status_str === 'success') send('execution_success', { prompt_id: id, timestamp: now() }, true);
    entry.status.completed = entry.status.status_str === 'success';
    for (const node of Object.keys(entry.outputs)) entry.meta[node] = { node_id: node, display_node: node, parent_node: null, real_node_id: node };
    this.history.set(id, entry);
    send('executing', { node: null, prompt_id: id });
    this.running = undefined;
    this.queueStatus();
  }

  /** The "generation": the reference image (or a test pattern) zooming slowly, with the prompt's audio, at the requested size, length and fps. */
  private async renderVideo(prompt: ApiPrompt, saveNode: string): Promise<Record<string, unknown>> {
    const find = (cls: string) => Object.keys(prompt).filter((n) => prompt[n]!.class_type === cls);
    const wan = find('WanSoundImageToVideo')[0];
    const ltx = find('EmptyLTXVLatentVideo')[0];
    const sizeNode = wan ?? ltx;
    const width = Number(sizeNode ? this.value(prompt, sizeNode, 'width') : 512);
    const height = Number(sizeNode ? this.value(prompt, sizeNode, 'height') : 512);
    let frames = Number(sizeNode ? this.value(prompt, sizeNode, 'length') : 25);
    for (const ext of find('WanSoundImageToVideoExtend')) frames += Number(this.value(prompt, ext, 'length'));
    const create = find('CreateVideo')[0];
    const fps = Number(create ? this.value(prompt, create, 'fps') : 16);
    const seeds = find('KSampler').map((n) => Number(this.value(prompt, n, 'seed') ?? 0));
    const image = find('LoadImage')[0];
    const audio = find('LoadAudio')[0];
    const input = (n: string, k: string) => path.join(this.root, 'input', String(prompt[n]!.inputs[k]));
    const prefix = String(prompt[saveNode]!.inputs.filename_prefix ?? 'video/ComfyUI');
    const subfolder = path.dirname(prefix) === '.' ? '' : path.dirname(prefix);
    const filename = `${path.basename(prefix)}_${String(++this.outputCounter).padStart(5, '0')}_.mp4`;
    fs.mkdirSync(path.join(this.root, 'output', subfolder), { recursive: true });
    const hue = (seeds[0] ?? 0) % 360;
    const source = image ? ['-loop', '1', '-framerate', String(fps), '-i', input(image, 'image')] : ['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`];
    const sound = audio ? ['-i', input(audio, 'audio')] : ['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo'];
    const vf = `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},zoompan=z='1+0.004*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=${width}x${height}:fps=${fps},hue=h=${hue},format=yuv420p`;
    await new Promise<void>((resolve, reject) =>
      execFile(FFMPEG, ['-hide_banner', '-loglevel', 'error', ...source, ...sound, '-vf', vf, '-map', '0:v', '-map', '1:a', '-frames:v', String(frames), '-t', String(frames / fps), '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-y', path.join(this.root, 'output', subfolder, filename)], (e) => (e ? reject(e) : resolve())),
    );
    return { images: [{ filename, subfolder, type: 'output' }], animated: [true] };
  }
}
