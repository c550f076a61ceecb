/**
 * Sharing in the studio, in Chromium against the real server: the gallery (music video first,
 * with inputs and models) opens a template; Export downloads a real .s2vpack; dropping it on
 * the canvas imports the graph with its files inside the studio; a crafted bundle dropped on
 * the canvas is refused with the one-line reason and leaves the open graph alone; a video the
 * project wrote, dropped on the canvas, restores its graph and the "missing" list says which
 * inputs to provide.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, startStudio, type Studio } from './helpers/studio.js';
import { dropFile, statusLine } from './helpers/canvas.js';
import { buildCorpus } from '../fixtures/bundles/corpus.js';
import { FFMPEG } from '../support/ffmpeg.js';
import { createMediaService } from '../../src/media/index.js';
import { encodeProvenance, type Provenance } from '../../src/engine/index.js';
import { REPO } from './helpers/build-ui.js';

let s: Studio;
let page: Page;
const fixtures = new Map<string, string>();

beforeAll(async () => {
  s = await startStudio({ viewport: { width: 1024, height: 700 } });
  page = s.page;
  await page.route('**/__fixtures/*', (r) => r.fulfill({ path: fixtures.get(path.basename(new URL(r.request().url()).pathname))! }));
}, 240_000);
afterAll(async () => s?.close());

const docTitle = () => page.getByRole('heading', { name: 'Document title' });
const autosaved = () => page.evaluate(() => JSON.parse(localStorage.getItem('s2v.autosave.v1') ?? 'null')?.doc as { metadata: { title: string }; inputs: Array<{ name: string; default?: string }>; nodes: Array<{ id: string; params: Record<string, unknown> }> } | null);

describe('studio sharing', () => {
  it('gallery lists the music video first with inputs and models, and opens it', async () => {
    await page.getByRole('button', { name: 'Gallery' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gallery' });
    await dialog.getByRole('heading', { level: 3 }).first().waitFor();
    const titles = await dialog.getByRole('heading', { level: 3 }).allTextContents();
    expect(titles[0]).toBe('Music video');
    expect(titles.length).toBeGreaterThanOrEqual(6);
    await expect.poll(() => dialog.locator('.gallery-item').first().textContent()).toMatch(/Inputs: image, audio, prompt · Models: pulse/);
    await screenshot(page, 'share-gallery');
    // A modal: Tab cycles inside it and never reaches the canvas behind.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await dialog.getByRole('button', { name: 'Open Music video' }).click();
    await expect.poll(() => docTitle().textContent()).toMatch(/Music video/);
  });

  it('Export downloads a real bundle; dropping it on the canvas imports the graph with its files in the studio', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toBe('Music-video.s2vpack');
    const file = path.join(s.tmp, 'clip.s2vpack');
    await download.saveAs(file);
    expect((await fs.readFile(file)).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    fixtures.set('clip.s2vpack', file);
    await dropFile(page, 'clip.s2vpack', 'application/zip', 500, 400);
    await expect.poll(() => statusLine(page).textContent(), { timeout: 20_000 }).toMatch(/Imported "Music video"/);
    const doc = await autosaved();
    const image = doc!.inputs.find((i) => i.name === 'image')!.default!;
    expect(image.startsWith(path.join(s.tmp, 'data', 'assets', 'imports'))).toBe(true);
    expect(await fs.readFile(image)).toEqual(await fs.readFile(path.join(REPO, 'graphs/assets/demo-portrait.jpg')));
    await expect.poll(() => page.getByRole('region', { name: 'Missing before running' }).count()).toBe(0);
  });

  it('the Import button takes a bundle through the file chooser as well', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import' }).click()]);
    await chooser.setFiles(fixtures.get('clip.s2vpack')!);
    // The imported graph from before is unsaved: the studio asks before replacing it.
    await page.getByRole('alertdialog', { name: 'Save changes?' }).getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => statusLine(page).textContent(), { timeout: 20_000 }).toMatch(/Imported "Music video"/);
    const imports = await fs.readdir(path.join(s.tmp, 'data', 'assets', 'imports'));
    expect(imports.filter((d) => d.startsWith('clip-'))).toHaveLength(2);
    expect(imports.filter((d) => d.startsWith('.'))).toEqual([]);
  });

  it('a crafted bundle dropped on the canvas is refused with its one-line reason; the open graph stays', async () => {
    const cases = await buildCorpus(path.join(s.tmp, 'corpus'));
    fixtures.set('symlink.s2vpack', cases.find((c) => c.file.endsWith('symlink.s2vpack'))!.file);
    const before = JSON.stringify(await autosaved());
    await dropFile(page, 'symlink.s2vpack', 'application/zip', 500, 400);
    await expect.poll(() => statusLine(page).textContent(), { timeout: 20_000 }).toMatch(/Import refused: E150 .*entry "assets\/[0-9a-f]{16}-link\.png": symbolic link/);
    expect(JSON.stringify(await autosaved())).toBe(before);
  });

  it('a video S2V wrote, dropped on the canvas, restores its graph and lists the inputs to provide', async () => {
    const template = JSON.parse(await fs.readFile(path.join(REPO, 'graphs/lip-sync.json'), 'utf8'));
    template.inputs = template.inputs.map((i: { default?: string }) => (i.default ? { ...i, default: path.basename(i.default).replace(/^demo-/, 'my-') } : i));
    const provenance: Provenance = {
      format: 's2v-provenance', version: 1, app: { name: 'S2V Studio', version: '0.1.0' }, target: template.nodes.find((n: { type: string }) => n.type === 'output').id,
      graph: template, files: [], models: [{ id: 'performer' }], seeds: {}, fingerprints: {},
    };
    const plain = path.join(s.tmp, 'plain.mp4');
    expect(spawnSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', '-y', plain]).status).toBe(0);
    const video = path.join(s.tmp, 'talking.mp4');
    await createMediaService().copyWithMetadata!(plain, video, { comment: encodeProvenance(provenance) });
    fixtures.set('talking.mp4', video);
    await dropFile(page, 'talking.mp4', 'video/mp4', 500, 400);
    // The imported graph is unsaved: the studio asks before replacing it.
    await page.getByRole('alertdialog', { name: 'Save changes?' }).getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => statusLine(page).textContent(), { timeout: 20_000 }).toMatch(/Restored the graph of talking\.mp4 \(made by S2V Studio 0\.1\.0\)/);
    await expect.poll(() => docTitle().textContent()).toMatch(template.metadata.title);
    const panel = page.getByRole('region', { name: 'Missing before running' });
    await panel.waitFor({ timeout: 10_000 });
    const text = await panel.textContent();
    expect(text).toMatch(/input "image".*file "my-portrait\.jpg" not found/);
    expect(text).toMatch(/pass one with --input image=FILE/);
    expect(await page.locator('.canvas.dropping').count()).toBe(0);
    await screenshot(page, 'share-missing');
  });
});
