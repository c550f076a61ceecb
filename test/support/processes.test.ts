import { describe, expect, it } from 'vitest';
import { outcome, run, runSync, spawnChild } from './processes.js';

const node = process.execPath;
const failing = ['-e', 'process.stderr.write("warming up\\nbad input at line 3\\n"); process.exit(3)'];

describe('test process helpers', () => {
  it('runSync returns stdout bytes of a program that exits 0', () => {
    expect(runSync(node, ['-e', 'process.stdout.write("ok")']).toString()).toBe('ok');
  });

  it('runSync and run fail with one line: program, exit code, last stderr line', async () => {
    expect(() => runSync(node, failing)).toThrow(/^node exited 3: bad input at line 3$/);
    await expect(run(node, failing)).rejects.toThrow(/^node exited 3: bad input at line 3$/);
  });

  it('a program past its timeout is killed and reported, not waited on', async () => {
    const hang = ['-e', 'setInterval(() => {}, 1000)'];
    expect(() => runSync(node, hang, { timeoutMs: 300 })).toThrow(/^node timed out after 300 ms \(SIGKILL\)$/);
    await expect(run(node, hang, { timeoutMs: 300 })).rejects.toThrow(/^node timed out after 300 ms \(SIGKILL\)$/);
  });

  it('outcome reports a non-zero exit with its stderr instead of throwing; a missing program throws', async () => {
    const o = await outcome(node, failing);
    expect(o.code).toBe(3);
    expect(o.stderr).toContain('bad input at line 3');
    await expect(outcome('/nonexistent/program', [])).rejects.toThrow(/^program could not run: .*ENOENT/);
    expect(() => runSync('/nonexistent/program', [])).toThrow(/^program could not run: .*ENOENT/);
  });

  it('spawnChild hands back the live process to kill', async () => {
    const child = spawnChild(node, ['-e', 'setInterval(() => {}, 1000)']);
    const ended = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
  });
});
