// The SDK leaves promises unhandled (a bad key's `account.me()`, a refused preview URL). Run a
// real process against the stand-in: with our guard it survives and finishes the job; with the
// guard kept out, the very same run dies — so the test can tell the two apart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcome } from '../../../test/support/processes.js';
import { isSdkRejection } from './guard.js';

const script = path.join(process.cwd(), 'test', 'support', 'sogni-survive.ts');
const tsxRun = path.join(process.cwd(), 'bin', 'tsx-run.js');

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-sogni-survive-'));
  try {
    const o = await outcome(process.execPath, [tsxRun, script, '--dir', dir, ...args], { timeoutMs: 90_000 });
    // Killed by the timeout counts as failing (code 1), as it did with execFile.
    return { code: o.code ?? 1, stdout: o.stdout.toString(), stderr: o.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('unhandled rejections from the Sogni SDK', () => {
  it('the process survives them (bad key is E132, the next job still renders) and ends right after close(), not 30 s later', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(stderr).not.toMatch(/UnhandledPromiseRejection|triggerUncaughtException/);
    expect(code).toBe(0);
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(out.badCode).toBe('E132');
    expect(out.video).toBeGreaterThan(1000);
    expect(out.swallowed).toBeGreaterThanOrEqual(2); // at least the 401 from me() and one preview URL
    // Once closed, nothing of the SDK holds the process open (its 30 s project timer would).
    expect(Date.now() - out.at).toBeLessThan(15_000);
  });

  it('without the guard the same run crashes (proves the SDK really leaves them unhandled)', async () => {
    const { code, stdout } = await run(['--no-guard']);
    expect(code).not.toBe(0);
    expect(stdout).not.toContain('"video"');
  });

  it('recognises SDK rejections and leaves everything else alone', () => {
    const sdkError = new Error('Unauthorized');
    sdkError.stack = 'Error: Unauthorized\n    at RestClient.processResponse (/x/node_modules/@sogni-ai/sogni-client/dist-esm/lib/RestClient.js:80:19)';
    expect(isSdkRejection(sdkError)).toBe(true);
    expect(isSdkRejection({ code: 5000, message: 'Project failed' })).toBe(true);
    expect(isSdkRejection(new Error('ours'))).toBe(false);
    expect(isSdkRejection('plain string')).toBe(false);
  });
});
