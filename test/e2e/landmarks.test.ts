/**
 * The performer's face landmarks in the studio: a real portrait wired to a performer Video
 * Model shows the 68 detected points over the picture (where /api/detect-face puts them); in
 * "Nudge landmarks" mode a dragged point writes all 68 to the model's `landmarks` param (fractions
 * of its 512×512 frame), and "Reset landmarks" clears it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, type Studio } from './helpers/studio.js';
import { param } from './helpers/canvas.js';
import { detectFace, portraitWiredToPerformer, usePortraitStudio } from './helpers/portrait.js';

let s: Studio;
let page: Page;
usePortraitStudio((started) => {
  s = started;
  page = s.page;
});

describe('performer landmarks in the studio', () => {
  it('draws the 68 detected landmarks and writes a nudged set to the model', async () => {
    const { image, img } = await portraitWiredToPerformer(page);

    const overlay = image.locator('svg.landmarks');
    await expect.poll(() => overlay.locator('circle').count(), { timeout: 20_000 }).toBe(68);
    // Drawn where the detector says: the chin point (8) against /api/detect-face.
    const det = await detectFace<{ landmarks: Array<[number, number]> }>(s);
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
