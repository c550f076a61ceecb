// Lint: typescript-eslint's recommended rules plus the architecture's import arrows (see STYLE.md).
// Every top-level folder of src/ and nodes/ has an allow-list of the repo folders it may import;
// an import of any other repo folder is an error. Tests (*.test.ts) may import anything.
import path from 'node:path';
import tseslint from 'typescript-eslint';

/** Folder → repo folders it may import (besides itself). A folder missing here may import nothing. */
export const ALLOWED_IMPORTS = {
  'src/engine': [],
  // Wire types are built from the engine's public types (types only: see lint-boundaries.test.ts).
  'src/protocol': ['src/engine'],
  'src/media': ['src/engine'],
  'src/inference': ['src/engine'],
  'src/audio': ['src/engine', 'src/media'],
  'src/backends': ['src/engine', 'src/media'],
  'src/bundle': ['src/engine', 'src/media', 'src/protocol'],
  'src/speech': ['src/engine', 'src/media'],
  'src/runtime': ['src/engine', 'src/media', 'src/audio', 'src/inference', 'src/backends', 'src/speech', 'nodes'],
  'src/server': ['src/engine', 'src/protocol', 'src/runtime', 'src/media', 'src/bundle', 'nodes'],
  // The CLI is a front door: it reaches the runtime's parts for `doctor`, `backends` and `analyze`.
  'src/cli': ['src/engine', 'src/runtime', 'src/server', 'src/media', 'src/audio', 'src/inference', 'src/backends', 'src/speech', 'src/bundle', 'nodes'],
  'src/desktop': ['src/server'],
  'src/app': ['src/engine', 'src/protocol'],
  nodes: ['src/engine', 'models'],
};

const ROOT = path.dirname(new URL(import.meta.url).pathname);

/** The architecture area of a repo-relative path: src/<folder>, nodes, or another top-level folder. */
function areaOf(rel) {
  const parts = rel.split(/[\\/]/);
  if (parts[0] === 'src' && parts.length > 2) return `src/${parts[1]}`;
  return parts[0];
}

const boundaries = {
  meta: { type: 'problem', schema: [], messages: { cross: '{{from}} may not import {{to}} (allowed: {{allowed}}; see STYLE.md layout)' } },
  create(context) {
    const file = path.relative(ROOT, context.filename);
    const from = areaOf(file);
    if (!(from in ALLOWED_IMPORTS) || /\.test\.tsx?$/.test(file)) return {};
    const allowed = ALLOWED_IMPORTS[from];
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = areaOf(path.relative(ROOT, path.resolve(path.dirname(context.filename), source)));
      if (to === from || allowed.includes(to)) return;
      context.report({ node, messageId: 'cross', data: { from, to, allowed: allowed.join(', ') || 'nothing else in the repo' } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default tseslint.config(
  // src/audio/wasm/assembly is AssemblyScript (compiled to WebAssembly by src/audio/wasm/build.ts), not TypeScript.
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-artifacts/**', '.tmp/**', '.stryker-tmp/**', 'src/audio/wasm/assembly/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { s2v: { rules: { boundaries } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      's2v/boundaries': 'error',
    },
  },
);
