/**
 * Files dropped on the canvas become nodes (image → Image, audio → Audio File) holding the
 * uploaded asset; and with the lip-sync ("performer") model on a Video Model fed by that
 * Image, the Image node shows the mouth box, whose drag (or arrow keys) writes the model's
 * mouthX/mouthY/mouthW/mouthH params.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, startStudio, type Studio } from './helpers/studio.js';
import { makeBeat, makeImage } from './helpers/fixtures.js';
import { dragFile, dropFile, param, statusLine, addModelWiredToImage } from './helpers/canvas.js';

let s: Studio;
let page: Page;

beforeAll(async () => {
  s = await startStudio({ viewport: { width: 1600, height: 1000 } });
  page = s.page;
  const files = new Map([
    ['face.png', await makeImage(s.tmp)],
    ['beat.wav', await makeBeat(s.tmp, 2)],
    ['notes.txt', path.join(s.tmp, 'notes.txt')],
  ]);
  await fs.writeFile(files.get('notes.txt')!, 'not media');
  // The page fetches the fixtures' bytes from its own origin, as if they came from the desktop.
  await page.route('**/__fixtures/*', (r) => r.fulfill({ path: files.get(path.basename(new URL(r.request().url()).pathname))! }));
});
afterAll(async () => s?.close());

describe('dropping files and placing the mouth', () => {
  it('turns a dropped image and a dropped audio file into nodes holding the uploads', async () => {
    await dragFile(page, 'face.png', 'image/png', 200, 200, ['dragenter', 'dragover']);
    await screenshot(page, 'drop-hint');
    await dragFile(page, 'face.png', 'image/png', 200, 200, ['drop']);
    const image = nodeById(page, 'image-1');
    await expect.poll(() => image.getByText('face.png', { exact: true }).count()).toBe(1);
    const img = image.getByRole('img', { name: 'Reference image for image-1' });
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(128);
    // The node lands where the file was dropped.
    const box = await image.boundingBox();
    expect(Math.abs(box!.x - 200)).toBeLessThan(40);
    expect(Math.abs(box!.y - 200)).toBeLessThan(40);
    expect(String(await param(page, 'image-1', 'path'))).toMatch(/assets\/[0-9a-f]{16}-face\.png$/);

    await dropFile(page, 'beat.wav', 'audio/wav', 200, 620);
    const audio = nodeById(page, 'audio-file-1');
    await expect.poll(() => audio.getByText('beat.wav', { exact: true }).count()).toBe(1);
    await expect.poll(() => audio.getByLabel('Playback time').textContent(), { timeout: 15_000 }).toMatch(/\/ 2\.0 s/);

    // Anything else is refused with a reason and adds nothing.
    await dropFile(page, 'notes.txt', 'text/plain', 700, 700);
    await expect.poll(() => statusLine(page).textContent()).toBe('notes.txt: drop an image or an audio file');
    expect(await page.locator('.react-flow__node').count()).toBe(2);
  });

  it('shows the mouth box for the performer model and writes mouthX/mouthY when dragged', async () => {
    const model = await addModelWiredToImage(page, 700, 200);

    const image = nodeById(page, 'image-1');
    const mouth = image.getByRole('group', { name: /^Mouth box for video-model-1/ });
    // Pulse does not lip-sync: no mouth box.
    expect(await mouth.count()).toBe(0);
    await model.getByRole('combobox', { name: 'Model' }).selectOption('performer');
    await expect.poll(() => mouth.count()).toBe(1);
    // The gradient has no face: the box starts at the dashed default and a note says to place it.
    await expect.poll(() => mouth.getAttribute('aria-label'), { timeout: 20_000 }).toMatch(/\(no face found; default until moved\): left 35%, top 62%, 30% wide, 14% high/);
    expect(await image.getByText('no face found — drag to set the mouth').count()).toBe(1);
    expect(await param(page, 'video-model-1', 'mouthX')).toBeUndefined();

    const frame = await image.getByRole('img', { name: 'Reference image for image-1' }).boundingBox();
    const b = await mouth.boundingBox();
    const [dx, dy] = [Math.round(frame!.width * 0.1), Math.round(frame!.height * 0.08)];
    await page.mouse.move(b!.x + b!.width / 2, b!.y + b!.height / 2);
    await page.mouse.down();
    await page.mouse.move(b!.x + b!.width / 2 + dx, b!.y + b!.height / 2 + dy, { steps: 8 });
    await page.mouse.up();

    const field = (name: string) => model.getByRole('spinbutton', { name });
    await expect.poll(async () => Number(await field('Mouth x (fraction, optional)').inputValue())).toBeCloseTo(0.35 + dx / frame!.width, 2);
    expect(Number(await field('Mouth y (fraction, optional)').inputValue())).toBeCloseTo(0.62 + dy / frame!.height, 2);
    expect(Number(await field('Mouth width (fraction, optional)').inputValue())).toBeCloseTo(0.3, 3);
    expect(Number(await field('Mouth height (fraction, optional)').inputValue())).toBeCloseTo(0.14, 3);
    expect(await mouth.getAttribute('aria-label')).not.toMatch(/default/);
    expect(await image.getByText('no face found — drag to set the mouth').count()).toBe(0);
    await screenshot(page, 'mouth-box-placed');

    // Keyboard: arrows move by 1 %, Shift+arrows resize.
    const x0 = Number(await field('Mouth x (fraction, optional)').inputValue());
    const h0 = Number(await field('Mouth height (fraction, optional)').inputValue());
    await mouth.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(async () => Number(await field('Mouth x (fraction, optional)').inputValue())).toBeCloseTo(x0 + 0.02, 3);
    await expect.poll(async () => Number(await field('Mouth height (fraction, optional)').inputValue())).toBeCloseTo(h0 + 0.01, 3);
    // The arrows moved the box, not the node around it.
    expect(await param(page, 'video-model-1', 'mouthX')).toBeCloseTo(x0 + 0.02, 3);
  });
});
