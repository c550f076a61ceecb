/**
 * Import is safe by construction: every crafted bundle in the corpus (test/fixtures/bundles/
 * corpus.ts) is refused by `s2v unpack` with exit 2 and ONE line naming the entry and the
 * reason; nothing is written — not in the target folder, not beside it, not where a
 * traversal name points — and no staging folder is left behind. A well-formed bundle built
 * the same way unpacks, so the refusals are about the crafted defect, not the builder.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { buildCorpus, bundleWith, type CorpusCase } from '../fixtures/bundles/corpus.js';

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) out.push(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  return out.sort();
}

async function unpack(file: string, target: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['unpack', file, '-d', target], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false });
  return { code, stdout, stderr };
}

describe('malicious bundle corpus', () => {
  let root: string;
  let cases: CorpusCase[];
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-corpus-'));
    cases = await buildCorpus(path.join(root, 'corpus'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('has at least 15 crafted bundles', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it('refuses every crafted bundle with one line naming entry and reason, and writes nothing anywhere', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const sandbox = path.join(root, 'sandbox', path.basename(c.file, '.s2vpack'));
      const target = path.join(sandbox, 'deep', 'target');
      await fs.mkdir(path.join(sandbox, 'deep'), { recursive: true });
      const before = await tree(sandbox);
      const r = await unpack(c.file, target);
      const lines = r.stderr.split('\n').filter(Boolean);
      const name = path.basename(c.file);
      if (r.code !== 2) failures.push(`${name}: exit ${r.code}, expected 2 (${r.stderr.trim()})`);
      if (lines.length !== 1) failures.push(`${name}: ${lines.length} stderr lines: ${r.stderr}`);
      else {
        if (!/^error: E15\d |^error: E150 /.test(lines[0]!) && !/^error: E150/.test(lines[0]!)) failures.push(`${name}: not an E150 refusal: ${lines[0]}`);
        if (!lines[0]!.includes(name)) failures.push(`${name}: line does not name the bundle: ${lines[0]}`);
        if (!c.expect.test(lines[0]!)) failures.push(`${name}: line does not match ${c.expect}: ${lines[0]}`);
        if (/\n|\s{2,}at /.test(lines[0]!)) failures.push(`${name}: stack trace in output`);
      }
      if (r.stdout !== '') failures.push(`${name}: printed to stdout: ${r.stdout}`);
      const after = await tree(sandbox);
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${name}: files appeared: ${after.filter((f) => !before.includes(f)).join(', ')}`);
      if (c.escapes) {
        for (const dir of [sandbox, path.join(sandbox, 'deep'), path.dirname(sandbox), root, os.tmpdir()]) {
          if (await fs.stat(path.join(dir, c.escapes)).catch(() => undefined)) failures.push(`${name}: wrote ${path.join(dir, c.escapes)}`);
        }
      }
    }
    await expect(fs.stat('/tmp/s2v-corpus-absolute.json')).rejects.toThrow();
    expect(failures).toEqual([]);
  }, 120_000);

  it('unpacks a well-formed bundle made by the same builder (control)', async () => {
    const file = path.join(root, 'good.s2vpack');
    await fs.writeFile(file, bundleWith());
    const target = path.join(root, 'good');
    const r = await unpack(file, target);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = (await tree(target)).map((f) => path.relative(target, f));
    expect(files).toEqual(['assets', expect.stringMatching(/^assets\/[0-9a-f]{16}-photo\.png$/), 'graph.json', 'index.json']);
    expect((await fs.readdir(root)).filter((n) => n.includes('.unpack-'))).toEqual([]);
  });

  it('refuses to unpack into a folder that already has files, leaving them untouched', async () => {
    const file = path.join(root, 'good2.s2vpack');
    await fs.writeFile(file, bundleWith());
    const target = path.join(root, 'busy');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'mine.txt'), 'keep');
    const r = await unpack(file, target);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: E109 .*busy: folder is not empty/);
    expect(await fs.readdir(target)).toEqual(['mine.txt']);
  });
});
