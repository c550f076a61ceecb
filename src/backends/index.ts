/**
 * The backend service nodes reach through `ctx.services.backends`: the remote model registry
 * (models/<id>/manifest.json with kind comfyui|sogni), the configured backends (ComfyUI pool,
 * Sogni Supernet) and the cost-confirmation hook of the front door (CLI prompt, studio dialog).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S2VError, type BackendId, type BackendService, type BackendStatus, type CostEstimate, type VideoBackend } from '../engine/index.js';
import { ComfyBackend } from './comfyui/backend.js';
import { RemoteModelRegistry } from './remote-models.js';
import { describeSettings, secretsOf, type BackendSettings } from './settings.js';

export { loadSettings, loadSettingsSync, describeSettings, secretsOf, defaultConfigFile, readSettingsFile, writeSettingsFile, type BackendSettings } from './settings.js';
export { RemoteModelRegistry, type RemoteModel } from './remote-models.js';
export { redactUrl } from './redact.js';

export const DEFAULT_MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');

/** The Sogni client's factory (src/backends/sogni), passed in so this file builds without it. */
export type SogniFactory = (settings: BackendSettings['sogni']) => VideoBackend;

export interface BackendServiceOptions {
  settings: BackendSettings;
  modelsDir?: string;
  createSogni?: SogniFactory;
  /** The front door's question "spend this?" (CLI: prompt or --yes; studio: dialog). */
  confirmCost?: (what: string, estimate: CostEstimate) => Promise<boolean>;
}

export interface BackendRuntime extends BackendService {
  registry: RemoteModelRegistry;
  settings: BackendSettings;
  /** End the backends' sockets and timers (Sogni SDK) at shutdown. */
  close(): void;
}

export function createBackendService(opts: BackendServiceOptions): BackendRuntime {
  const registry = new RemoteModelRegistry(opts.modelsDir ?? DEFAULT_MODELS_DIR);
  const secrets = secretsOf(opts.settings);
  const made = new Map<BackendId, VideoBackend>();
  const sogniConfigured = () => !!(opts.settings.sogni.apiKey || (opts.settings.sogni.username && opts.settings.sogni.password));

  const get = (id: BackendId): VideoBackend => {
    const have = made.get(id);
    if (have) return have;
    let b: VideoBackend;
    if (id === 'comfyui') {
      if (!opts.settings.comfyui.urls.length) throw new S2VError('E130', 'no ComfyUI server configured', { where: 'comfyui', hint: 'set S2V_COMFYUI_URL=http://host:8188 (comma-separated for a pool) or run `s2v backends set comfyui.url=…`', exitCode: 2 });
      b = new ComfyBackend(opts.settings.comfyui, secrets);
    } else if (id === 'sogni') {
      if (!opts.createSogni) throw new S2VError('E130', 'the Sogni client is not part of this build', { where: 'sogni', exitCode: 2 });
      if (!sogniConfigured()) throw new S2VError('E130', 'no Sogni account configured', { where: 'sogni', hint: 'set SOGNI_API_KEY, or SOGNI_USERNAME and SOGNI_PASSWORD', exitCode: 2 });
      b = opts.createSogni(opts.settings.sogni);
    } else {
      throw new S2VError('E130', `unknown backend "${String(id)}"`, { exitCode: 2 });
    }
    made.set(id, b);
    return b;
  };

  return {
    registry,
    settings: opts.settings,
    listRemoteModels: () => registry.list(),
    getRemoteModel: (id) => registry.get(id),
    get,
    async statuses(signal) {
      const text = describeSettings(opts.settings);
      const out: BackendStatus[] = [];
      out.push(opts.settings.comfyui.urls.length ? await get('comfyui').status(signal) : { id: 'comfyui', configured: false, reachable: false, detail: text.comfyui });
      if (!sogniConfigured()) out.push({ id: 'sogni', configured: false, reachable: false, detail: text.sogni });
      else if (!opts.createSogni) out.push({ id: 'sogni', configured: true, reachable: false, detail: `${text.sogni}; the Sogni client is not part of this build` });
      else out.push(await get('sogni').status(signal).catch((e) => ({ id: 'sogni' as const, configured: true, reachable: false, detail: `${text.sogni}; ${(e as Error).message}` })));
      return out;
    },
    confirmCost: opts.confirmCost,
    close() {
      for (const b of made.values()) (b as { close?: () => void }).close?.();
    },
  };
}
