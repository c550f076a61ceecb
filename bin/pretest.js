#!/usr/bin/env node
// `npm test` runs this first (npm's pretest hook). The tests use a few system tools beyond npm
// (src/cli/system-tools.json). On a fresh Debian/Ubuntu machine, as root with apt-get, the
// missing ones are installed; anywhere else one line names what is missing and the command
// that installs it, and the run stops before any test starts. S2V_SKIP_PRETEST=1 skips this.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { tools } = JSON.parse(fs.readFileSync(path.join(root, 'src/cli/system-tools.json'), 'utf8'));

function onPath(bin) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      fs.accessSync(path.join(dir, bin), fs.constants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

export function missingTools(list = tools) {
  return list.filter((t) => t.tests && !(t.bin ? onPath(t.bin) : fs.existsSync(t.file)));
}

function installLine(missing) {
  if (process.platform === 'darwin') {
    const formulae = missing.filter((t) => !t.brew.startsWith('--cask')).map((t) => t.brew);
    const casks = missing.filter((t) => t.brew.startsWith('--cask')).map((t) => t.brew.replace('--cask ', ''));
    return [formulae.length && `brew install ${formulae.join(' ')}`, casks.length && `brew install --cask ${casks.join(' ')}`].filter(Boolean).join(' && ');
  }
  return `sudo apt-get install -y ${[...new Set(missing.map((t) => t.apt))].join(' ')}`;
}

function main() {
  if (process.env.S2V_SKIP_PRETEST === '1') return 0;
  const missing = missingTools();
  if (missing.length === 0) return 0;
  const names = missing.map((t) => t.name).join(', ');
  const canApt = process.platform === 'linux' && process.getuid?.() === 0 && onPath('apt-get');
  if (!canApt) {
    process.stderr.write(`npm test needs ${names} (missing); install with: ${installLine(missing)}\n`);
    return 1;
  }
  const pkgs = [...new Set(missing.map((t) => t.apt))];
  process.stderr.write(`pretest: installing ${pkgs.join(' ')} with apt-get (needed by the tests)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = ['-o', 'Acquire::Retries=1', '-o', 'Acquire::http::Timeout=30'];
  for (const args of [['update', '-qq', ...opts], ['install', '-y', '-qq', '--no-install-recommends', ...opts, ...pkgs]]) {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 15 * 60_000 });
    if (r.status !== 0) {
      const why = (r.stderr ?? '').trim().split('\n').at(-1) || `exit ${r.status ?? r.signal}`;
      process.stderr.write(`pretest: apt-get ${args[0]} failed (${why}); install by hand: ${installLine(missing)}\n`);
      return 1;
    }
  }
  const still = missingTools();
  if (still.length) {
    process.stderr.write(`npm test needs ${still.map((t) => t.name).join(', ')} (still missing after apt-get); install with: ${installLine(still)}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
