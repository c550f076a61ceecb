/**
 * What the desktop shell runs in NW.js's Node context: build the UI if this checkout has
 * none yet, then start the same studio server the CLI starts, with "reveal in file
 * manager" wired to the native shell.
 */
import { startServer, type StudioServer } from '../server/index.js';
import { DEFAULT_STATIC_DIR, buildUi, uiBuilt } from '../server/static.js';

export interface DesktopServerOptions {
  /** nw.Shell.showItemInFolder in the shell. */
  reveal: (path: string) => void;
  log?: (line: string) => void;
  /** Build dist/app with vite when it is missing (default true). */
  buildUi?: boolean;
  dataDir?: string;
}

export async function startDesktopServer(opts: DesktopServerOptions): Promise<StudioServer & { uiWarning?: string }> {
  const log = opts.log ?? (() => undefined);
  let uiWarning: string | undefined;
  if (!uiBuilt(DEFAULT_STATIC_DIR)) {
    const r = opts.buildUi === false ? { ok: false as const, reason: 'not built' } : await buildUi(log);
    if (!r.ok) uiWarning = `the studio UI is not built (${r.reason}); run \`npm run build:ui\``;
  }
  const server = await startServer({ port: 0, reveal: opts.reveal, dataDir: opts.dataDir });
  return Object.assign(server, uiWarning ? { uiWarning } : {});
}
