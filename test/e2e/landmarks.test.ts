/**
 * The performer's face landmarks in the studio: a real portrait wired to a performer Video
 * Model shows the 68 detected points over the picture (where /api/detect-face puts them); in
 * "Nudge landmarks" mode a dragged point writes all 68 to the model's `landmarks` param (fractions
 * of its 512×512 frame), and "Reset landmarks" clears it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, startStudio, type Studio } from './helpers/studio.js';
import { dropFile, param, addModelWiredToImage } from './helpers/canvas.js';
import { REPO } from './helpers/build-ui.js';

const PORTRAIT = path.join(REPO, 'test/fixtures/images/face_grace_hopper.jpg');

let s: Studio;
let page: Page;

beforeAll(async () => {
  s = await startStudio({ viewport: { width: 1400, height: 900 } });
  page = s.page;
  await page.route('**/__fixtures/portrait.jpg', (r) => r.fulfill({ path: PORTRAIT }));
});
afterAll(async () => s?.close());

describe('performer landmarks in the studio', () => {
  it('draws the 68 detected landmarks and writes a nudged set to the model', async () => {
    await dropFile(page, 'portrait.jpg', 'image/jpeg', 200, 250);
    const image = nodeById(page, 'image-1');
    const img = image.getByRole('img', { name: 'Reference image for image-1' });
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(512);
    const model = await addModelWiredToImage(page, 700, 250);
    await model.getByRole('combobox', { name: 'Model' }).selectOption('performer');

    const overlay = image.locator('svg.landmarks');
    await expect.poll(() => overlay.locator('circle').count(), { timeout: 20_000 }).toBe(68);
    // Drawn where the detector says: the chin point (8) against /api/detect-face.
    const assetPath = String(await param(page, 'image-1', 'path'));
    const res = await fetch(`http://127.0.0.1:${s.server.port}/api/detect-face`, {
      method: 'POST', headers: { 'X-S2V-Token': s.server.token }, body: JSON.stringify({ path: assetPath }),
    });
    const det = (await res.json()) as { landmarks: Array<[number, number]> };
    expect(det.landmarks).toHaveLength(68);
    const frame = (await img.boundingBox())!;
    const chin = (await overlay.locator('circle').nth(8).boundingBox())!;
    expect(Math.abs((chin.x + chin.width / 2 - frame.x) / frame.width - det.landmarks[8]![0])).toBeLessThan(0.012);
    expect(Math.abs((chin.y + chin.height / 2 - frame.y) / frame.height - det.landmarks[8]![1])).toBeLessThan(0.012);
    await screenshot(page, 'landmarks-detected');

    // Nudge the chin down by 5 % of the picture.
    await image.getByRole('button', { name: 'Nudge landmarks' }).click();
    const c = (await overlay.locator('circle').nth(8).boundingBox())!;
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
    await page.mouse.down();
    await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2 + frame.height * 0.05, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => ((await param(page, 'video-model-1', 'landmarks')) as number[] | undefined)?.length).toBe(136);
    const set = (await param(page, 'video-model-1', 'landmarks')) as number[];
    // Frame fractions: the 512×512 frame crops 44 rows off the top of the 512×600 portrait.
    expect(set[17]!).toBeCloseTo(((det.landmarks[8]![1] + 0.05) * 600 - 44) / 512, 1);
    expect(set[16]!).toBeCloseTo(det.landmarks[8]![0], 1);
    expect(set[1]!).toBeCloseTo((det.landmarks[0]![1] * 600 - 44) / 512, 2); // the others stay put
    await screenshot(page, 'landmarks-nudged');

    await image.getByRole('button', { name: 'Reset landmarks' }).click();
    await expect.poll(() => param(page, 'video-model-1', 'landmarks')).toBeUndefined();
  }, 120_000);
});
