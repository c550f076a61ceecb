/**
 * CommonJS entry the NW.js page `require()`s: it runs in NW.js's Node context, where
 * `import()` is Node's (in the page it would be Chromium's). tsx compiles the TypeScript
 * server on the fly, exactly as bin/s2v.js does for the CLI.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the NW.js page require()s this file. */
const path = require('node:path');
const { pathToFileURL } = require('node:url');

/** @param {{ reveal: (p: string) => void, log?: (s: string) => void, buildUi?: boolean, dataDir?: string }} opts */
async function start(opts) {
  // tsx's CommonJS build of this API cannot register its loader; its ESM build can.
  const { tsImport } = await import('tsx/esm/api');
  const entry = pathToFileURL(path.join(__dirname, 'start.ts')).href;
  const mod = await tsImport(entry, __filename);
  return mod.startDesktopServer(opts);
}

module.exports = { start };
