/**
 * Following one prompt on ComfyUI's /ws event stream. The socket is opened before the prompt
 * is queued (so no event is missed) and reconnected with backoff when it drops; after each
 * reconnect /history tells whether the prompt finished meanwhile. Progress comes from
 * `executing` (node done), `progress` / `progress_state` (sampler steps). The run ends on
 * `execution_success`, `execution_error` (→ E136 naming the node and the server's message),
 * `execution_interrupted`, the caller's cancel (→ POST /interrupt), a timeout (→ interrupt,
 * E135) or a server that does not come back (E131).
 */
import type WebSocket from 'ws';
import { S2VError, cancelledError } from '../../engine/index.js';
import { scrub } from '../redact.js';
import type { ApiPrompt, ComfyApi, HistoryItem } from './api.js';

const RECONNECT_DELAYS_MS = [200, 500, 1000, 2000, 4000];

export interface WatchOptions {
  prompt: ApiPrompt;
  signal: AbortSignal;
  timeoutMs: number;
  onProgress(fraction: number, message?: string): void;
  /** Secrets to scrub from server messages quoted in errors. */
  secrets: string[];
}

interface Message {
  type: string;
  data: Record<string, unknown>;
}

export class PromptWatcher {
  private ws?: WebSocket;
  private closed = false;
  private listener?: (m: Message) => void;
  private onDrop?: () => void;
  private backlog: Message[] = [];

  private constructor(private readonly api: ComfyApi, readonly clientId: string) {}

  /** Connect before queueing anything. */
  static async open(api: ComfyApi, clientId: string, signal: AbortSignal): Promise<PromptWatcher> {
    const w = new PromptWatcher(api, clientId);
    await w.connect(signal);
    return w;
  }

