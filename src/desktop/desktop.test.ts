import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome } from '../../test/support/processes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-desktop-test-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const run = (script: string, env: Record<string, string>) => outcome(process.execPath, [script], { env });

describe('npm start (bin/start-desktop.js)', () => {
  it('exits 1 and explains how to get NW.js when no runtime is installed', async () => {
    // A copy outside the repo cannot resolve an `nw` package either, whatever this machine has.
    const copy = path.join(tmp, 'bin', 'start-desktop.js');
    await fs.mkdir(path.dirname(copy), { recursive: true });
    await fs.copyFile(path.join(repo, 'bin', 'start-desktop.js'), copy);
    const { code, stderr } = await run(copy, { PATH: path.join(tmp, 'empty-path') });
    expect(code).toBe(1);
    expect(stderr).toContain('NW.js runtime is not installed');
    expect(stderr).toContain('npm rebuild nw'); // nw is an optional dependency: a failed offline download is retried this way
    expect(stderr).toContain('NW_PATH');
    expect(stderr).toContain('npm run studio');
  });

  it('exits 1 when NW_PATH does not point at an executable', async () => {
    const { code, stderr } = await run(path.join(repo, 'bin', 'start-desktop.js'), { PATH: '', NW_PATH: path.join(tmp, 'missing-nw') });
    expect(code).toBe(1);
    expect(stderr).toMatch(/NW_PATH is set to ".*missing-nw", which is not an executable/);
  });

  it('launches NW_PATH with the app folder and passes its exit code through', async () => {
    const fake = path.join(tmp, 'fake-nw');
    const argsFile = path.join(tmp, 'args.txt');
    await fs.writeFile(fake, `#!/bin/sh\necho "$@" > "${argsFile}"\nexit 3\n`, { mode: 0o755 });
    const { code } = await run(path.join(repo, 'bin', 'start-desktop.js'), { PATH: '/usr/bin:/bin', NW_PATH: fake });
    expect(code).toBe(3);
    expect((await fs.readFile(argsFile, 'utf8')).trim()).toBe(repo);
  });
});

describe('NW.js manifest', () => {
  it('points NW.js at the shell page with a window definition', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(repo, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('src/desktop/index.html');
    await fs.access(path.join(repo, pkg.main));
    expect(pkg.window.title).toBe('S2V Studio');
    expect(pkg.scripts.start).toBe('node bin/start-desktop.js');
  });
});

describe('desktop boot (what NW.js runs in its Node context)', () => {
  it('starts the real studio server with reveal wired to the shell', async () => {
    const boot = require('./boot.cjs') as { start(o: object): Promise<{ url: string; token: string; close(): Promise<void> }> };
    const revealed: string[] = [];
    const server = await boot.start({ reveal: (p: string) => void revealed.push(p), buildUi: false, dataDir: path.join(tmp, 'data') });
    try {
      const u = new URL(server.url);
      const headers = { 'X-S2V-Token': server.token };
      const info = (await (await fetch(`${u.origin}/api/info`, { headers })).json()) as { desktop: boolean; outputsDir: string };
      expect(info.desktop).toBe(true);
      const r = await fetch(`${u.origin}/api/reveal`, { method: 'POST', headers, body: JSON.stringify({ path: info.outputsDir }) });
      expect(r.status).toBe(200);
      expect(revealed).toEqual([await fs.realpath(info.outputsDir)]);
    } finally {
      await server.close();
    }
  });
});

describe('desktop shell (shell.cjs) with a fake NW.js', () => {
  it('loads the tokened URL in the frame, drives the UI through postMessage only, and closes the server', async () => {
    const { startShell } = require('./shell.cjs') as { startShell(d: object): Promise<{ url: string }> };
    const posted: Array<{ msg: Record<string, unknown>; origin: string }> = [];
    const frameWindow = { postMessage: (msg: Record<string, unknown>, origin: string) => posted.push({ msg, origin }) };
    const el = (extra: object = {}) => ({ style: {} as Record<string, string>, textContent: '', ...extra });
    const frame = el({ contentWindow: frameWindow, src: '' }) as ReturnType<typeof el> & { src: string };
    const status = el();
    const listeners: Array<(e: object) => void> = [];
    const win = { title: '', menu: undefined as unknown, handlers: {} as Record<string, () => void>, hidden: false, closed: false };
    class MenuItem {
      constructor(readonly opts: { label?: string; click?: () => void; submenu?: Menu; key?: string; modifiers?: string }) {}
    }
    class Menu {
      items: MenuItem[] = [];
      append(i: MenuItem) {
        this.items.push(i);
      }
    }
    let serverClosed = false;
    const shellReveal: string[] = [];
    const nw = {
      Window: {
        get: () => ({
          set title(t: string) {
            win.title = t;
          },
          set menu(m: unknown) {
            win.menu = m;
          },
          on: (ev: string, fn: () => void) => (win.handlers[ev] = fn),
          hide: () => (win.hidden = true),
          close: (force?: boolean) => (force ? (win.closed = true) : win.handlers.close?.()),
        }),
      },
      Menu,
      MenuItem,
      Shell: { showItemInFolder: (p: string) => shellReveal.push(p) },
    };
    let revealFn: ((p: string) => void) | undefined;
    const boot = {
      start: async (o: { reveal: (p: string) => void }) => {
        revealFn = o.reveal;
        return { url: 'http://127.0.0.1:4567/?token=abc', close: async () => void (serverClosed = true) };
      },
    };
    const window = {
      document: { getElementById: (id: string) => (id === 'studio' ? frame : status) },
      addEventListener: (_t: string, fn: (e: object) => void) => listeners.push(fn),
    };
    await startShell({ window, nw, boot, platform: 'linux' });

    expect(frame.src).toBe('http://127.0.0.1:4567/?token=abc');
    expect(frame.style.display).toBe('block');
    revealFn!('/some/file.mp4');
    expect(shellReveal).toEqual(['/some/file.mp4']);

    const fileMenu = (win.menu as Menu).items[0]!.opts.submenu!;
    expect(fileMenu.items.map((i) => i.opts.label)).toEqual(['New', 'Open…', 'Save', undefined, 'Quit']);
    expect(fileMenu.items[2]!.opts).toMatchObject({ key: 's', modifiers: 'ctrl' });
    fileMenu.items[2]!.opts.click!();
    expect(posted).toEqual([{ msg: { source: 's2v-desktop', type: 'menu', action: 'save' }, origin: 'http://127.0.0.1:4567' }]);

    const deliver = (data: object, origin = 'http://127.0.0.1:4567', source: object = frameWindow) => listeners.forEach((l) => l({ data, origin, source }));
    deliver({ source: 's2v-studio', type: 'title', title: 'evil' }, 'http://evil.example');
    deliver({ source: 's2v-studio', type: 'title', title: 'evil' }, 'http://127.0.0.1:4567', {});
    expect(win.title).toBe('');
    deliver({ source: 's2v-studio', type: 'title', title: 'My Graph' });
    expect(win.title).toBe('My Graph — S2V Studio');
    deliver({ source: 's2v-studio', type: 'ready' });
    expect(posted.at(-1)).toEqual({ msg: { source: 's2v-desktop', type: 'hello', desktop: true, platform: 'linux' }, origin: 'http://127.0.0.1:4567' });

    fileMenu.items[4]!.opts.click!();
    await new Promise((r) => setTimeout(r, 10));
    expect(win.hidden).toBe(true);
    expect(serverClosed).toBe(true);
    expect(win.closed).toBe(true);
  });
});
