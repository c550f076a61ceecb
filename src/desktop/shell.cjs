/**
 * The NW.js shell: starts the studio server, shows the UI in a full-window iframe that
 * has no Node access (`nwdisable`; the page is plain http on 127.0.0.1), and owns the
 * native menu. It talks to the UI only with postMessage, checked against the server's
 * origin both ways (protocol in src/server/API.md, "Desktop bridge").
 *
 * Kept as plain CommonJS with its dependencies passed in, so it runs unchanged in NW.js
 * and in a Node test with fakes.
 */
'use strict';

const MENU = [
  { action: 'new', label: 'New', key: 'n' },
  { action: 'open', label: 'Open…', key: 'o' },
  { action: 'save', label: 'Save', key: 's' },
];

/**
 * @param {{ window: any, nw: any, boot: { start: Function }, platform?: string }} deps
 * @returns {Promise<{ url: string, close(): Promise<void>, send(msg: object): void }>}
 */
async function startShell({ window, nw, boot, platform = process.platform }) {
  const doc = window.document;
  const status = doc.getElementById('status');
  const frame = doc.getElementById('studio');
  const win = nw.Window.get();

  const server = await boot.start({
    reveal: (p) => nw.Shell.showItemInFolder(p),
    log: (line) => {
      status.textContent = String(line).trim();
    },
  });
  const origin = new URL(server.url).origin;
  const send = (msg) => {
    if (frame.contentWindow) frame.contentWindow.postMessage({ source: 's2v-desktop', ...msg }, origin);
  };

  window.addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const msg = event.data;
    if (!msg || msg.source !== 's2v-studio') return;
    if (msg.type === 'ready') send({ type: 'hello', desktop: true, platform });
    else if (msg.type === 'title' && typeof msg.title === 'string') win.title = `${msg.title.slice(0, 120)} — S2V Studio`;
  });

  const modifiers = platform === 'darwin' ? 'cmd' : 'ctrl';
  const bar = new nw.Menu({ type: 'menubar' });
  if (platform === 'darwin' && bar.createMacBuiltin) bar.createMacBuiltin('S2V Studio', { hideEdit: false, hideWindow: false });
  const file = new nw.Menu();
  for (const m of MENU) {
    file.append(new nw.MenuItem({ label: m.label, key: m.key, modifiers, click: () => send({ type: 'menu', action: m.action }) }));
  }
  file.append(new nw.MenuItem({ type: 'separator' }));
  file.append(new nw.MenuItem({ label: 'Quit', key: 'q', modifiers, click: () => win.close() }));
  bar.append(new nw.MenuItem({ label: 'File', submenu: file }));
  win.menu = bar;

  let closing;
  const close = () => (closing ??= server.close());
  win.on('close', () => {
    win.hide();
    close().finally(() => win.close(true));
  });

  if (server.uiWarning) status.textContent = server.uiWarning;
  else status.style.display = 'none';
  frame.style.display = 'block';
  frame.src = server.url;
  return { url: server.url, close, send };
}

module.exports = { startShell, MENU };
