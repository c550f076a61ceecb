/**
 * Inside the desktop app (the server was given a reveal function, so GET /api/info says
 * desktop: true) the Output node offers "Reveal file", which asks the shell to show the
 * rendered file. Outside it the button is absent (run-lifecycle.test.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, useStudio, type Studio } from './helpers/studio.js';
import { fillMusicVideo } from './helpers/canvas.js';

let s: Studio;
let page: Page;
const revealed: string[] = [];

useStudio({ reveal: (p) => void revealed.push(p) }, (started) => {
  s = started;
  page = started.page;
});

describe('desktop app', () => {
  it('reveals the rendered file through the shell', async () => {
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Use template Music video/ }).click();
    await fillMusicVideo(page, s.tmp, 1, { width: '64', height: '64', fps: '8' });
    await page.getByRole('button', { name: /Run$/ }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Cancel' }).count(), { timeout: 90_000 }).toBe(0);

    const button = nodeById(page, 'output').getByRole('button', { name: 'Reveal file of output' });
    await expect.poll(() => button.count()).toBe(1);
    await button.click();
    // Unsaved, the document renders under its title and the time.
    const written = (await fs.readdir(path.join(s.server.dataDir, 'outputs'))).filter((f) => f.endsWith('.mp4'));
    expect(written).toEqual([expect.stringMatching(/^Music-video-\d{8}-\d{6}\.mp4$/)]);
    const expected = await fs.realpath(path.join(s.server.dataDir, 'outputs', written[0]!));
    await expect.poll(() => revealed).toEqual([expected]);
    await expect.poll(() => page.getByRole('status', { name: 'Status', exact: true }).textContent()).toBe(`Revealed ${expected}`);
  });
});
