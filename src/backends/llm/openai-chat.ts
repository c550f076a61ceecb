/**
 * Optional LLM backend: any OpenAI-compatible chat endpoint (llama.cpp server, Ollama, LM
 * Studio, vLLM). One POST to {url}/v1/chat/completions, bounded by a timeout combined with
 * the run's AbortSignal so it can never hang. Every failure is returned as a reason string
 * (the node then falls back to the built-in expander); only a user cancel is thrown.
 */
import { cancelledError } from '../../engine/errors.js';

export interface LlmRequest {
  url: string;
  model: string;
  subject: string;
  /** Extra guidance from the audio, e.g. "the music is calm and dark". */
  mood?: string;
  seed: number;
  timeoutSec: number;
  signal?: AbortSignal;
}

export type LlmResult = { ok: true; text: string } | { ok: false; reason: string };

export const SYSTEM_PROMPT =
  'You are a cinematographer writing one prompt for a video model. Rewrite the user idea as a single vivid paragraph (under 80 words). ' +
  'Keep every subject word the user wrote, verbatim. Add shot type, lens, camera movement, lighting, colour grade and atmosphere. ' +
  'Describe only what is seen; never mention music, beats, rhythm or timing. Reply with the prompt only.';

/** `http://host:8080`, `http://host:8080/`, or `http://host:8080/v1` → the completions URL. */
export function completionsUrl(base: string): string {
  const trimmed = base.trim().replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? `${trimmed}/chat/completions` : `${trimmed}/v1/chat/completions`;
}

/** True for an absolute http(s) URL: the only kind askLlm will fetch (never file:, data:, …). */
export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url.trim());
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export async function askLlm(req: LlmRequest): Promise<LlmResult> {
  // fetch() also speaks data: (and may grow file:); a server address is only ever http(s).
  if (!isHttpUrl(req.url)) return { ok: false, reason: `${req.url} is not an http:// or https:// URL` };
  const timeout = AbortSignal.timeout(Math.max(0.05, req.timeoutSec) * 1000);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const body = {
    model: req.model || 'default',
    temperature: 0.7,
    seed: req.seed,
    max_tokens: 300,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: req.mood ? `${req.subject}\n(The music is ${req.mood}; let the look match it.)` : req.subject },
    ],
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
    if (req.signal?.aborted) throw cancelledError('screenwriter');
    if (timeout.aborted) return { ok: false, reason: `no answer within ${req.timeoutSec} s` };
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, reason: `cannot reach ${req.url} (${cause?.code ?? cause?.message ?? (e as Error).message})` };
  }
  if (!res.ok) return { ok: false, reason: `HTTP ${res.status} from ${req.url}` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: `reply from ${req.url} is not JSON` };
  }
  const content = (json as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || !content.trim()) return { ok: false, reason: `reply from ${req.url} has no choices[0].message.content` };
  // Some models wrap the answer in quotes or a "Prompt:" label.
  const text = content.trim().replace(/^(prompt|scene)\s*:\s*/i, '').replace(/^"([\s\S]*)"$/, '$1').trim();
  return { ok: true, text };
}
