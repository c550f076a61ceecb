#!/usr/bin/env node
// Entry point for `s2v`: works right after `npm install`, with no build step to remember
// (see load-cli.js for how the TypeScript sources are run).
import { loadCli } from './load-cli.js';

// `s2v analyze x.wav --json | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await loadCli(process.argv[2]);
process.exitCode = await main(process.argv.slice(2));