  private async connect(signal?: AbortSignal): Promise<void> {
    // Loaded on first use: commands that never talk to ComfyUI do not pay for it (see cli-lazy-load.test.ts).
    const { default: Socket } = await import('ws');
    return new Promise((resolve, reject) => {
      const headers = this.api.authHeaders();
      const ws = new Socket(this.api.socketUrl(this.clientId), { headers, handshakeTimeout: 10_000 });
      const fail = () => reject(new S2VError('E131', 'ComfyUI event stream (/ws) cannot be opened', { where: this.api.label, exitCode: 1 }));
      const onAbort = () => {
        ws.terminate();
        reject(cancelledError(this.api.label));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => {
        signal?.removeEventListener('abort', onAbort);
        ws.off('error', fail);
        ws.on('error', () => undefined);
        this.ws = ws;
        resolve();
      });
      ws.once('error', fail);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return; // preview images; we do not use them
        let m: Message;
        try {
          m = JSON.parse(String(data)) as Message;
        } catch {
          return;
        }
        if (this.listener) this.listener(m);
        else this.backlog.push(m);
      });
      ws.on('close', () => {
        if (this.ws === ws && !this.closed) this.onDrop?.();
      });
    });
  }

  close(): void {
    this.closed = true;
    this.ws?.terminate();
  }

  /** Follow `promptId` to the end; resolves with its /history entry. */
  watch(promptId: string, o: WatchOptions): Promise<HistoryItem> {
    const nodes = Object.keys(o.prompt);
    const done = new Set<string>();
    let step = { node: '', value: 0, max: 1 };
    const title = (id: string) => o.prompt[id]?._meta?.title ?? o.prompt[id]?.class_type ?? id;
    const report = () => {
      const partial = step.node && !done.has(step.node) ? step.value / Math.max(1, step.max) : 0;
      const msg = step.node && step.max > 1 && !done.has(step.node) ? `${title(step.node)} ${step.value}/${step.max}` : undefined;
      o.onProgress(Math.min(0.999, (done.size + partial) / Math.max(1, nodes.length)), msg);
    };

    return new Promise<HistoryItem>((resolve, reject) => {
      let finished = false;
      let current: string | undefined;
      const end = (e?: unknown, value?: HistoryItem) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        o.signal.removeEventListener('abort', onAbort);
        this.listener = undefined;
        this.onDrop = undefined;
        if (e) reject(e);
        else resolve(value!);
      };
      const fromHistory = async () => {
        const h = await this.api.history(promptId);
        if (!h) return false;
        const msgs = h.status?.messages ?? [];
        const bad = msgs.find(([t]) => t === 'execution_error' || t === 'execution_interrupted');
        if (bad) handle({ type: bad[0], data: bad[1] });
        else if (h.status?.completed || h.status?.status_str === 'success') end(undefined, h);
        else return false;
        return true;
      };
      const handle = (m: Message) => {
        const d = m.data ?? {};
        if (d.prompt_id !== undefined && d.prompt_id !== promptId) return;
        switch (m.type) {
          case 'executing':
            if (current && current !== d.node) done.add(current);
            current = (d.node as string | null) ?? undefined;
            if (d.node === null) void fromHistory().catch((e) => end(e));
            report();
            break;
          case 'execution_cached':
            for (const n of (d.nodes as string[]) ?? []) done.add(n);
            report();
            break;
          case 'progress':
            step = { node: String(d.node), value: Number(d.value), max: Number(d.max) };
            report();
            break;
          case 'progress_state':
            for (const [id, s] of Object.entries((d.nodes as Record<string, { state: string; value: number; max: number }>) ?? {})) {
              if (s.state === 'finished') done.add(id);
              else if (s.max > 1) step = { node: id, value: s.value, max: s.max };
            }
            report();
            break;
          case 'executed':
            done.add(String(d.node));
            report();
            break;
          case 'execution_success':
            void this.api.history(promptId).then((h) => (h ? end(undefined, h) : end(new S2VError('E136', `ComfyUI finished prompt ${promptId} but has no history for it`, { where: this.api.label, exitCode: 1 }))), (e) => end(e));
            break;
          case 'execution_error': {
            const node = String(d.node_id);
            const message = scrub(String(d.exception_message ?? 'unknown error').trim().split('\n')[0]!, o.secrets);
            const loader = /Loader/.test(String(d.node_type));
            end(new S2VError('E136', `ComfyUI ${d.node_type} (node ${node}${o.prompt[node]?._meta?.title ? ` "${o.prompt[node]!._meta!.title}"` : ''}) failed: ${message}${d.exception_type ? ` [${d.exception_type}]` : ''}`, {
              where: this.api.label,
              hint: loader ? 'the server cannot load this model file: it may be incomplete or corrupt — download it again' : undefined,
              exitCode: 1,
            }));
            break;
          }
          case 'execution_interrupted':
            end(o.signal.aborted ? cancelledError(this.api.label) : new S2VError('E136', `ComfyUI interrupted the prompt at ${d.node_type} (node ${d.node_id}); someone else pressed cancel on the server?`, { where: this.api.label, exitCode: 1 }));
            break;
        }
      };
      // The interrupt is delivered before the run is reported over, so nothing keeps spending GPU time unseen.
      const stop = (why: S2VError) => {
        clearTimeout(timer);
        void Promise.allSettled([this.api.interrupt(promptId), this.api.deleteQueued(promptId)]).then(() => end(why));
      };
      const onAbort = () => stop(cancelledError(this.api.label));
      o.signal.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => stop(new S2VError('E135', `ComfyUI prompt ran longer than ${Math.round(o.timeoutMs / 1000)} s and was interrupted`, { where: this.api.label, hint: 'raise S2V_COMFYUI_TIMEOUT_SEC or shorten the audio', exitCode: 1 })), o.timeoutMs);
      this.onDrop = () => {
        void (async () => {
          for (const delay of RECONNECT_DELAYS_MS) {
            await new Promise((r) => setTimeout(r, delay));
            if (finished) return;
            try {
              await this.connect(o.signal);
              if (await fromHistory()) return;
              return; // back on the stream; events continue
            } catch (e) {
              if (o.signal.aborted) return end(cancelledError(this.api.label));
              if ((e as S2VError).code !== 'E131') return end(e);
            }
          }
          end(new S2VError('E131', 'connection to the ComfyUI server was lost mid-run and did not come back', { where: this.api.label, hint: 'check the server; the next run resumes from the cached segments', exitCode: 1 }));
        })();
      };
      this.listener = handle;
      for (const m of this.backlog.splice(0)) handle(m);
      if (!this.ws || this.ws.readyState !== 1 /* OPEN */) this.onDrop();
    });
  }
}
