/**
 * One naming rule for source files, so a folder listing reads the same everywhere: a React component
 * file (.tsx exporting a component) is PascalCase, named after what it shows; every other module —
 * hooks, helpers, tests, scripts, .tsx entry points — is kebab-case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', 'dist', 'out', 'test-artifacts', '.git', '.stryker-tmp', '.tmp']);
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*(\.[a-z0-9]+)*$/;
const EXPORTS_COMPONENT = /^export\s+(default\s+)?(function|const)\s+[A-Z]\w*/m;

/** Why a file's name breaks the rule, or undefined when it keeps it. */
function namingProblem(file: string, source: string): string | undefined {
  const name = path.basename(file);
  const stem = name.replace(CODE, '');
  const component = name.endsWith('.tsx') && EXPORTS_COMPONENT.test(source);
  if (component) return PASCAL.test(stem) ? undefined : `${file}: a React component file is PascalCase`;
  return KEBAB.test(stem) ? undefined : `${file}: a module that is not a React component is kebab-case`;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (CODE.test(e.name)) out.push(p);
  }
  return out;
}

describe('file naming rule', () => {
  it('every module in src/, nodes/ and test/ is PascalCase when it is a React component, kebab-case otherwise', () => {
    const files = ['src', 'nodes', 'test'].flatMap((d) => sources(path.join(root, d)));
    expect(files.length).toBeGreaterThan(100);
    const problems = files.map((f) => namingProblem(path.relative(root, f), readFileSync(f, 'utf8'))).filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('tells camelCase modules, lower-case components and PascalCase helpers apart', () => {
    const component = 'export function TrimEditor() { return <div />; }';
    expect(namingProblem('src/app/special/frameMap.ts', 'export const frameMap = 1;')).toMatch(/frameMap\.ts: .*kebab-case/);
    expect(namingProblem('src/app/special/useFaceDetection.ts', 'export function useFaceDetection() {}')).toMatch(/kebab-case/);
    expect(namingProblem('src/app/special/trim-editor.tsx', component)).toMatch(/PascalCase/);
    expect(namingProblem('src/app/state/Render-History.ts', 'export const x = 1;')).toMatch(/kebab-case/);
    expect(namingProblem('src/app/special/TrimEditor.tsx', component)).toBeUndefined();
    expect(namingProblem('src/app/main.tsx', "createRoot(el).render(<App />);")).toBeUndefined();
    expect(namingProblem('src/app/special/frame-map.test.ts', '')).toBeUndefined();
    expect(namingProblem('src/audio/headaudio.d.ts', '')).toBeUndefined();
  });
});
