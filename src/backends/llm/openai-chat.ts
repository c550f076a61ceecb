/**
 * The LLM service: any OpenAI-compatible chat endpoint (llama.cpp server, Ollama, LM Studio,
 * vLLM). One POST to {url}/v1/chat/completions, bounded by a timeout combined with the run's
 * AbortSignal so it can never hang. Every failure is returned as a reason string (the node
 * then falls back to its built-in behaviour); only a user cancel is thrown.
 */
import { cancelledError, isHttpUrl, type ChatRequest, type ChatResult, type LlmService } from '../../engine/index.js';
import { redactUrl } from '../redact.js';

/** `http://host:8080`, `http://host:8080/`, or `http://host:8080/v1` → the completions URL. */
export function completionsUrl(base: string): string {
  const trimmed = base.trim().replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? `${trimmed}/chat/completions` : `${trimmed}/v1/chat/completions`;
}

export async function chat(req: ChatRequest): Promise<ChatResult> {
  // fetch() also speaks data: (and may grow file:); a server address is only ever http(s).
  if (!isHttpUrl(req.url)) return { ok: false, reason: `${req.url} is not an http:// or https:// URL` };
  // A user:password@ or ?token= in the address must not reach a warning (see redact.ts).
  const shown = redactUrl(req.url.trim());
  const timeout = AbortSignal.timeout(Math.max(0.05, req.timeoutSec) * 1000);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const body = {
    model: req.model || 'default',
    temperature: req.temperature ?? 0.7,
    seed: req.seed,
    max_tokens: req.maxTokens ?? 300,
    messages: req.messages,
  };
  let res: Response;
  let raw: string;
  try {
    res = await fetch(completionsUrl(req.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    raw = await res.text();
  } catch (e) {
    if (req.signal?.aborted) throw cancelledError(req.where);
    if (timeout.aborted) return { ok: false, reason: `no answer within ${req.timeoutSec} s` };
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    // fetch quotes the whole address in some errors (e.g. one with user:password@).
    const why = (cause?.code ?? cause?.message ?? (e as Error).message).replace(/\b[a-z][\w+.-]*:\/\/\S+/gi, (u) => redactUrl(u));
    return { ok: false, reason: `cannot reach ${shown} (${why})` };
  }
  if (!res.ok) return { ok: false, reason: `HTTP ${res.status} from ${shown}` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: `reply from ${shown} is not JSON` };
  }
  const content = (json as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || !content.trim()) return { ok: false, reason: `reply from ${shown} has no choices[0].message.content` };
  return { ok: true, text: content.trim() };
}

export function createLlmService(): LlmService {
  return { chat };
}
