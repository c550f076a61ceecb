/**
 * The README's architecture table is the newcomer's map of the import arrows: it must list every
 * top-level folder of src/ (and nodes/) with exactly what eslint.config.js ALLOWED_IMPORTS lets it import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the lint config is plain JavaScript without type declarations
import { ALLOWED_IMPORTS as allowList } from '../../eslint.config.js';

const ALLOWED_IMPORTS = allowList as Record<string, string[]>;
const root = path.resolve(import.meta.dirname, '../..');

/** Folder → the folders its "may import" cell names, from the table under "### Folders and what each may import". */
function readmeTable(readme: string): Map<string, string[]> {
  const section = readme.split('### Folders and what each may import')[1]?.split(/\n#{2,3} /)[0] ?? '';
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const folder = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!folder) continue;
    rows.set(folder, [...(cells[3] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort());
  }
  return rows;
}

describe('README architecture table', () => {
  it('lists every top-level folder of src/ and nodes/ with exactly its ALLOWED_IMPORTS', () => {
    const table = readmeTable(readFileSync(path.join(root, 'README.md'), 'utf8'));
    const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `src/${e.name}`)
      .concat('nodes');
    expect([...table.keys()].sort()).toEqual(folders.sort());
    for (const folder of folders) expect(table.get(folder), folder).toEqual([...(ALLOWED_IMPORTS[folder] ?? [])].sort());
  });

  it('reads a row\'s folder and its allowed imports, and nothing from other tables', () => {
    const t = readmeTable('| `src/x` | a | `src/a`, `nodes` |\n### Folders and what each may import\n| `src/y` | b, `code` | `src/b`, `src/a` |\n| `src/z` | c | nothing else |\n## Next\n| `src/w` | d | `src/c` |');
    expect([...t.entries()]).toEqual([
      ['src/y', ['src/a', 'src/b']],
      ['src/z', []],
    ]);
  });
});
