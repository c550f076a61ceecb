// Lint: typescript-eslint's recommended rules plus the architecture's import arrows
// (see STYLE.md): engine imports nothing else in the repo; the studio UI never reaches
// media/inference/nodes implementations; nodes reach services only through ctx.
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message: 'crosses an architecture boundary (see STYLE.md layout)' })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-artifacts/**', '.tmp/**', '.stryker-tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['src/engine/**'], rules: restrict(['**/media/**', '**/audio/**', '**/inference/**', '**/server/**', '**/cli/**', '**/app/**', '**/runtime/**', '**/nodes/**']) },
  { files: ['src/media/**'], rules: restrict(['**/audio/**', '**/inference/**', '**/server/**', '**/cli/**', '**/app/**', '**/nodes/**']) },
  { files: ['src/audio/**'], rules: restrict(['**/server/**', '**/cli/**', '**/app/**', '**/nodes/**']) },
  { files: ['src/app/**'], rules: restrict(['**/media/**', '**/inference/**', '**/audio/**', '**/server/**', '**/cli/**', '**/runtime/**', '**/nodes/**']) },
  { files: ['nodes/**'], ignores: ['nodes/**/*.test.ts'], rules: restrict(['**/src/media/**', '**/src/inference/**', '**/src/audio/**', '**/src/server/**', '**/src/cli/**', '**/src/app/**']) },
);
