/**
 * One studio session for a browser test: the real server (port 0, temp data and cache
 * dirs) serving a fresh UI build, and headless Chromium on it.
 */
import { afterAll, beforeAll } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type StudioServer } from '../../../src/server/index.js';
import { buildUi, REPO } from './build-ui.js';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export interface Studio {
  server: StudioServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  tmp: string;
  /** Open (or re-open) the studio in a page. */
  open(page?: Page): Promise<Page>;
  close(): Promise<void>;
}

export async function startStudio(
  opts: {
    extraArgs?: string[];
    viewport?: { width: number; height: number };
    /** Stands in for the desktop shell's "show in file manager" (the server then reports desktop: true). */
    reveal?: (path: string) => void;
  } = {},
): Promise<Studio> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-e2e-'));
  const staticDir = await buildUi();
  const server = await startServer({ port: 0, staticDir, dataDir: path.join(tmp, 'data'), cacheDir: path.join(tmp, 'cache'), reveal: opts.reveal });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])] });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  const open = async (p?: Page) => {
    const page = p ?? (await context.newPage());
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    await page.goto(server.url);
    await page.getByRole('toolbar', { name: 'Studio' }).waitFor();
    return page;
  };
  const page = await open();
  return {
    server,
    browser,
    context,
    page,
    tmp,
    open,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(REPO, 'test-artifacts');
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The node on the canvas, as the accessibility tree names it ("Image node image-1"). */
export function nodeById(page: Page, id: string) {
  const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByRole('group', { name: new RegExp(` node ${esc}$`) });
}

/**
 * One studio per test file: started before its tests, closed after them. `bind` receives it, so
 * each file keeps its own `s`/`page` variables and its tests read as before.
 */
export function useStudio(opts: Parameters<typeof startStudio>[0], bind: (s: Studio) => void | Promise<void>): void {
  let s: Studio | undefined;
  beforeAll(async () => {
    s = await startStudio(opts);
    await bind(s);
  });
  afterAll(async () => s?.close());
}
