/**
 * The performer's studio tests start from the same scene: the licensed portrait served to the
 * page, dropped on the canvas and wired to a performer Video Model. `detectFace` asks the
 * server's detector directly, the reference the overlays are checked against.
 */
import path from 'node:path';
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { nodeById, useStudio, type Studio } from './studio.js';
import { addModelWiredToImage, dropFile, param } from './canvas.js';
import { REPO } from './build-ui.js';

const PORTRAIT = path.join(REPO, 'test/fixtures/images/face_grace_hopper.jpg');

/** A studio whose page can fetch the portrait at /__fixtures/portrait.jpg. */
export function usePortraitStudio(bind: (s: Studio) => void): void {
  useStudio({ viewport: { width: 1400, height: 900 } }, async (s) => {
    await s.page.route('**/__fixtures/portrait.jpg', (r) => r.fulfill({ path: PORTRAIT }));
    bind(s);
  });
}

/** Drops the portrait, waits for its thumbnail, and wires a performer model to it. */
export async function portraitWiredToPerformer(page: Page): Promise<{ image: Locator; img: Locator; model: Locator }> {
  await dropFile(page, 'portrait.jpg', 'image/jpeg', 200, 250);
  const image = nodeById(page, 'image-1');
  const img = image.getByRole('img', { name: 'Reference image for image-1' });
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(512);
  const model = await addModelWiredToImage(page, 700, 250);
  await model.getByRole('combobox', { name: 'Model' }).selectOption('performer');
  return { image, img, model };
}

/** What /api/detect-face says about the image node's picture. */
export async function detectFace<T>(s: Studio): Promise<T> {
  const assetPath = String(await param(s.page, 'image-1', 'path'));
  const res = await fetch(`http://127.0.0.1:${s.server.port}/api/detect-face`, {
    method: 'POST',
    headers: { 'X-S2V-Token': s.server.token },
    body: JSON.stringify({ path: assetPath }),
  });
  return (await res.json()) as T;
}
