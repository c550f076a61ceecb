import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnChild } from '../../test/support/processes.js';
import { studioCommand } from './studio.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('s2v studio', () => {
  it('rejects a bad port with a one-line usage error', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined };
    await expect(studioCommand(['--port', 'abc'], io)).rejects.toThrow(/--port must be/);
    await expect(studioCommand(['extra'], io)).rejects.toThrow(/unexpected argument/);
  });

  it('refuses a cache or data folder that runs through a file before starting (it used to start, then fail every request)', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined };
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-studio-dirs-'));
    try {
      const file = path.join(dir, 'a-file');
      await fs.writeFile(file, 'x');
      for (const flag of ['--cache-dir', '--data-dir']) {
        const e = await studioCommand(['--port', '0', '--no-open', '--no-build', flag, path.join(file, 'sub')], io).then(
          () => undefined,
          (x: { oneLine?: () => string; exitCode?: number }) => x,
        );
        expect(e?.oneLine?.()).toBe(`E109 ${file}: folder path runs through a file (hint: choose a writable folder)`);
        expect(e?.exitCode).toBe(2);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('prints the tokened URL, serves the API, and exits 0 on SIGTERM', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-studio-cli-'));
    const script = `const { studioCommand } = await import(${JSON.stringify(path.join(repo, 'src/cli/studio.ts'))});
      process.exitCode = await studioCommand(process.argv.slice(1), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });`;
    const child = spawnChild(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, '--', '--port', '0', '--no-open', '--no-build', '--data-dir', dataDir, '--cache-dir', path.join(dataDir, 'cache')],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const m = /S2V Studio: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32})/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`studio exited early (${code}): ${out}`)));
    });
    const u = new URL(url);
    const token = u.searchParams.get('token')!;
    const catalog = await fetch(`${u.origin}/api/catalog`, { headers: { 'X-S2V-Token': token } });
    expect(catalog.status).toBe(200);
    expect(((await catalog.json()) as { nodes: Array<{ type: string }> }).nodes.some((n) => n.type === 'output')).toBe(true);
    expect((await fetch(`${u.origin}/api/catalog`)).status).toBe(401);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(out).toContain('studio stopped');
    await expect(fetch(`${u.origin}/api/catalog`, { headers: { 'X-S2V-Token': token } })).rejects.toThrow();
    await fs.rm(dataDir, { recursive: true, force: true });
  });
});
