#!/usr/bin/env node
// `npm start`: open S2V Studio in its NW.js window. Finds the NW.js runtime (NW_PATH,
// the `nw` npm package, or `nw` on PATH); without one it explains how to get it and
// exits 1, so scripts never mistake "nothing opened" for success.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The binary the `nw` package downloaded, if that package is installed and its download worked. */
async function fromPackage() {
  let resolved;
  try {
    resolved = createRequire(import.meta.url).resolve('nw');
  } catch {
    return undefined;
  }
  try {
    const mod = await import(pathToFileURL(resolved).href);
    const findpath = mod.findpath ?? mod.default?.findpath;
    if (typeof findpath !== 'function') return undefined;
    const p = await findpath();
    return p && isExecutable(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** `nw` on PATH, skipping npm's .bin shims (they only wrap the package checked above). */
function fromPath() {
  const names = process.platform === 'win32' ? ['nw.exe'] : ['nw'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.split(path.sep).includes('node_modules')) continue;
    for (const n of names) {
      const p = path.join(dir, n);
      if (isExecutable(p)) return p;
    }
  }
  return undefined;
}

function explainMissing(reason) {
  process.stderr.write(
    [
      `S2V Studio desktop: ${reason}`,
      '',
      'The desktop app needs the NW.js runtime, which is not installed here. To get it:',
      '  • on a machine with internet access: `npm install` gets it (the optional `nw` package downloads',
      '    the runtime while installing); if that download failed (offline), run:  npm rebuild nw',
      '  • or point NW_PATH at an NW.js binary: NW_PATH=/path/to/nw npm start',
      '',
      'The same studio also runs in your browser:  npm run studio',
      '',
    ].join('\n'),
  );
}

async function main() {
  let nwBin;
  if (process.env.NW_PATH) {
    if (!isExecutable(process.env.NW_PATH)) {
      explainMissing(`NW_PATH is set to "${process.env.NW_PATH}", which is not an executable file.`);
      return 1;
    }
    nwBin = process.env.NW_PATH;
  }
  nwBin ??= (await fromPackage()) ?? fromPath();
  if (!nwBin) {
    explainMissing('the NW.js runtime is not installed.');
    return 1;
  }
  const child = spawn(nwBin, [appDir, ...process.argv.slice(2)], { cwd: appDir, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => {
    child.on('error', (e) => {
      explainMissing(`could not start ${nwBin} (${e.message}).`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

process.exitCode = await main();
