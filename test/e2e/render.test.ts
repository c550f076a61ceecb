/**
 * Rendering from the studio: the music-video template with the user's own image and audio
 * set through the file inputs, run with per-node progress, the Output node's video playing;
 * and a failing node showing its error while everything downstream says blocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, startStudio, type Studio } from './helpers/studio.js';
import { makeBeat, makeImage, probeDuration } from './helpers/fixtures.js';
import { playFor, recordStates, states } from './helpers/observe.js';

let s: Studio;
let page: Page;
let image: string;
let audio: string;

beforeAll(async () => {
  s = await startStudio();
  page = s.page;
  image = await makeImage(s.tmp);
  audio = await makeBeat(s.tmp, 3);
});
afterAll(async () => s?.close());

async function runAndWait(p: Page): Promise<string> {
  await p.getByRole('button', { name: /Run$/ }).click();
  await expect.poll(() => p.getByRole('button', { name: 'Cancel' }).count(), { timeout: 90_000 }).toBe(0);
  await expect.poll(() => p.getByLabel('Run summary').textContent()).toMatch(/ran|cached/);
  return (await p.getByLabel('Run summary').textContent()) ?? '';
}

async function smallModel(p: Page, id: string): Promise<void> {
  const node = nodeById(p, id);
  await node.getByLabel(/^width/).fill('128');
  await node.getByLabel(/^height/).fill('128');
  await node.getByLabel(/^fps/).fill('12');
}

describe('rendering from the studio', () => {
  it('renders the music-video template with uploaded image + audio and plays the result', async () => {
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Use template Music video/ }).click();
    await nodeById(page, 'image').getByLabel('Image file (image)').setInputFiles(image);
    await nodeById(page, 'audio').getByLabel('Audio file (audio)').setInputFiles(audio);
    await expect.poll(() => nodeById(page, 'image').getByText('face.png').count()).toBe(1);
    await expect.poll(() => nodeById(page, 'audio').getByText('beat.wav').count()).toBe(1);
    await smallModel(page, 'model');
    await recordStates(page);
    const summary = await runAndWait(page);
    expect(summary).toMatch(/0 failed, 0 blocked/);
    const seen = await states(page);
    expect(seen.model).toContain('running');
    expect(seen.model?.at(-1)).toBe('done');
    expect(seen.output?.at(-1)).toBe('done');
    await expect.poll(() => nodeById(page, 'output').getByRole('status', { name: /^Status of / }).getAttribute('data-state')).toBe('done');

    const played = await playFor(page, 'Rendered video of output');
    expect(played.readyState).toBeGreaterThanOrEqual(3);
    expect(played.advanced).toBeGreaterThan(0.2);
    expect(played.duration).toBeGreaterThan(2.5);
    // The player streams the real .mp4 where the browser decodes H.264, else the WebM preview (NW.js).
    const src = await nodeById(page, 'output').getByLabel('Rendered video of output').getAttribute('src');
    const h264 = await page.evaluate(() => document.createElement('video').canPlayType('video/mp4; codecs="avc1.42E01E, mp4a.40.2"') !== '');
    expect(decodeURIComponent(src ?? '')).toMatch(h264 ? /\.mp4&/ : /\.preview\.webm/);
    expect(await probeDuration(audio)).toBeCloseTo(played.duration, 0);
    await page.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, 'music-video-rendered');
  });

  it('shows a failing node\'s error on the node and marks what is downstream blocked', async () => {
    // A second Image node with no file, wired into the model instead of the good one.
    await page.getByRole('button', { name: 'Add node' }).click();
    await page.getByRole('combobox', { name: 'Search node types' }).fill('Image');
    await page.keyboard.press('Enter');
    const a = await nodeById(page, 'image-1').getByLabel(/output image \(image\)/).boundingBox();
    const b = await nodeById(page, 'model').getByLabel(/input Image \(image\)/).boundingBox();
    await page.mouse.move(a!.x + a!.width / 2, a!.y + a!.height / 2);
    await page.mouse.down();
    await page.mouse.move(b!.x + b!.width / 2, b!.y + b!.height / 2, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => page.getByRole('status', { name: 'Status', exact: true }).textContent()).toMatch(/Connected image-1\.image → model\.image/);
    await runAndWait(page);
    // The run's outcome is the last thing the status line says, however fast it came.
    await expect.poll(() => page.getByRole('status', { name: 'Status', exact: true }).textContent()).toMatch(/^Run failed: /);
    const err = nodeById(page, 'image-1').getByRole('alert');
    await expect.poll(() => err.textContent()).toMatch(/no image file chosen/);
    for (const id of ['model', 'output']) {
      await expect.poll(() => nodeById(page, id).getByRole('status', { name: /^Status of / }).getAttribute('data-state')).toBe('blocked');
      expect(await nodeById(page, id).getByText(/Blocked: "image-1" failed upstream/).count()).toBe(1);
    }
    await screenshot(page, 'failing-node-blocked');
  });
});
