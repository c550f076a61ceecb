/**
 * A run's life in the studio: a longer render cancelled midway (nodes end cancelled or
 * blocked, the status says so) and a following run that completes; the Audio Features plots
 * drawn from that run; the Output node's earlier renders kept with the document across a
 * reload; and no "Reveal file" outside the desktop app.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, useStudio, type Studio } from './helpers/studio.js';
import { fillMusicVideo, setModel } from './helpers/canvas.js';
import { playFor, recordStates, states } from './helpers/observe.js';
import { a11yProblems } from './helpers/a11y.js';

let s: Studio;
let page: Page;

useStudio({ viewport: { width: 1600, height: 1000 } }, (started) => {
  s = started;
  page = started.page;
});

const statusLine = (p: Page) => p.getByRole('status', { name: 'Status', exact: true });
const stateOf = (p: Page, id: string) => nodeById(p, id).getByRole('status', { name: /^Status of / }).getAttribute('data-state');

async function runToEnd(p: Page): Promise<void> {
  await p.getByRole('button', { name: /Run$/ }).click();
  await expect.poll(() => p.getByRole('button', { name: 'Cancel' }).count(), { timeout: 120_000 }).toBe(0);
}


describe('run lifecycle', () => {
  it('cancels a long render midway, then a new run completes', async () => {
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Use template Music video/ }).click();
    await fillMusicVideo(page, s.tmp, 4, { width: '256', height: '256', fps: '60' });
    await recordStates(page);

    await page.getByRole('button', { name: /Run$/ }).click();
    const progress = nodeById(page, 'model').getByRole('progressbar', { name: 'Progress of model' });
    await expect.poll(async () => Number((await progress.getAttribute('aria-valuenow').catch(() => null)) ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Run$/ }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => statusLine(page).textContent()).toBe('Run cancelled');
    expect(await page.getByLabel('Run summary').textContent()).toMatch(/^cancelled after [\d.]+ s/);
    expect(await stateOf(page, 'model')).toBe('cancelled');
    expect(['blocked', 'cancelled']).toContain(await stateOf(page, 'output'));
    if ((await stateOf(page, 'output')) === 'blocked') expect(await nodeById(page, 'output').getByText('Blocked: "model" was cancelled').count()).toBe(1);
    expect((await states(page)).model).toEqual(expect.arrayContaining(['running', 'cancelled']));
    // Nothing rendered: the Output still waits for a run.
    expect(await nodeById(page, 'output').getByLabel('Rendered video of output').count()).toBe(0);
    await screenshot(page, 'run-cancelled');

    await runToEnd(page);
    expect(await page.getByLabel('Run summary').textContent()).toMatch(/0 failed, 0 blocked/);
    expect(await stateOf(page, 'model')).toBe('done');
    expect(await stateOf(page, 'output')).toBe('done');
    const played = await playFor(page, 'Rendered video of output', 300);
    expect(played.duration).toBeGreaterThan(3.5);
  });

  it('draws the Audio Features plots from the run', async () => {
    const features = nodeById(page, 'features');
    const summary = (await features.getByText(/BPM · \d+ beats/).textContent()) ?? '';
    const beats = Number(/(\d+) beats/.exec(summary)?.[1]);
    expect(beats).toBeGreaterThanOrEqual(6);
    const plot = (name: string) =>
      features.getByRole('img', { name, exact: true }).evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        // Pixels that differ from the plot background (#15161c), and the x columns holding any.
        let drawn = 0;
        const cols = new Set<number>();
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i]! - 0x15) + Math.abs(d[i + 1]! - 0x16) + Math.abs(d[i + 2]! - 0x1c) > 40) {
            drawn++;
            cols.add((i / 4) % c.width);
          }
        }
        // Adjacent columns are one mark.
        const marks = [...cols].sort((a, b) => a - b).filter((x, i, a) => i === 0 || x - a[i - 1]! > 1).length;
        return { drawn, marks, columns: cols.size, width: c.width, size: c.width * c.height };
      });
    const b = await plot('Beats');
    // One mark per beat the analysis found.
    expect(b.marks).toBe(beats);
    for (const name of ['Loudness', 'Bands']) {
      const p = await plot(name);
      expect(p.drawn, name).toBeGreaterThan(p.size * 0.01);
      // A curve runs across the whole duration.
      expect(p.columns, name).toBeGreaterThan(p.width * 0.9);
    }
    expect((await plot('Vocal activity')).size).toBeGreaterThan(0);
  });

  it('keeps earlier renders with the document across a reload, without Reveal file outside the desktop app', async () => {
    const output = nodeById(page, 'output');
    const history = output.getByRole('combobox', { name: 'Render history of output' });
    expect(await history.count()).toBe(0);
    await setModel(page, { seed: '7', fps: '24' });
    await runToEnd(page);
    await expect.poll(() => history.locator('option').count()).toBe(2);
    const firstSrc = await output.getByLabel('Rendered video of output').getAttribute('src');
    expect(await output.getByRole('button', { name: /Reveal file/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Save As' }).click();
    const dlg = page.getByRole('dialog', { name: 'Save document as' });
    await dlg.getByLabel('Document name').fill('lifecycle');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.title()).toBe('lifecycle — S2V Studio');

    await page.reload();
    await page.getByRole('toolbar', { name: 'Studio' }).waitFor();
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('dialog', { name: 'Open document' }).getByRole('button', { name: /^lifecycle/ }).click();
    await expect.poll(() => history.locator('option').allTextContents()).toEqual([
      expect.stringMatching(/^latest · .* · 256×256 24 fps$/),
      expect.stringMatching(/^earlier · .* · 256×256 60 fps$/),
    ]);
    // Nothing ran in this page, yet the Output shows the latest render, and the earlier one plays too.
    expect((await playFor(page, 'Rendered video of output', 300)).advanced).toBeGreaterThan(0.05);
    await history.selectOption({ index: 1 });
    await expect.poll(() => output.getByLabel('Rendered video of output').getAttribute('src')).not.toBe(firstSrc);
    const earlier = await playFor(page, 'Rendered video of output', 300);
    expect(earlier.duration).toBeGreaterThan(3.5);
    expect(await output.getByRole('button', { name: /Reveal file/ }).count()).toBe(0);

    // A different document does not show these renders.
    await page.getByRole('button', { name: 'New' }).click();
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('dialog', { name: 'Open document' }).getByRole('button', { name: /^lifecycle/ }).click();
    await expect.poll(() => history.locator('option').count()).toBe(2);
    await page.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, 'run-history-reloaded');

    // With players, plots and the history picker on screen, every control still has a name.
    const { unnamed, unfocusable } = await a11yProblems(page);
    expect(unnamed).toEqual([]);
    expect(unfocusable).toEqual([]);
  });
});
