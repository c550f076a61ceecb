/** Our ZIP writer and strict reader: round trip, interop with Info-ZIP's unzip, byte-reproducible output. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNamedPipe, runSync } from '../../test/support/processes.js';
import { openZip } from './zip-read.js';
import { writeZip, zipChunks } from './zip-write.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-zip-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const entries = [
  { name: 'index.json', data: Buffer.from('{"a":1}') },
  { name: 'graph.json', data: Buffer.from(JSON.stringify({ text: 'x'.repeat(5000) })) }, // deflates
  { name: 'assets/0123456789abcdef-noise.wav', data: randomBytes(20_000) }, // stays stored
  { name: 'assets/0123456789abcdee-empty.wav', data: Buffer.alloc(0) },
  { name: 'models/pulse.json', data: Buffer.from('{"id":"pulse","é":"ü"}') },
];

describe('zip writer + strict reader', () => {
  it('reads back every entry byte for byte, choosing deflate only where it pays', async () => {
    const file = path.join(dir, 'a.zip');
    await writeZip(file, entries);
    const zip = await openZip(file);
    try {
      expect(zip.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
      for (const [i, e] of zip.entries.entries()) expect(await zip.read(e)).toEqual(entries[i]!.data);
      expect(zip.entries[1]!.method).toBe(8);
      expect(zip.entries[1]!.compressedSize).toBeLessThan(200);
      expect(zip.entries[2]!.method).toBe(0);
      expect(zip.entries.every((e) => e.unixMode === 0o100644)).toBe(true);
    } finally {
      await zip.close();
    }
  });

  it('writes archives Info-ZIP unzip tests clean and extracts identically', async () => {
    const file = path.join(dir, 'b.zip');
    await writeZip(file, entries);
    expect(runSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
    const out = path.join(dir, 'unzipped');
    runSync('unzip', ['-q', file, '-d', out]);
    for (const e of entries) expect(await fs.readFile(path.join(out, e.name))).toEqual(e.data);
  });

  it('is byte-reproducible: same entries, same bytes (fixed timestamps)', () => {
    expect(Buffer.concat(zipChunks(entries))).toEqual(Buffer.concat(zipChunks(entries)));
  });

  it('a truncated archive is refused with one line naming it', async () => {
    const file = path.join(dir, 'cut.zip');
    await fs.writeFile(file, Buffer.concat(zipChunks(entries)).subarray(0, 3000));
    await expect(openZip(file)).rejects.toThrow(/^not a ZIP archive \(no end-of-central-directory record\)$/);
  });

  it.skipIf(process.platform === 'win32')('a named pipe is refused at once instead of waiting for a writer', async () => {
    const { error: e, waitedForWriter } = await openNamedPipe(path.join(dir, 'pipe.s2vpack'), openZip);
    expect(waitedForWriter, 'waited for a writer').toBe(false);
    expect((e as Error | undefined)?.message).toBe('not a regular file');
  });
});
