/**
 * One logged-in SDK client. Connecting means: create the client (an API key authenticates at
 * once; a username/password goes through `account.login`), then wait until the socket says
 * `authenticated` — the Supernet only takes work on an authenticated socket. A bad key shows up
 * as the socket closing with 4021 (not recoverable); an unreachable server as reconnect
 * attempts that never succeed, which we stop after `connectTimeoutMs`.
 */
import { randomUUID } from 'node:crypto';
import { SogniClient } from '@sogni-ai/sogni-client';
import { S2VError } from '../../engine/errors.js';
import { toS2VError, type Redact } from './errors.js';
import { guardSdkRejections } from './guard.js';
import { unrefTimersDuringDispatch } from './timers.js';
import type { LogSink, SdkLogger } from './log.js';

export interface Credentials {
  apiKey?: string;
  username?: string;
  password?: string;
}

export interface SessionOptions {
  credentials: Credentials;
  restEndpoint?: string;
  socketEndpoint?: string;
  connectTimeoutMs: number;
  logger: SdkLogger;
  log: LogSink;
  redact: Redact;
}

/** Close code the socket server uses for an authentication error (SDK ErrorCode.AUTH_ERROR). */
const AUTH_ERROR = 4021;

export interface SogniSession {
  client: SogniClient;
  /** Which account, for status lines (never a credential). */
  account: string;
  close(): void;
}

export function credentialKind(c: Credentials): 'apiKey' | 'password' | undefined {
  if (c.apiKey) return 'apiKey';
  if (c.username && c.password) return 'password';
  return undefined;
}

export async function openSession(opts: SessionOptions): Promise<SogniSession> {
  const { credentials, log, redact } = opts;
  const kind = credentialKind(credentials);
  if (!kind) {
    throw new S2VError('E130', 'Sogni is not configured', {
      where: 'sogni', hint: 'set SOGNI_API_KEY, or SOGNI_USERNAME and SOGNI_PASSWORD (or the user config file)', exitCode: 2,
    });
  }
  const release = guardSdkRejections(log);
  let client: SogniClient | undefined;
  try {
    client = await SogniClient.createInstance({
      // One id per process: a second live connection with the same id replaces the first.
      appId: `s2v-studio-${randomUUID()}`,
      appSource: 's2v-studio',
      network: 'fast',
      logger: opts.logger,
      ...(opts.restEndpoint ? { restEndpoint: opts.restEndpoint } : {}),
      ...(opts.socketEndpoint ? { socketEndpoint: opts.socketEndpoint } : {}),
      ...(kind === 'apiKey' ? { apiKey: credentials.apiKey } : {}),
    });
    unrefTimersDuringDispatch(client.apiClient.socket);
    const authenticated = waitAuthenticated(client, opts.connectTimeoutMs);
    if (kind === 'password') {
      try {
        await client.account.login(credentials.username!, credentials.password!);
      } catch (e) {
        authenticated.cancel();
        throw toS2VError(e, { where: 'sogni', redact, doing: 'logging in' });
      }
    }
    const who = await authenticated.promise;
    const account = who || credentials.username || 'API key account';
    log('info', `sogni: connected as ${account} (${kind === 'apiKey' ? 'API key' : 'username/password'})`);
    const c = client;
    return {
      client: c,
      account,
      close() {
        try {
          c.dispose();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    try {
      client?.dispose();
    } catch {
      // already torn down
    }
    release();
    throw toS2VError(e, { where: 'sogni', redact, doing: 'connecting' });
  }
}

function refused(why: string): S2VError {
  return new S2VError('E132', `the Sogni Supernet refused the credentials (${why})`, {
    where: 'sogni', hint: 'check SOGNI_API_KEY, or SOGNI_USERNAME and SOGNI_PASSWORD', exitCode: 2,
  });
}

/** Resolves with the account name once the socket is authenticated; rejects with E132/E131. */
function waitAuthenticated(client: SogniClient, timeoutMs: number): { promise: Promise<string>; cancel(): void } {
  let cancel = () => {};
  const promise = new Promise<string>((resolve, reject) => {
    const socket = client.apiClient.socket;
    let attempts = 0;
    const offAuth = socket.on('authenticated', (data) => finish(undefined, data?.username ?? ''));
    // The SDK clears its credentials when any request answers 401 (RestClient): with a bad
    // API key that can come before the socket's own 4021 close.
    const offAuthUpdated = client.apiClient.auth.on('updated', (ok: boolean) => {
      if (!ok) finish(refused('the server answered 401 Unauthorized'));
    });
    const offConnecting = client.apiClient.on('connecting', () => {
      attempts++;
    });
    const offDisconnected = client.apiClient.on('disconnected', (data) => {
      if (data?.code === AUTH_ERROR) {
        finish(refused('socket closed: authentication error'));
      } else if (data?.code && data.code >= 4000 && data.code < 5000) {
        finish(new S2VError('E131', `the Sogni Supernet closed the connection (code ${data.code}${data.reason ? `: ${data.reason}` : ''})`, { where: 'sogni', exitCode: 1 }));
      }
    });
    const timer = setTimeout(() => {
      finish(new S2VError('E131', `cannot reach the Sogni Supernet: no authenticated connection after ${Math.round(timeoutMs / 1000)} s${attempts ? ` and ${attempts} reconnect attempts` : ''}`, {
        where: 'sogni', hint: 'check the network connection (and SOGNI_SOCKET_ENDPOINT if set); run again', exitCode: 1,
      }));
    }, timeoutMs);
    function finish(error?: Error, name?: string) {
      clearTimeout(timer);
      offAuth();
      offAuthUpdated();
      offConnecting();
      offDisconnected();
      if (error) reject(error);
      else resolve(name ?? '');
    }
    cancel = () => finish(new Error('cancelled'));
  });
  // The login path may abandon this promise; keep an unobserved rejection from escaping.
  promise.catch(() => {});
  return { promise, cancel };
}
