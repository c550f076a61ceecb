/**
 * Backend settings live outside graphs (graphs are shared): the environment, then the user's
 * config file (~/.config/s2v-studio/backends.json, created 0600). The environment wins.
 *
 *   S2V_COMFYUI_URL            one URL, or several comma-separated (a pool: jobs go to the least busy)
 *   S2V_COMFYUI_AUTH_HEADER    "Name: value" sent to every ComfyUI server (auth proxies)
 *   SOGNI_API_KEY | SOGNI_USERNAME + SOGNI_PASSWORD   Sogni Supernet account
 *   SOGNI_REST_ENDPOINT, SOGNI_SOCKET_ENDPOINT        other Sogni endpoints (tests, staging)
 *   S2V_CONFIG_DIR             folder of backends.json (default: $XDG_CONFIG_HOME/s2v-studio)
 *
 * Nothing here is ever logged: `describeSettings` shows hosts and which credential kind is set.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { S2VError } from '../engine/index.js';
import { redactUrl } from './redact.js';

export interface BackendSettings {
  comfyui: { urls: string[]; authHeader?: { name: string; value: string }; /** Seconds one request may run. */ timeoutSec?: number };
  sogni: { apiKey?: string; username?: string; password?: string; restEndpoint?: string; socketEndpoint?: string };
  /** The user config file these came from (it may not exist). */
  configFile: string;
}

const fileSchema = z.object({
  comfyui: z.object({ urls: z.array(z.string()).optional(), url: z.string().optional(), authHeader: z.string().optional(), timeoutSec: z.number().positive().optional() }).optional(),
  sogni: z.object({ apiKey: z.string().optional(), username: z.string().optional(), password: z.string().optional(), restEndpoint: z.string().optional(), socketEndpoint: z.string().optional() }).optional(),
});
export type SettingsFile = z.infer<typeof fileSchema>;

export function defaultConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.S2V_CONFIG_DIR ?? path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 's2v-studio');
  return path.join(dir, 'backends.json');
}

function parseHeader(text: string | undefined, where: string): { name: string; value: string } | undefined {
  if (!text) return undefined;
  const i = text.indexOf(':');
  const name = i > 0 ? text.slice(0, i).trim() : '';
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new S2VError('E130', 'auth header must look like "Name: value"', { where, exitCode: 2 });
  return { name, value: text.slice(i + 1).trim() };
}

function parseUrls(list: string[], where: string): string[] {
  return list.map((s) => s.trim()).filter(Boolean).map((u) => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new S2VError('E130', `not a URL: "${redactUrl(u)}"`, { where, hint: 'e.g. S2V_COMFYUI_URL=http://gpu-box:8188', exitCode: 2 });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new S2VError('E130', `ComfyUI URL must be http(s): ${redactUrl(u)}`, { where, exitCode: 2 });
    return u.replace(/\/+$/, '');
  });
}

function parseFile(text: string, file: string): SettingsFile {
  let parsed;
  try {
    parsed = fileSchema.safeParse(JSON.parse(text));
  } catch {
    throw new S2VError('E130', 'backend settings file is not valid JSON', { where: file, exitCode: 2 });
  }
  if (!parsed.success) throw new S2VError('E130', `backend settings file: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`, { where: file, exitCode: 2 });
  return parsed.data;
}

/** Read the user config file; a file others can read is tightened to 0600 (it may hold credentials). */
export function readSettingsFileSync(file: string): SettingsFile {
  let text: string;
  try {
    text = fsSync.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  if (process.platform !== 'win32' && (fsSync.statSync(file).mode & 0o077) !== 0) {
    try {
      fsSync.chmodSync(file, 0o600);
    } catch {
      // not ours to fix (read-only mount); reading it is still fine
    }
  }
  return parseFile(text, file);
}

export async function readSettingsFile(file: string): Promise<SettingsFile> {
  return readSettingsFileSync(file);
}

/** Write the user config file atomically with mode 0600 (created so, never widened later). */
export async function writeSettingsFile(file: string, data: SettingsFile): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`);
  } finally {
    await handle.close();
  }
  await fs.chmod(temp, 0o600);
  await fs.rename(temp, file);
}

export async function loadSettings(env: NodeJS.ProcessEnv = process.env, configFile = defaultConfigFile(env)): Promise<BackendSettings> {
  return loadSettingsSync(env, configFile);
}

/** Environment over the user file (read synchronously: the runtime wires services synchronously). */
export function loadSettingsSync(env: NodeJS.ProcessEnv = process.env, configFile = defaultConfigFile(env)): BackendSettings {
  const file = readSettingsFileSync(configFile);
  // An empty variable counts as unset (as shells and CI leave them).
  const envUrls = env.S2V_COMFYUI_URL?.trim() ? env.S2V_COMFYUI_URL.split(',') : undefined;
  const fileUrls = file.comfyui?.urls ?? (file.comfyui?.url ? [file.comfyui.url] : []);
  const urls = envUrls ? parseUrls(envUrls, 'S2V_COMFYUI_URL') : parseUrls(fileUrls, configFile);
  const authHeader = env.S2V_COMFYUI_AUTH_HEADER?.trim() ? parseHeader(env.S2V_COMFYUI_AUTH_HEADER, 'S2V_COMFYUI_AUTH_HEADER') : parseHeader(file.comfyui?.authHeader, configFile);
  const timeout = Number(env.S2V_COMFYUI_TIMEOUT_SEC) || file.comfyui?.timeoutSec;
  // Credentials are taken as a set: an API key from the environment is not mixed with a file password.
  const envSogni = env.SOGNI_API_KEY || env.SOGNI_USERNAME || env.SOGNI_PASSWORD;
  const creds = envSogni
    ? { apiKey: env.SOGNI_API_KEY || undefined, username: env.SOGNI_USERNAME || undefined, password: env.SOGNI_PASSWORD || undefined }
    : { apiKey: file.sogni?.apiKey, username: file.sogni?.username, password: file.sogni?.password };
  return {
    comfyui: { urls, authHeader, ...(timeout ? { timeoutSec: timeout } : {}) },
    sogni: {
      ...creds,
      restEndpoint: env.SOGNI_REST_ENDPOINT || file.sogni?.restEndpoint,
      socketEndpoint: env.SOGNI_SOCKET_ENDPOINT || file.sogni?.socketEndpoint,
    },
    configFile,
  };
}

/** What is configured, without a single secret: hosts only, and which kind of credential. */
export function describeSettings(s: BackendSettings): { comfyui: string; sogni: string } {
  const comfyui = s.comfyui.urls.length ? `${s.comfyui.urls.map(redactUrl).join(', ')}${s.comfyui.authHeader ? ` (auth header ${s.comfyui.authHeader.name})` : ''}` : 'not configured (set S2V_COMFYUI_URL)';
  const sogni = s.sogni.apiKey ? 'API key set' : s.sogni.username && s.sogni.password ? `user ${s.sogni.username}` : s.sogni.username ? 'username set but no password (SOGNI_PASSWORD)' : 'not configured (set SOGNI_API_KEY, or SOGNI_USERNAME and SOGNI_PASSWORD)';
  return { comfyui, sogni };
}

/** Every secret in the settings, to scrub from any text that quotes a server. */
export function secretsOf(s: BackendSettings): string[] {
  return [s.comfyui.authHeader?.value, s.sogni.apiKey, s.sogni.password, ...s.comfyui.urls.flatMap((u) => {
    try {
      const p = new URL(u);
      return [p.password, p.search.slice(1)].filter(Boolean);
    } catch {
      return [];
    }
  })].filter((x): x is string => !!x);
}
