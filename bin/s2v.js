#!/usr/bin/env node
// Entry point for `s2v`. TypeScript sources run through tsx's loader so that
// `npx s2v` works right after `npm install` with no build step to remember.
import { register } from 'tsx/esm/api';
register();
// `s2v analyze x.wav --json | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
