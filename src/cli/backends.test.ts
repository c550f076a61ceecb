/** `s2v backends set`: a value every later run would refuse is refused now, and nothing is written. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { loadSettingsSync } from '../backends/index.js';
import { isS2VError } from '../engine/index.js';
import { backendsCommand } from './backends.js';

const tmp = useTempDir('s2v-backends-set-');
const io = { stdout: () => undefined, stderr: () => undefined };
let saved: string | undefined;
beforeEach(() => {
  saved = process.env.S2V_CONFIG_DIR;
  process.env.S2V_CONFIG_DIR = tmp();
});
afterEach(() => {
  if (saved === undefined) delete process.env.S2V_CONFIG_DIR;
  else process.env.S2V_CONFIG_DIR = saved;
});

async function refusal(args: string[]): Promise<string> {
  try {
    await backendsCommand(['set', ...args], io);
  } catch (e) {
    if (isS2VError(e)) return e.oneLine();
    throw e;
  }
  throw new Error(`backends set ${args.join(' ')} was accepted`);
}

describe('s2v backends set', () => {
  it('refuses a URL that is not http(s), a timeout that is not a positive number and a malformed auth header, writing nothing', async () => {
    expect(await refusal(['comfyui.url=notaurl'])).toBe('E100 backends set: comfyui.url: not a URL (hint: e.g. comfyui.url=http://gpu-box:8188)');
    expect(await refusal(['comfyui.url=http://a:8188,ftp://u:secret@b'])).toBe('E100 backends set: comfyui.url: must be http or https, not ftp (URL 2 of 2) (hint: e.g. comfyui.url=http://gpu-box:8188)');
    for (const v of ['abc', '0', '-5', '', 'Infinity']) expect(await refusal([`comfyui.timeout-sec=${v}`])).toMatch(/^E100 backends set: comfyui\.timeout-sec: must be a positive number of seconds/);
    expect(await refusal(['comfyui.auth-header=Bearer xyz'])).toMatch(/^E100 backends set: comfyui\.auth-header: must look like "Name: value"/);
    // A good key before a bad one is not saved either.
    await refusal(['comfyui.url=http://127.0.0.1:8188', 'comfyui.timeout-sec=abc']);
    await expect(fs.readdir(tmp())).resolves.toEqual([]);
  });

  it('saves good values, which the next run reads back', async () => {
    expect(await backendsCommand(['set', 'comfyui.url=http://127.0.0.1:8188/', 'comfyui.timeout-sec=90', 'comfyui.auth-header=Authorization: Bearer t'], io)).toBe(0);
    const s = loadSettingsSync({}, path.join(tmp(), 'backends.json'));
    expect(s.comfyui).toEqual({ urls: ['http://127.0.0.1:8188'], authHeader: { name: 'Authorization', value: 'Bearer t' }, timeoutSec: 90 });
  });
});
