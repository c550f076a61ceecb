// Real Chromium against the real server: a WebM served by /api/files must load, play and
// seek (Chromium's media stack depends on HTTP Range for that).
import { runSync } from '../../test/support/processes.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/studio-server.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'] });
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('media through /api/files in Chromium', () => {
  it('loads and seeks an uploaded WebM preview, using range requests', async () => {
    const webm = path.join(s.root, 'clip.webm');
    runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=4:size=64x64:rate=10', '-c:v', 'libvpx-vp9', '-b:v', '50k', '-g', '5', '-y', webm]);
    const up = await s.api('/api/assets', { method: 'POST', body: new Uint8Array(await fs.readFile(webm)), headers: { 'X-Filename': 'clip.webm' } });
    const asset = (await up.json()) as { url: string; kind: string };
    expect(asset.kind).toBe('video');

    await fs.mkdir(path.join(s.root, 'ui'), { recursive: true });
    await fs.writeFile(path.join(s.root, 'ui', 'index.html'), '<!doctype html><video id="v" muted preload="auto"></video>');
    const page = await browser.newPage();
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/files')) statuses.push(r.status());
    });
    await page.goto(`http://127.0.0.1:${s.port}/`);
    const result = await page.evaluate(async (src) => {
      const v = document.getElementById('v') as HTMLVideoElement;
      const once = (ev: string) =>
        new Promise<void>((resolve, reject) => {
          v.addEventListener(ev, () => resolve(), { once: true });
          v.addEventListener('error', () => reject(new Error(`media error ${v.error?.code}`)), { once: true });
        });
      const loaded = once('loadedmetadata');
      v.src = src;
      await loaded;
      const seeked = once('seeked');
      v.currentTime = 3.2;
      await seeked;
      return { duration: v.duration, time: v.currentTime, width: v.videoWidth, ready: v.readyState };
    }, asset.url);
    expect(result.duration).toBeCloseTo(4, 0);
    expect(result.time).toBeCloseTo(3.2, 1);
    expect(result.width).toBe(64);
    expect(result.ready).toBeGreaterThanOrEqual(2);
    expect(statuses).toContain(206);
    await page.close();
  });
});
