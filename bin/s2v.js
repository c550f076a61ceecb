#!/usr/bin/env node
// Entry point for `s2v`. TypeScript sources run through tsx's loader so that
// `npx s2v` works right after `npm install` with no build step to remember.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
