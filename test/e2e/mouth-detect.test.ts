/**
 * The performer's mouth box starts where the face detector finds the mouth: a real portrait
 * dropped on the canvas, wired to a performer Video Model, shows a "detected" box over the
 * mouth (the numbers /api/detect-face gives); dragging it writes the model's mouth params
 * (fractions of the 512×512 frame the portrait is cropped to), and "Reset to detected"
 * clears them again.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot, type Studio } from './helpers/studio.js';
import { param } from './helpers/canvas.js';
import { detectFace, portraitWiredToPerformer, usePortraitStudio } from './helpers/portrait.js';
import type { Box } from '../../src/engine/geometry.js';

let s: Studio;
let page: Page;
usePortraitStudio((started) => {
  s = started;
  page = s.page;
});

/** A box on screen as fractions of the picture it is drawn over. */
async function onPicture(box: Locator, img: Locator): Promise<Box> {
  const [b, f] = [(await box.boundingBox())!, (await img.boundingBox())!];
  return { x: (b.x - f.x) / f.width, y: (b.y - f.y) / f.height, w: b.width / f.width, h: b.height / f.height };
}

function expectNear(a: Box, b: Box, tol: number) {
  for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(a[k] - b[k]), `${k}: ${a[k]} vs ${b[k]}`).toBeLessThan(tol);
}

describe('detected mouth box on a real portrait', () => {
  it('shows the detected mouth, takes a drag as the override, and resets to detected', async () => {
    const { image, img, model } = await portraitWiredToPerformer(page);

    const mouth = image.getByRole('group', { name: /^Mouth box for video-model-1/ });
    await expect.poll(() => mouth.getAttribute('aria-label'), { timeout: 20_000 }).toMatch(/\(detected; drag to override\)/);
    expect(await mouth.getByText('detected', { exact: true }).count()).toBe(1);
    expect(await param(page, 'video-model-1', 'mouthX')).toBeUndefined();

    // What the server's detector says, asked directly.
    const det = await detectFace<{ face: Box; mouth: Box; width: number; height: number }>(s);
    expect(det.face).not.toBeNull();
    const drawn = await onPicture(mouth, img);
    // Within a pixel of the ~94×110 px thumbnail.
    expectNear(drawn, det.mouth, 0.012);
    // And that is the mouth: the fixture's README puts its centre at (262, 285) px of 512×600.
    expect(Math.abs((drawn.x + drawn.w / 2) * 512 - 262)).toBeLessThan(25);
    expect(Math.abs((drawn.y + drawn.h / 2) * 600 - 285)).toBeLessThan(25);
    // The 512×512 frame crops 44 rows off the top and bottom of the portrait; the overlay dims them.
    const visible = await onPicture(image.locator('.frame-visible'), img);
    expectNear(visible, { x: 0, y: 44 / 600, w: 1, h: 512 / 600 }, 0.012);
    await screenshot(page, 'mouth-detected');

    // Drag it: the params get the moved box, in fractions of the cropped 512×512 frame.
    const frame = (await img.boundingBox())!;
    const b = (await mouth.boundingBox())!;
    const [dx, dy] = [Math.round(frame.width * 0.08), Math.round(frame.height * 0.05)];
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2 + dy, { steps: 8 });
    await page.mouse.up();
    const placed = { x: det.mouth.x + dx / frame.width, y: det.mouth.y + dy / frame.height, w: det.mouth.w, h: det.mouth.h };
    const field = (name: string) => model.getByRole('spinbutton', { name });
    await expect.poll(async () => Number(await field('Mouth x (fraction, optional)').inputValue())).toBeCloseTo(placed.x, 2);
    expect(Number(await field('Mouth y (fraction, optional)').inputValue())).toBeCloseTo((placed.y * 600 - 44) / 512, 2);
    expect(Number(await field('Mouth width (fraction, optional)').inputValue())).toBeCloseTo(placed.w, 2);
    expect(Number(await field('Mouth height (fraction, optional)').inputValue())).toBeCloseTo((placed.h * 600) / 512, 2);
    await expect.poll(() => mouth.getAttribute('aria-label')).not.toMatch(/detected/);
    expect(await mouth.getByText('mouth', { exact: true }).count()).toBe(1);
    // Drawn where it was dropped (the params, mapped back to the picture).
    expectNear(await onPicture(mouth, img), placed, 0.015);
    await screenshot(page, 'mouth-overridden');

    // Keyboard still overrides: one step right.
    const x0 = Number(await field('Mouth x (fraction, optional)').inputValue());
    await mouth.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await field('Mouth x (fraction, optional)').inputValue())).toBeCloseTo(x0 + 0.01, 3);

    // Reset: the params are cleared and the detected box is back.
    await image.getByRole('button', { name: 'Reset to detected' }).click();
    await expect.poll(() => param(page, 'video-model-1', 'mouthX')).toBeUndefined();
    for (const k of ['mouthY', 'mouthW', 'mouthH']) expect(await param(page, 'video-model-1', k)).toBeUndefined();
    // With nothing set, the optional overrides fold away again.
    await expect.poll(() => field('Mouth x (fraction, optional)').isVisible()).toBe(false);
    await expect.poll(() => mouth.getAttribute('aria-label')).toMatch(/\(detected; drag to override\)/);
    expectNear(await onPicture(mouth, img), det.mouth, 0.012);
    expect(await image.getByRole('button', { name: 'Reset to detected' }).count()).toBe(0);
  });
});
