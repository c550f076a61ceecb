/**
 * Record from Chromium's fake microphone into a Mic node, trim it by dragging the region's
 * handle on the Trim node's waveform, render, and check the video's audio is that trimmed
 * recording (duration matches the span; it is not silence).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, startStudio, type Studio } from './helpers/studio.js';
import { makeMicWav, probeDuration } from './helpers/fixtures.js';
import os from 'node:os';
import fs from 'node:fs/promises';
import path from 'node:path';
import { FFMPEG } from '../support/ffmpeg.js';

const run = promisify(execFile);
let s: Studio;
let page: Page;

beforeAll(async () => {
  // The fake device must exist before Chromium starts.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-mic-'));
  const wav = await makeMicWav(dir, 8);
  s = await startStudio({
    viewport: { width: 1700, height: 1000 },
    extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
  });
  page = s.page;
});
afterAll(async () => s?.close());

/** Double-click an empty spot of the canvas and add a node there from the palette. */
async function addAt(p: Page, x: number, y: number, query: string): Promise<void> {
  await p.mouse.dblclick(x, y);
  await p.getByRole('combobox', { name: 'Search node types' }).fill(query);
  await p.keyboard.press('Enter');
}

async function connect(p: Page, from: string, out: RegExp, to: string, inp: RegExp): Promise<void> {
  const a = await nodeById(p, from).getByLabel(out).boundingBox();
  const b = await nodeById(p, to).getByLabel(inp).boundingBox();
  await p.mouse.move(a!.x + a!.width / 2, a!.y + a!.height / 2);
  await p.mouse.down();
  await p.mouse.move(b!.x + b!.width / 2, b!.y + b!.height / 2, { steps: 10 });
  await p.mouse.up();
  await expect.poll(() => p.getByRole('status', { name: 'Status', exact: true }).textContent()).toMatch(new RegExp(`Connected ${from}\\.`));
}

async function params(p: Page, id: string): Promise<Record<string, unknown>> {
  return p.evaluate((nodeId) => {
    const doc = JSON.parse(localStorage.getItem('s2v.autosave.v1')!).doc as { nodes: Array<{ id: string; params: Record<string, unknown> }> };
    return doc.nodes.find((n) => n.id === nodeId)!.params;
  }, id);
}

describe('mic → trim → render', () => {
  it('records 2 s, trims by dragging a handle, and renders that audio', async () => {
    await addAt(page, 40, 80, 'Mic');
    await addAt(page, 40, 420, 'Trim');
    await addAt(page, 420, 80, 'Audio Features');
    await addAt(page, 800, 80, 'Video Model');
    await addAt(page, 1200, 80, 'Output');

    const mic = nodeById(page, 'mic-1');
    await mic.getByRole('button', { name: 'Record on mic-1' }).click();
    await expect.poll(() => mic.getByRole('button', { name: 'Stop recording on mic-1' }).count()).toBe(1);
    await page.waitForTimeout(600);
    // The level meter moves while recording.
    await expect.poll(() => mic.getByRole('meter', { name: 'Input level' }).evaluate((m: HTMLMeterElement) => m.value)).toBeGreaterThan(0.01);
    await page.waitForTimeout(1500);
    const timed = Number.parseFloat((await mic.getByRole('timer', { name: 'Recording time' }).textContent()) ?? '0');
    expect(timed).toBeGreaterThan(1.5);
    await mic.getByRole('button', { name: 'Stop recording on mic-1' }).click();
    await expect.poll(async () => String((await params(page, 'mic-1')).path ?? '')).toMatch(/mic-mic-1-.*\.(wav|webm|ogg)$/);
    const recording = String((await params(page, 'mic-1')).path);
    const recorded = await probeDuration(recording).catch(() => NaN);
    await expect.poll(() => mic.getByRole('button', { name: 'Re-record on mic-1' }).count()).toBe(1);

    await connect(page, 'mic-1', /output audio/, 'trim-1', /input audio/);
    const featuresId = 'audio-features-1';
    await connect(page, 'trim-1', /output audio/, featuresId, /input audio/);
    await connect(page, 'trim-1', /output audio/, 'video-model-1', /input Audio/);
    await connect(page, featuresId, /output features/, 'video-model-1', /input Features/);
    await connect(page, 'video-model-1', /output Video/, 'output-1', /input video/);
    const model = nodeById(page, 'video-model-1');
    await model.getByLabel(/^width/).fill('128');
    await model.getByLabel(/^height/).fill('128');
    await model.getByLabel(/^fps/).fill('12');
    await model.getByRole('combobox', { name: 'Model' }).selectOption('a2v');

    // Drag the region's right handle to the left: end moves from the end of the take to ~half.
    const trim = nodeById(page, 'trim-1');
    const wave = trim.getByTestId('waveform');
    await expect.poll(() => trim.locator('[part~="region-handle-right"]').count(), { timeout: 15_000 }).toBe(1);
    const box = await wave.boundingBox();
    const handle = await trim.locator('[part~="region-handle-right"]').boundingBox();
    await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
    await page.mouse.down();
    await page.mouse.move(box!.x + box!.width * 0.5, handle!.y + handle!.height / 2, { steps: 12 });
    await page.mouse.up();
    await expect.poll(async () => (await params(page, 'trim-1')).end).toBeTypeOf('number');
    const end = Number((await params(page, 'trim-1')).end);
    const start = Number((await params(page, 'trim-1')).start ?? 0);
    // About half the take, however long it came out (a busy machine records longer than asked).
    const take = Number.isFinite(recorded) ? recorded : timed;
    expect(end).toBeGreaterThan(0.3 * take);
    expect(end).toBeLessThan(Math.min(0.7 * take, take - 0.3));
    // The numeric field follows the handle.
    await expect.poll(async () => Number(await trim.getByLabel(/^End/).inputValue())).toBeCloseTo(end, 2);

    await page.getByRole('button', { name: /Run$/ }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Cancel' }).count(), { timeout: 120_000 }).toBe(0);
    const problems = await page.getByRole('alert').allTextContents();
    expect(problems).toEqual([]);
    expect(await page.getByLabel('Run summary').textContent()).toMatch(/0 failed, 0 blocked/);

    const out = nodeById(page, 'output-1').getByLabel('Rendered video of output-1');
    await out.waitFor();
    const src = decodeURIComponent((await out.getAttribute('src')) ?? '');
    const file = new URL(src, 'http://x').searchParams.get('path')!.replace(/\.preview\.webm$/, '.mp4');
    const audioDur = await probeDuration(file, 'a');
    expect(audioDur).toBeGreaterThan(end - start - 0.15);
    expect(audioDur).toBeLessThan(end - start + 0.15);
    // The fake mic plays a loud pulsing tone: the rendered audio must carry it, not silence.
    const { stderr } = await run(FFMPEG, ['-hide_banner', '-i', file, '-map', '0:a', '-af', 'volumedetect', '-f', 'null', '-']);
    const mean = Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1]);
    expect(mean).toBeGreaterThan(-35);
    await page.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(300);
    await screenshot(page, 'mic-trim-rendered');
  });
});
