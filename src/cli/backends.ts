/**
 * `s2v backends` — which remote backends are configured and reachable (never a credential),
 * `s2v backends set KEY=VALUE` — write the user config file (0600), and the CLI's hooks for
 * remote models: print the generation plan, ask before spending (or `--yes`).
 */
import readline from 'node:readline/promises';
import { S2VError, type CostEstimate } from '../engine/index.js';
import { defaultConfigFile, readSettingsFile, writeSettingsFile, type BackendRuntime } from '../backends/index.js';
import { createBackends } from '../runtime/index.js';
import { hasFlag, parseArgs } from './args.js';
import type { CliIO } from './io.js';

/** A value `s2v backends set` refuses: saved, it would make every later run fail on the settings file. */
const badValue = (key: string, what: string, hint: string) => new S2VError('E100', `${key}: ${what}`, { where: 'backends set', hint });

function comfyUrls(v: string): string[] {
  const urls = v.split(',').map((s) => s.trim()).filter(Boolean);
  const hint = 'e.g. comfyui.url=http://gpu-box:8188';
  // The value itself is not quoted: a URL may hold user:password.
  urls.forEach((u, i) => {
    const which = urls.length > 1 ? ` (URL ${i + 1} of ${urls.length})` : '';
    if (!URL.canParse(u)) throw badValue('comfyui.url', `not a URL${which}`, hint);
    const { protocol } = new URL(u);
    if (protocol !== 'http:' && protocol !== 'https:') throw badValue('comfyui.url', `must be http or https, not ${protocol.replace(/:$/, '')}${which}`, hint);
  });
  return urls;
}

/** Keys `s2v backends set` accepts, and where each goes in the file. */
const KEYS: Record<string, (f: Record<string, Record<string, unknown>>, v: string) => void> = {
  'comfyui.url': (f, v) => ((f.comfyui ??= {}).urls = comfyUrls(v)),
  'comfyui.auth-header': (f, v) => {
    if (!/^[A-Za-z0-9-]+\s*:/.test(v)) throw badValue('comfyui.auth-header', 'must look like "Name: value"', 'e.g. comfyui.auth-header="Authorization: Bearer …"');
    (f.comfyui ??= {}).authHeader = v;
  },
  'comfyui.timeout-sec': (f, v) => {
    const sec = Number(v);
    if (v.trim() === '' || !Number.isFinite(sec) || sec <= 0) throw badValue('comfyui.timeout-sec', `must be a positive number of seconds, got "${v}"`, 'e.g. comfyui.timeout-sec=600');
    (f.comfyui ??= {}).timeoutSec = sec;
  },
  'sogni.api-key': (f, v) => ((f.sogni ??= {}).apiKey = v),
  'sogni.username': (f, v) => ((f.sogni ??= {}).username = v),
  'sogni.password': (f, v) => ((f.sogni ??= {}).password = v),
};

export async function backendsCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { json: {} });
  if (p.positional[0] === 'set') {
    const file = defaultConfigFile();
    const data = (await readSettingsFile(file)) as Record<string, Record<string, unknown>>;
    for (const a of p.positional.slice(1)) {
      const eq = a.indexOf('=');
      const key = eq > 0 ? a.slice(0, eq) : a;
      if (!KEYS[key]) throw new S2VError('E100', `unknown setting "${key}"`, { where: 'backends set', hint: `one of ${Object.keys(KEYS).join(', ')}` });
      if (eq <= 0) throw new S2VError('E100', `expected ${key}=VALUE`, { where: 'backends set' });
      KEYS[key](data, a.slice(eq + 1));
    }
    await writeSettingsFile(file, data);
    io.stdout(`saved ${file} (readable by you only)\n`);
    return 0;
  }
  if (p.positional.length) throw new S2VError('E100', `unexpected "${p.positional[0]}"`, { where: 'backends', hint: 'usage: s2v backends [--json] | s2v backends set KEY=VALUE…' });
  const service = createBackends();
  // A status check that cannot reach a backend must report "unreachable", not end the process
  // on a rejection some library left unhandled.
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => stray.push(reason);
  process.on('unhandledRejection', onStray);
  try {
    const statuses = await service.statuses(AbortSignal.timeout(15_000));
    const models = await service.listRemoteModels();
    if (hasFlag(p, 'json')) {
      io.stdout(`${JSON.stringify({ configFile: service.settings.configFile, backends: statuses, models: models.map((m) => ({ id: m.id, backend: m.backend })) })}\n`);
      return 0;
    }
    for (const s of statuses) {
      const state = !s.configured ? 'not configured' : s.reachable ? 'ready' : 'unreachable';
      const n = models.filter((m) => m.backend === s.id).length;
      io.stdout(`${s.id.padEnd(8)} ${state.padEnd(15)} ${s.detail} — ${n} model${n === 1 ? '' : 's'}\n`);
    }
    io.stdout(`settings: environment, then ${service.settings.configFile}\n`);
    return 0;
  } finally {
    process.off('unhandledRejection', onStray);
    service.close();
  }
}

/** Plan and cost hooks for `s2v run`: plans go to stderr (or JSON lines), spending needs --yes or a "y". */
export function cliBackendHooks(io: CliIO, o: { yes: boolean; json: boolean }): Pick<BackendRuntime, 'confirmCost' | 'showPlan'> {
  return {
    showPlan(where, lines) {
      if (o.json) io.stdout(`${JSON.stringify({ event: 'plan', node: where, segments: lines })}\n`);
      else io.stderr(`plan for ${where}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    },
    async confirmCost(what: string, e: CostEstimate) {
      const cost = `${e.amount} ${e.unit}${e.seconds ? ` (about ${Math.round(e.seconds)} s)` : ''}`;
      if (o.yes) {
        if (o.json) io.stdout(`${JSON.stringify({ event: 'cost', what, ...e, confirmed: 'yes-flag' })}\n`);
        else io.stderr(`cost for ${what}: ${cost} — confirmed by --yes\n`);
        return true;
      }
      if (!process.stdin.isTTY || o.json) {
        io.stderr(`cost for ${what}: ${cost} — not spent: pass --yes to confirm\n`);
        return false;
      }
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`cost for ${what}: ${cost}. Spend it? [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
  };
}
