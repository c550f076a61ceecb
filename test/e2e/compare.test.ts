/**
 * Two Video Models fed the same image + audio, side by side in a Compare node: both play
 * together, and changing one model re-runs only that branch (the other comes from cache).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, useStudio, type Studio } from './helpers/studio.js';
import { makeBeat, makeImage } from './helpers/fixtures.js';
import { recordStates, states } from './helpers/observe.js';

let s: Studio;
let page: Page;

useStudio({ viewport: { width: 1600, height: 1000 } }, (started) => {
  s = started;
  page = started.page;
});

async function runAndWait(p: Page): Promise<void> {
  await p.getByRole('button', { name: /Run$/ }).click();
  await expect.poll(() => p.getByRole('button', { name: 'Cancel' }).count(), { timeout: 120_000 }).toBe(0);
}

const stateOf = (p: Page, id: string) => nodeById(p, id).getByRole('status', { name: /^Status of / }).getAttribute('data-state');

describe('comparing two models', () => {
  it('plays both branches side by side and re-runs only the changed one', async () => {
    const image = await makeImage(s.tmp);
    const audio = await makeBeat(s.tmp, 2);
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Use template Compare models/ }).click();
    await nodeById(page, 'image').getByLabel('Image file (image)').setInputFiles(image);
    await nodeById(page, 'audio').getByLabel('Audio file (audio)').setInputFiles(audio);
    await expect.poll(() => nodeById(page, 'audio').getByText('beat.wav').count()).toBe(1);
    for (const id of ['pulse', 'drift']) {
      const n = nodeById(page, id);
      await n.getByLabel(/^width/).fill('128');
      await n.getByLabel(/^height/).fill('128');
      await n.getByLabel(/^fps/).fill('12');
    }
    await runAndWait(page);
    expect(await page.getByLabel('Run summary').textContent()).toMatch(/0 failed, 0 blocked/);

    const compare = nodeById(page, 'compare');
    // Each side is labelled with the name of the model that made it, not a node id.
    const left = compare.getByLabel('Compare Pulse (music)');
    const right = compare.getByLabel('Compare Drift (ambient)');
    expect(await compare.locator('figcaption strong').allTextContents()).toEqual(['Pulse (music)', 'Drift (ambient)']);
    // The rewind control draws its icon (an SVG path of real size, not a missing-glyph box).
    const rewind = compare.getByRole('button', { name: 'Rewind both in compare' });
    const icon = await rewind.locator('svg path').evaluate((p: SVGPathElement) => {
      // In the icon's own units (16×16), whatever the canvas zoom; and drawn on screen at all.
      const b = p.getBBox();
      const r = p.getBoundingClientRect();
      return { w: b.width, h: b.height, onScreen: r.width > 0 && r.height > 0 };
    });
    expect(icon).toEqual({ w: 12, h: 12, onScreen: true });
    expect(await rewind.textContent()).not.toContain('⏮');
    for (const v of [left, right]) await page.waitForFunction((el) => (el as HTMLVideoElement).readyState >= 3, await v.elementHandle(), { timeout: 30_000 });
    await left.evaluate((el: HTMLVideoElement) => (el.muted = true));
    await right.evaluate((el: HTMLVideoElement) => (el.muted = true));
    await compare.getByRole('button', { name: 'Play both in compare' }).click();
    await page.waitForTimeout(800);
    const [tl, tr] = [await left.evaluate((el: HTMLVideoElement) => el.currentTime), await right.evaluate((el: HTMLVideoElement) => el.currentTime)];
    expect(tl).toBeGreaterThan(0.2);
    expect(tr).toBeGreaterThan(0.2);
    // Synchronised: started together from the same point.
    expect(Math.abs(tl - tr)).toBeLessThan(0.25);
    await compare.getByRole('button', { name: 'Pause both in compare' }).click();
    await screenshot(page, 'compare-side-by-side');

    // Change only the drift branch's model.
    await nodeById(page, 'drift').getByRole('combobox', { name: 'Model' }).selectOption('a2v');
    await recordStates(page);
    await runAndWait(page);
    const seen = await states(page);
    expect(seen.pulse?.at(-1)).toBe('cached');
    expect(seen.pulse).not.toContain('running');
    expect(seen.image?.at(-1)).toBe('cached');
    expect(seen.features?.at(-1)).toBe('cached');
    expect(seen.drift).toContain('running');
    expect(await stateOf(page, 'drift')).toBe('done');
    expect(await stateOf(page, 'compare')).toBe('done');
  });
});
