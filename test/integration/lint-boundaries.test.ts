/**
 * The architecture's import arrows are enforced by lint: every top-level folder of src/ and nodes/
 * has an allow-list (eslint.config.js ALLOWED_IMPORTS), and an import outside it fails `npm run lint`.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the lint config is plain JavaScript without type declarations
import { ALLOWED_IMPORTS as allowList } from '../../eslint.config.js';

const ALLOWED_IMPORTS = allowList as Record<string, string[]>;

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${source}';\nexport const y = x;\n`, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 's2v/boundaries').map((m) => m.message);
}

/** A file inside `area`, and the relative path from it to a module in `target`. */
function probe(area: string, target: string): { file: string; source: string } {
  const file = `${area}/__probe__/probe.ts`;
  const to = target === 'nodes' ? 'nodes/index.js' : `${target}/index.js`;
  let rel = path.relative(path.dirname(file), to);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return { file, source: rel };
}

const areas = Object.keys(ALLOWED_IMPORTS);
const everyArea = [...areas, 'test', 'models'];

describe('lint: import allow-list per folder', () => {
  it('covers every top-level folder of src/ and nodes/', async () => {
    const { readdirSync } = await import('node:fs');
    const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `src/${d.name}`);
    expect(folders.filter((f) => !(f in ALLOWED_IMPORTS))).toEqual([]);
    expect('nodes' in ALLOWED_IMPORTS).toBe(true);
  });

  it.each(areas)('%s: a forbidden import fails, an allowed one passes', async (area) => {
    const allowed = ALLOWED_IMPORTS[area]!;
    const forbidden = everyArea.filter((a) => a !== area && !allowed.includes(a));
    expect(forbidden.length).toBeGreaterThan(0);
    for (const target of forbidden) {
      const { file, source } = probe(area, target);
      const errors = await boundaryErrors(file, source);
      expect(errors, `${area} → ${target}`).toHaveLength(1);
      expect(errors[0]).toContain(`${area} may not import ${target}`);
    }
    for (const target of allowed) {
      const { file, source } = probe(area, target);
      expect(await boundaryErrors(file, source), `${area} → ${target}`).toEqual([]);
    }
  });

  it('tests may import across folders (test support, fixtures)', async () => {
    expect(await boundaryErrors('src/engine/__probe__/probe.test.ts', '../../media/index.js')).toEqual([]);
  });
});

describe('src/protocol: the wire format is types only', () => {
  it('every file compiles to no JavaScript at all (nothing to bundle into the studio, nothing to run)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const ts = (await import('typescript')).default;
    const dir = path.join(root, 'src/protocol');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const js = ts.transpileModule(readFileSync(path.join(dir, f), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, removeComments: true } }).outputText;
      expect(js.replace(/export\s*\{\s*\};?/g, '').trim(), f).toBe('');
    }
  });
});
