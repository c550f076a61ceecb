/**
 * Sogni failures as one-line S2VErrors, and the scrubbing that keeps credentials out of every
 * message and log line. The SDK throws three kinds of things: `ApiError` (REST, with an HTTP
 * status and a payload), plain `ErrorData` objects `{ code, message }` (a failed project), and
 * ordinary Errors (fetch/WebSocket trouble). Each maps onto one of our codes.
 */
import { S2VError, cancelledError, isS2VError } from '../../engine/errors.js';

/** Replaces every secret (and anything shaped like a token) with a marker. */
export type Redact = (text: string) => string;

const JWT = /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]{6,}/g;
const HEADER_SECRET = /\b(api-key|authorization|password|refreshToken|token)(["']?\s*[:=]\s*["']?)([^\s"',}]+)/gi;

export function makeRedactor(secrets: Array<string | undefined>): Redact {
  // Longest first, so a key that contains another secret is replaced whole.
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 3))].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const secret of list) out = out.split(secret).join('‹redacted›');
    return out.replace(JWT, '‹token›').replace(HEADER_SECRET, (_m, name: string, sep: string) => `${name}${sep}‹redacted›`);
  };
}

interface ApiErrorLike {
  status: number;
  payload?: { message?: string; errorCode?: number };
  message: string;
}

function isApiErrorLike(e: unknown): e is ApiErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as ApiErrorLike).status === 'number' && typeof (e as ApiErrorLike).message === 'string';
}

/** `ErrorData` as a failed project rejects with: a plain object, not an Error. */
interface ErrorDataLike {
  code: number;
  message: string;
  originalCode?: string;
}

function isErrorDataLike(e: unknown): e is ErrorDataLike {
  return typeof e === 'object' && e !== null && !(e instanceof Error) && typeof (e as ErrorDataLike).code === 'number' && typeof (e as ErrorDataLike).message === 'string';
}

/** Error code the Sogni REST API uses for "insufficient balance" (Account/index.ts ErrorCode). */
const INSUFFICIENT_BALANCE_CODE = 123;
const BALANCE_WORDS = /insufficient|not enough (credits?|balance|funds|spark|sogni)|balance too low/i;
const NETWORK_WORDS = /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|WebSocket (connection|not connected)|network/i;

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim().slice(0, 300);
}

function causeText(e: unknown): string {
  if (!(e instanceof Error)) return '';
  const cause = (e as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) return `${cause.message} ${(cause as NodeJS.ErrnoException).code ?? ''}`;
  return '';
}

/** True for failures worth another attempt: the network, a gateway, a server restarting. */
export function isTransient(e: unknown): boolean {
  if (isS2VError(e)) return e.code === 'E131';
  if (isApiErrorLike(e)) return e.status >= 500 || e.status === 429 || e.status === 408;
  if (e instanceof Error) return e.name === 'TimeoutError' || NETWORK_WORDS.test(`${e.message} ${causeText(e)}`);
  return false;
}

export interface MapContext {
  /** Where, e.g. `sogni wan_v2.2-14b-fp8_s2v_lightx2v`. */
  where: string;
  redact: Redact;
  /** What we were doing, for the message: "logging in", "uploading", "rendering". */
  doing: string;
}

/** Turn anything the SDK threw into our one-line error; S2VErrors pass through. */
export function toS2VError(e: unknown, ctx: MapContext): S2VError {
  if (isS2VError(e)) return e;
  const { where, redact, doing } = ctx;
  if (e instanceof Error && e.name === 'AbortError') return cancelledError(where);
  if (isApiErrorLike(e)) {
    const message = redact(firstLine(e.payload?.message || e.message || `HTTP ${e.status}`));
    if (e.status === 401 || e.status === 403) {
      return new S2VError('E132', `the Sogni Supernet refused the credentials while ${doing} (${message})`, {
        where, hint: 'check SOGNI_API_KEY, or SOGNI_USERNAME and SOGNI_PASSWORD', exitCode: 2,
      });
    }
    if (e.payload?.errorCode === INSUFFICIENT_BALANCE_CODE || BALANCE_WORDS.test(message)) return balanceError(where, message);
    if (isTransient(e)) {
      return new S2VError('E131', `the Sogni Supernet answered HTTP ${e.status} while ${doing} (${message})`, { where, hint: 'try again in a minute', exitCode: 1 });
    }
    return new S2VError('E136', `the Sogni Supernet refused the request while ${doing}: ${message}`, { where, exitCode: 1 });
  }
  if (isErrorDataLike(e)) {
    const message = redact(firstLine(e.message));
    if (e.code === INSUFFICIENT_BALANCE_CODE || BALANCE_WORDS.test(message)) return balanceError(where, message);
    if (e.code === 5004 || e.originalCode === 'artistCanceled') return cancelledError(where);
    if (e.code === 5003 || /timed out|exceeded the maximum runtime/i.test(message)) {
      return new S2VError('E135', `the Sogni job timed out on the network (${message})`, { where, hint: 'run again later', exitCode: 1 });
    }
    if (e.code === 5001 || e.code === 5002) {
      return new S2VError('E131', `the Sogni job was lost: ${message}`, { where, hint: 'run again; nothing was charged for a job that did not finish', exitCode: 1 });
    }
    return new S2VError('E136', `the Sogni job failed: ${message}${e.code ? ` (code ${e.code})` : ''}`, { where, exitCode: 1 });
  }
  const text = e instanceof Error ? `${e.message} ${causeText(e)}` : String(e);
  const message = redact(firstLine(text));
  if (BALANCE_WORDS.test(message)) return balanceError(where, message);
  if (isTransient(e) || NETWORK_WORDS.test(message)) {
    return new S2VError('E131', `cannot reach the Sogni Supernet while ${doing} (${message})`, { where, hint: 'check the network connection; run again', exitCode: 1 });
  }
  return new S2VError('E136', `Sogni failed while ${doing}: ${message}`, { where, exitCode: 1 });
}

export function balanceError(where: string, detail: string): S2VError {
  return new S2VError('E133', `the Sogni account's balance is too low for this job (${detail})`, {
    where, hint: 'add credits at app.sogni.ai, or shorten the audio / pick a cheaper model', exitCode: 2,
  });
}
