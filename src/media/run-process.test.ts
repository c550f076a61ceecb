/**
 * The one process runner with a real child (this Node binary): what every caller relies on —
 * text on stdin, stdout collected, a failure as one line from stderr, a missing program as
 * E122, a cancel as E121 with the child gone, and probes that never throw.
 */
import { describe, expect, it } from 'vitest';
import { isS2VError } from '../engine/index.js';
import { probeOutput, runProcess, spawnProcess } from './run-process.js';

const node = process.execPath;
const script = (code: string) => ['-e', code];

describe('runProcess', () => {
  it('feeds text on stdin and collects stdout', async () => {
    const { stdout } = await runProcess({ bin: node, args: script('process.stdin.pipe(process.stdout)'), stdin: '-not an option\nsecond line' });
    expect(stdout.toString('utf8')).toBe('-not an option\nsecond line');
  });

  it('a non-zero exit is E120 naming the program, its exit code and the last stderr line', async () => {
    const err = await runProcess({ bin: node, name: 'tool', where: 'node "x"', args: script('console.error("warming up"); console.error("bad voice: zz"); process.exit(3)') }).catch((e) => e);
    expect(isS2VError(err) && err.oneLine()).toBe('E120 node "x": tool failed (exit 3): bad voice: zz');
  });

  it('the caller maps failures and start errors to its own messages', async () => {
    const failed = await runProcess({ bin: node, args: script('process.exit(1)'), failure: (x) => new Error(`custom ${x.code}`) }).catch((e) => e);
    expect(failed.message).toBe('custom 1');
    const missing = await runProcess({ bin: '/nonexistent/espeak-ng', args: [], cannotStart: (e) => new Error(`custom ${e.code}`) }).catch((e) => e);
    expect(missing.message).toBe('custom ENOENT');
  });

  it('a missing program is E122 by default', async () => {
    const err = await runProcess({ bin: '/nonexistent/espeak-ng', args: ['--version'] }).catch((e) => e);
    expect(isS2VError(err) && err.code).toBe('E122');
    expect(err.oneLine()).toMatch(/espeak-ng not found/);
  });

  it('cancel SIGKILLs the child (even one that ignores SIGTERM) and rejects with E121', async () => {
    const ac = new AbortController();
    const job = spawnProcess({ bin: node, args: script('process.on("SIGTERM", () => {}); console.log(process.pid); setInterval(() => {}, 1000)'), signal: ac.signal, stdout: 'stream', where: 'speech' });
    const pid = Number(String(await new Promise<Buffer>((resolve) => job.stdout!.once('data', resolve))).trim());
    ac.abort();
    const err = await job.done.catch((e) => e);
    expect(isS2VError(err) && err.oneLine()).toMatch(/^E121 speech/);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('an already cancelled signal starts nothing', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => spawnProcess({ bin: node, args: script(''), signal: ac.signal })).toThrow(/cancelled/);
  });
});

describe('probeOutput', () => {
  it('returns the output of a program that exits 0, and undefined for a failing, missing or slow one', () => {
    expect(probeOutput(node, ['--version'])?.stdout).toMatch(/^v\d+\./);
    expect(probeOutput(node, script('process.exit(2)'))).toBeUndefined();
    expect(probeOutput('/nonexistent/tool', ['--version'])).toBeUndefined();
    expect(probeOutput(node, script('setTimeout(() => {}, 10000)'), 300)).toBeUndefined();
  });
});
