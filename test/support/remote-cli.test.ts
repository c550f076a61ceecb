/** startCli: a started `s2v` is waited on for a bounded time, and a run past it fails naming the command. */
import { describe, expect, it } from 'vitest';
import { startCli } from './remote-cli.js';
import { useTempDir } from './temp-dir.js';

const tmp = useTempDir('s2v-remote-cli-');

describe('startCli', () => {
  it('hands back the live process and how it ended', async () => {
    const { child, ended } = startCli(['--version'], { cwd: tmp(), env: process.env });
    expect(child.pid).toBeGreaterThan(0);
    const r = await ended;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^s2v \d+\.\d+\.\d+/);
  }, 60_000);

  it('a run that does not end within its bound is killed and fails with one line naming the command', async () => {
    // The studio server runs until it is stopped: a stand-in for a run that ignores Ctrl-C.
    const args = ['studio', '--port', '0', '--no-open', '--no-build', '--cache-dir', tmp()];
    const { child, ended } = startCli(args, { cwd: tmp(), env: process.env, timeoutMs: 1500 });
    await expect(ended).rejects.toThrow(new RegExp(`^s2v ${args.join(' ').replaceAll('/', '\\/')} did not end within 1500 ms \\(killed\\)[^\\n]*$`));
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('close', r)));
    expect(child.signalCode).toBe('SIGKILL');
  }, 60_000);
});
