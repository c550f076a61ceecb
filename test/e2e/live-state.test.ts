/**
 * Studio 2, "always show what happened": a graph built from scratch marks its required
 * unconnected ports and says on the node why it would not run, before Run; a refused run
 * leaves nothing queued and its error on the node (and in a notification that stays until
 * dismissed) until the cause is fixed; a number is checked as it is typed, in the node's own
 * words; the Video Model shows the frame being rendered and a time estimate; an edit marks
 * the node and what is downstream "changed"; a wired input shows its param as driven; the
 * Screenwriter shows the text it wrote.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, useStudio, type Studio } from './helpers/studio.js';
import { makeBeat, makeImage } from './helpers/fixtures.js';
import { param } from './helpers/canvas.js';

let s: Studio;
let page: Page;

useStudio(undefined, (started) => {
  s = started;
  page = started.page;
});

const stateOf = (p: Page, id: string) =>
  nodeById(p, id)
    .getByRole('status', { name: /^Status of / })
    .getAttribute('data-state', { timeout: 2000 })
    .catch(() => null);
const badges = (p: Page) => p.locator('.react-flow__node [data-state]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.state));

async function addNode(p: Page, query: string): Promise<void> {
  await p.getByRole('button', { name: 'Add node' }).click();
  await p.getByRole('combobox', { name: 'Search node types' }).fill(query);
  await p.keyboard.press('Enter');
  await expect.poll(() => p.getByRole('dialog', { name: 'Add node' }).count()).toBe(0);
}

async function connect(p: Page, from: string, to: string): Promise<void> {
  await p.getByRole('button', { name: from, exact: true }).focus();
  await p.keyboard.press('Enter');
  await p.getByRole('button', { name: to, exact: true }).focus();
  await p.keyboard.press('Enter');
}


describe('live node state', () => {
  it('marks required ports, validates live, and clears a refused run’s states and errors once fixed', async () => {
    for (const q of ['Image', 'Audio File', 'Audio Features', 'Video Model', 'Output']) await addNode(page, q);
    const model = nodeById(page, 'video-model-1');
    // Required, unconnected: marked on the port and listed on the node, before any run.
    await expect.poll(() => model.getByText('Needs inputs: Audio, Features').count()).toBe(1);
    expect(await model.locator('.port-missing').allTextContents()).toEqual([expect.stringMatching(/^Audio\s*required/), expect.stringMatching(/^Features\s*required/)]);
    expect(await model.locator('.port-in', { hasText: 'Image' }).locator('.required').count()).toBe(0);
    await expect.poll(() => nodeById(page, 'output-1').getByText('Needs an input: video').count()).toBe(1);
    // The server's own check, live, with its reason on the node it names.
    await expect.poll(() => page.getByLabel(/^Problem on /).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByLabel(/^Problem on /).textContent()).toMatch(/^Won't run: .*(required input|not connected)/);

    // Run anyway: refused. Nothing stays queued; the node it names shows why.
    await page.getByRole('button', { name: /Run$/ }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Status', exact: true }).textContent()).toMatch(/^Run refused: /);
    expect(await badges(page)).not.toContain('queued');
    expect(await badges(page)).toEqual(['error']);
    const refused = (await page.locator('.react-flow__node:has([data-state=error])').getAttribute('data-id'))!;
    expect(await nodeById(page, refused).getByText(/^Error:/).count()).toBe(1);
    // …and in a notification that stays (later messages do not replace it) until dismissed.
    const notices = page.getByRole('region', { name: 'Notifications' }).getByRole('alert');
    expect(await notices.count()).toBe(1);
    expect(await notices.first().textContent()).toMatch(/Run refused/);

    // Fix it: files, and every wire.
    await nodeById(page, 'image-1').getByLabel('Image file (image-1)').setInputFiles(await makeImage(s.tmp));
    await nodeById(page, 'audio-file-1').getByLabel('Audio file (audio-file-1)').setInputFiles(await makeBeat(s.tmp, 3));
    await connect(page, 'Image output image (image)', 'Video Model input Image (image)');
    await connect(page, 'Audio File output audio (audio)', 'Audio Features input audio (audio)');
    await connect(page, 'Audio File output audio (audio)', 'Video Model input Audio (audio)');
    await connect(page, 'Audio Features output features (features)', 'Video Model input Features (features)');
    await connect(page, 'Video Model output Video (video)', 'Output input video (video)');
    // The error and the live problem are gone; the refused node now says it changed.
    await expect.poll(() => page.getByLabel(/^Problem on /).count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByText(/^Error:/).count()).toBe(0);
    expect(await page.locator('.node-needs').count()).toBe(0);
    expect(await badges(page)).toEqual(['changed']);
    expect(await notices.count()).toBe(1);

    // A number is checked as it is typed, with the node's own words, and not stored.
    const width = model.getByLabel(/^width/);
    await width.fill('5000');
    await expect.poll(() => model.getByRole('alert').textContent()).toBe('width must be at most 4096 px');
    expect(await width.getAttribute('aria-invalid')).toBe('true');
    expect(await param(page, 'video-model-1', 'width')).toBe(512);
    await width.fill('17.5');
    await expect.poll(() => model.getByRole('alert').textContent()).toBe('width must be a whole number');
    await width.fill('256');
    await expect.poll(() => model.getByRole('alert').count()).toBe(0);
    expect(await param(page, 'video-model-1', 'width')).toBe(256);
    await model.getByLabel(/^height/).fill('256');
    await model.getByLabel(/^fps/).fill('60');
    await screenshot(page, 'live-state-fixed');
  });

  it('shows the frame being rendered and a time estimate on the Video Model while it runs', async () => {
    const model = nodeById(page, 'video-model-1');
    await page.getByRole('button', { name: /Run$/ }).click();
    const frame = model.getByRole('img', { name: 'Frame being rendered by video-model-1' });
    await expect.poll(() => frame.count(), { timeout: 60_000 }).toBe(1);
    // A real decoded picture of the render size, not a broken image.
    await expect
      .poll(() => frame.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)).catch(() => 0), { timeout: 10_000 })
      .toBe(256);
    // The frame is a picture of the render (many colours), fetched and decoded as the page does.
    const colours = async () => {
      const src = await frame.getAttribute('src', { timeout: 2000 }).catch(() => null);
      if (!src) return 0;
      return page.evaluate(async (u) => {
        const bmp = await createImageBitmap(await (await fetch(u)).blob());
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const g = c.getContext('2d')!;
        g.drawImage(bmp, 0, 0);
        const d = g.getImageData(0, 0, bmp.width, bmp.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i]! >> 4) * 256 + (d[i + 1]! >> 4) * 16 + (d[i + 2]! >> 4));
        return seen.size;
      }, src).catch(() => 0);
    };
    await expect.poll(colours, { timeout: 20_000 }).toBeGreaterThan(8);
    await expect.poll(() => model.getByRole('status', { name: 'Time left for video-model-1' }).textContent(), { timeout: 30_000 }).toMatch(/frame \d+\/180 · about \d+ (s|min) left$/);
    await screenshot(page, 'live-preview');
    await expect.poll(() => page.getByRole('button', { name: 'Cancel' }).count(), { timeout: 120_000 }).toBe(0);
    expect(await page.getByLabel('Run summary').textContent()).toMatch(/0 failed, 0 blocked/);
    // Done: the preview frame gives way to the render.
    expect(await frame.count()).toBe(0);
    expect(await model.getByLabel('Preview of video-model-1').count()).toBe(1);
    expect(await model.getByLabel('Sync score').count()).toBe(1);
  });

  it('marks an edited node and its downstream "changed" at once, and leaves the rest as they were', async () => {
    for (const id of ['image-1', 'audio-file-1', 'audio-features-1', 'video-model-1', 'output-1']) expect(['done', 'cached']).toContain(await stateOf(page, id));
    const model = nodeById(page, 'video-model-1');
    await model.getByRole('combobox', { name: 'Model' }).selectOption('drift');
    await expect.poll(() => stateOf(page, 'video-model-1')).toBe('changed');
    expect(await stateOf(page, 'output-1')).toBe('changed');
    for (const id of ['image-1', 'audio-file-1', 'audio-features-1']) expect(['done', 'cached']).toContain(await stateOf(page, id));
    // The old sync score belongs to the old model: not shown as if it were current.
    expect(await model.getByLabel('Sync score').count()).toBe(0);
    expect(await model.getByText('Last render (before your change)', { exact: false }).count()).toBe(1);
    // Undo: the graph is what ran again, so the states are too.
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => stateOf(page, 'video-model-1')).not.toBe('changed');
    expect(await stateOf(page, 'output-1')).not.toBe('changed');

    const notices = page.getByRole('region', { name: 'Notifications' }).getByRole('alert');
    await notices.first().getByRole('button', { name: /^Dismiss/ }).click();
    expect(await page.getByRole('region', { name: 'Notifications' }).count()).toBe(0);
  });

  it('shows a wired param as driven by its wire, and the Screenwriter’s text after "Run to here"', async () => {
    await page.getByRole('button', { name: 'Fit view' }).click();
    await addNode(page, 'Prompt');
    await nodeById(page, 'prompt-1').getByRole('textbox').first().fill('a lighthouse keeper at dusk');
    await addNode(page, 'Screenwriter');
    const sw = nodeById(page, 'screenwriter-1');
    await expect.poll(() => sw.getByRole('textbox', { name: 'Idea' }).count()).toBe(1); // the node mounts a frame after it is added
    await connect(page, 'Prompt output prompt (text)', 'Screenwriter input Idea (text)');
    await expect.poll(() => sw.getByRole('group', { name: 'Idea: driven by the wire from prompt-1.text' }).count()).toBe(1);
    expect(await sw.getByRole('textbox', { name: 'Idea' }).count()).toBe(0);

    await sw.getByRole('button', { name: 'Run to here (screenwriter-1)' }).click();
    const result = sw.getByRole('region', { name: 'Result of screenwriter-1' });
    await expect.poll(() => result.count(), { timeout: 90_000 }).toBe(1);
    const text = (await result.locator('output').textContent()) ?? '';
    expect(text.toLowerCase()).toContain('lighthouse keeper');
    expect(text.length).toBeGreaterThan('a lighthouse keeper at dusk'.length + 20);
    await screenshot(page, 'screenwriter-result');
  });
});
