/**
 * Shape of the LLM service (implemented in src/backends/llm: any OpenAI-compatible chat server
 * such as llama.cpp, Ollama, LM Studio or vLLM). The server address comes from the node's params;
 * the service only ever fetches http(s) and never throws for a server problem.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** Server address: `http://host:8080`, with or without a trailing `/v1`. */
  url: string;
  /** Model name sent to the server; the server's default when empty. */
  model: string;
  messages: ChatMessage[];
  seed?: number;
  temperature?: number;
  maxTokens?: number;
  /** Give up after this long (combined with `signal`), so a silent server never hangs a run. */
  timeoutSec: number;
  signal?: AbortSignal;
  /** Named in the cancel error. */
  where?: string;
}

/** Every failure is a reason a node can show and fall back on; only a user cancel throws (E121). */
export type ChatResult = { ok: true; text: string } | { ok: false; reason: string };

export interface LlmService {
  chat(req: ChatRequest): Promise<ChatResult>;
}
