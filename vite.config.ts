import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the studio build (src/app → dist/app) and for Vitest.
export default defineConfig({
  root: 'src/app',
  plugins: [react()],
  base: './',
  build: { outDir: '../../dist/app', emptyOutDir: true },
  test: {
    root: '.',
    include: ['src/**/*.test.ts', 'nodes/**/*.test.ts', 'models/**/*.test.ts', 'test/**/*.test.ts', 'graphs/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
