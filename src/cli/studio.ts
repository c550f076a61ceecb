/**
 * `s2v studio`: start the local studio server, print its tokened URL, open a browser
 * (unless --no-open) and stay up until SIGINT/SIGTERM, then shut down cleanly (exit 0).
 */
import path from 'node:path';
import { S2VError, makeDirs } from '../engine/index.js';
import { launchDetached } from '../media/index.js';
import { startServer } from '../server/index.js';
import { DEFAULT_STATIC_DIR, buildUi, uiBuilt } from '../server/static.js';
import { flagValue, hasFlag, parseArgs } from './args.js';
import type { CliIO } from './io.js';


export const STUDIO_USAGE = 's2v studio [--port P] [--cache-dir DIR] [--data-dir DIR] [--no-open] [--no-build]';

/** Best effort: a missing opener (headless machine) is not an error, the URL is printed anyway. */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  launchDetached(cmd, args as string[]);
}

export async function studioCommand(args: string[], io: CliIO): Promise<number> {
  const p = parseArgs(args, {
    port: { value: true },
    'cache-dir': { value: true },
    'data-dir': { value: true },
    'no-open': {},
    'no-build': {},
  });
  if (p.positional.length) throw new S2VError('E100', `unexpected argument "${p.positional[0]}"`, { where: 'studio', hint: STUDIO_USAGE });
  const portText = flagValue(p, 'port') ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new S2VError('E100', `--port must be 0–65535, got "${portText}"`, { where: '--port' });

  // A folder that cannot be one fails here, in one line, not as a studio that starts and then fails every request.
  for (const flag of ['cache-dir', 'data-dir']) {
    const dir = flagValue(p, flag);
    if (dir !== undefined) await makeDirs(path.resolve(dir));
  }

  if (!uiBuilt(DEFAULT_STATIC_DIR)) {
    const built = hasFlag(p, 'no-build') ? { ok: false as const, reason: '--no-build' } : await buildUi(io.stderr);
    if (!built.ok) io.stderr(`warning: the studio UI is not built (${built.reason}); run \`npm run build:ui\`, then reload the page\n`);
  }

  let server;
  try {
    server = await startServer({ port, cacheDir: flagValue(p, 'cache-dir'), dataDir: flagValue(p, 'data-dir') });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new S2VError('E100', `port ${port} is already in use`, { where: '--port', hint: 'pick another port or use --port 0' });
    }
    throw e;
  }
  io.stdout(`S2V Studio: ${server.url}\n`);
  io.stdout(`data folder: ${server.dataDir} — press Ctrl+C to stop\n`);
  if (!hasFlag(p, 'no-open')) openBrowser(server.url);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    io.signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  io.stdout('studio stopped\n');
  return 0;
}
