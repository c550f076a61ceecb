/**
 * `s2v doctor`: what this machine has for S2V Studio — ffmpeg and ffprobe (which one, from
 * where, version), onnxruntime and its execution providers, the NW.js runtime, a speech
 * engine, and the system tools the tests use — and what each missing one turns off.
 * Exit 0 when everything a render needs is there (ffmpeg, ffprobe, onnxruntime), else 1.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorLine } from '../engine/index.js';
import { createMediaService, locateFfmpeg, probeOutput } from '../media/index.js';
import { describeSource } from '../media/locate.js';
import { detectAvailability, PROVIDERS, chooseProvider } from '../inference/provider.js';
import { createSpeechService } from '../speech/index.js';
import { hasFlag, parseArgs } from './args.js';
import systemTools from './system-tools.json' with { type: 'json' };
import type { CliIO } from './io.js';

export interface Check {
  name: string;
  found: boolean;
  version?: string;
  path?: string;
  detail?: string;
  /** What does not work while it is missing. */
  disables?: string;
  /** A render cannot run without it. */
  essential?: boolean;
}

const require = createRequire(import.meta.url);

/** First line of `bin args…`, or undefined when it does not run within a few seconds. */
function firstLine(bin: string, args: string[]): string | undefined {
  const r = probeOutput(bin, args);
  return r && `${r.stdout}${r.stderr}`.split('\n').map((l) => l.trim()).find(Boolean);
}

/** "eSpeak NG text-to-speech: 1.51  Data at: …" → "1.51". */
function versionIn(line: string | undefined): string | undefined {
  return line?.match(/\d+\.\d+(?:\.\d+)?/)?.[0];
}

function onPath(bin: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

function ffmpegChecks(): Check[] {
  let bins;
  try {
    bins = locateFfmpeg();
  } catch (e) {
    const line = errorLine(e);
    const which = /ffprobe/.test(line) ? 'ffprobe' : 'ffmpeg';
    const other: Check[] = which === 'ffprobe' ? [] : [{ name: 'ffprobe', found: false, essential: true, disables: 'every render', detail: 'not looked for: ffmpeg is missing' }];
    return [{ name: which, found: false, essential: true, disables: 'every render (decoding audio and images, encoding video)', detail: line }, ...other];
  }
  return (['ffmpeg', 'ffprobe'] as const).map((name) => {
    const p = bins[name];
    const version = firstLine(p, ['-hide_banner', '-version'])?.replace(/^ff\w+ version /, '').split(' ')[0];
    return { name, found: !!version, version, path: p, detail: describeSource(p), essential: true, disables: 'every render', ...(version ? {} : { detail: `${describeSource(p)}; does not run` }) };
  });
}

function onnxCheck(): Check {
  let version: string | undefined;
  try {
    version = (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return { name: 'onnxruntime', found: false, essential: true, disables: 'every video model and voice detection', detail: 'onnxruntime-node is not installed (run npm install)' };
  }
  const available = detectAvailability();
  const choice = chooseProvider({ platform: process.platform, requested: process.env.S2V_PROVIDER, available });
  const list = PROVIDERS.map((p) => `${p}${available(p) ? '' : ' (not available)'}`).join(', ');
  return { name: 'onnxruntime', found: true, version, essential: true, detail: `execution providers: ${list}; using ${choice.provider}${choice.warning ? ` (${choice.warning})` : ''}` };
}

/** The NW.js runtime the way `npm start` finds it (bin/start-desktop.js): NW_PATH, the nw package, PATH. */
async function nwCheck(): Promise<Check> {
  const disables = '`npm start` (the desktop window); `npm run studio` still opens the studio in a browser';
  const hint = 'on a machine with internet access `npm install` (or `npm rebuild nw`) downloads it; or set NW_PATH';
  let p = process.env.NW_PATH;
  let source = 'NW_PATH';
  let packageNote = '';
  if (!p) {
    try {
      const mod = (await import(pathToFileURL(require.resolve('nw')).href)) as { findpath?: () => Promise<string>; default?: { findpath?: () => Promise<string> } };
      const found = await (mod.findpath ?? mod.default?.findpath)?.();
      if (found && isExecutable(found)) [p, source] = [found, 'npm package nw'];
      else packageNote = 'the nw package is installed but its runtime download did not happen (offline?); ';
    } catch {
      // the optional nw package is not installed
    }
  }
  if (!p) {
    const outside = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && !d.split(path.sep).includes('node_modules')).join(path.delimiter);
    p = onPath(process.platform === 'win32' ? 'nw.exe' : 'nw', outside);
    source = 'PATH';
  }
  if (!p || !isExecutable(p)) return { name: 'NW.js', found: false, disables, detail: `${packageNote}${hint}` };
  const version = versionIn(firstLine(p, ['--version']));
  return { name: 'NW.js', found: true, version, path: p, detail: source };
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function speechCheck(): Promise<Check> {
  try {
    // The same lookup the Audio Generate node's speech mode uses (src/speech).
    const engine = await createSpeechService({ media: createMediaService() }).engine();
    const version = engine.name === 'say' ? undefined : versionIn(firstLine(engine.bin, ['--version']));
    return { name: 'speech (TTS)', found: true, version, path: engine.bin, detail: engine.name };
  } catch (e) {
    return { name: 'speech (TTS)', found: false, disables: 'Audio-Generate speech mode', detail: errorLine(e) };
  }
}

function toolChecks(): Check[] {
  return systemTools.tools.map((t) => {
    const p = 'bin' in t && t.bin ? onPath(t.bin) : 'file' in t && t.file && existsSync(t.file) ? t.file : undefined;
    return { name: t.name, found: !!p, path: p, disables: t.disables, detail: p ? (t.tests ? 'used by the tests' : undefined) : `install: apt-get install ${t.apt} · brew install ${t.brew}` };
  });
}

export async function collectChecks(): Promise<Check[]> {
  return [...ffmpegChecks(), onnxCheck(), await nwCheck(), await speechCheck(), ...toolChecks()];
}

export function formatChecks(checks: Check[]): string {
  const lines = checks.map((c) => {
    const status = c.found ? `ok   ${c.version ?? ''}`.trimEnd() : 'MISSING';
    const where = [c.path, c.detail].filter(Boolean).join(' — ');
    const off = !c.found && c.disables ? ` → without it: ${c.disables}` : '';
    return `${c.name.padEnd(17)} ${status.padEnd(18)} ${where}${off}`;
  });
  const bad = checks.filter((c) => c.essential && !c.found);
  lines.push(bad.length ? `not ready to render: ${bad.map((c) => c.name).join(', ')} missing` : 'ready to render');
  return `${lines.join('\n')}\n`;
}

export async function doctorCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseArgs(argv, { json: {} });
  const checks = await collectChecks();
  io.stdout(hasFlag(p, 'json') ? `${JSON.stringify(checks)}\n` : formatChecks(checks));
  return checks.some((c) => c.essential && !c.found) ? 1 : 0;
}
