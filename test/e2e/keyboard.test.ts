/**
 * The studio without a mouse, the way a screen-reader user works it: ports are buttons with
 * spoken names, Enter on one end and Enter on the other draws the edge, an incompatible
 * target is refused with the reason in the live status line, Escape cancels; every control
 * in the page has an accessible name and is reachable from the keyboard; the prompt's
 * rhythm hint is announced while typing.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, useStudio } from './helpers/studio.js';
import { a11yProblems } from './helpers/a11y.js';

let page: Page;

useStudio({ viewport: { width: 1500, height: 950 } }, (started) => {
  page = started.page;
});

const statusLine = (p: Page) => p.getByRole('status', { name: 'Status', exact: true });
const port = (p: Page, name: string) => p.getByRole('button', { name, exact: true });

/** Add a node with the keyboard only: focus "Add node", Enter, type, Enter. */
async function addByKeyboard(p: Page, query: string): Promise<void> {
  await p.getByRole('button', { name: 'Add node' }).focus();
  await p.keyboard.press('Enter');
  // The palette moves focus into its search field once it has opened.
  const search = p.getByRole('combobox', { name: 'Search node types' });
  await expect.poll(() => search.evaluate((el) => el === document.activeElement).catch(() => false)).toBe(true);
  await p.keyboard.type(query);
  await p.keyboard.press('Enter');
  await expect.poll(() => p.getByRole('dialog', { name: 'Add node' }).count()).toBe(0);
}

/** Focus a port by its accessible name and press Enter on it. */
async function enterOn(p: Page, name: string): Promise<void> {
  await port(p, name).focus();
  await p.keyboard.press('Enter');
}

async function edges(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const doc = JSON.parse(localStorage.getItem('s2v.autosave.v1') ?? '{"doc":{"edges":[]}}').doc as {
      edges: Array<{ from: { node: string; port: string }; to: { node: string; port: string } }>;
    };
    return doc.edges.map((e) => `${e.from.node}.${e.from.port}->${e.to.node}.${e.to.port}`);
  });
}

describe('keyboard and screen-reader use', () => {
  it('connects ports from the keyboard, refusing incompatible ones with the reason', async () => {
    for (const q of ['Audio Features', 'Prompt', 'Video Model']) await addByKeyboard(page, q);
    await page.getByRole('button', { name: 'Tidy' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(400);

    // The ports are in the tab order: Tab from the node's Run button reaches its input, then its output.
    await nodeById(page, 'audio-features-1').getByRole('button', { name: 'Run to here (audio-features-1)' }).focus();
    const reached: string[] = [];
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''));
    }
    expect(reached).toEqual(['Audio Features input audio (audio)', 'Audio Features output features (features)']);

    // Enter on the focused output starts a connection.
    await page.keyboard.press('Enter');
    await expect.poll(() => statusLine(page).textContent()).toMatch(/^Connecting from Audio Features output features \(features\)/);
    expect(await port(page, 'Audio Features output features (features)').getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'keyboard-connecting');

    // Another output: refused, and the pick stays.
    await enterOn(page, 'Prompt output prompt (text)');
    await expect.poll(() => statusLine(page).textContent()).toMatch(/Cannot connect two outputs/);
    // A text input: refused with the reason.
    await enterOn(page, 'Video Model input Prompt (text)');
    await expect.poll(() => statusLine(page).textContent()).toMatch(/Cannot connect features output "features" of audio-features-1 to text input "prompt" of video-model-1: port types differ/);
    expect(await edges(page)).toEqual([]);
    // The matching input completes it.
    await enterOn(page, 'Video Model input Features (features)');
    await expect.poll(() => statusLine(page).textContent()).toBe('Connected audio-features-1.features → video-model-1.features');
    expect(await edges(page)).toEqual(['audio-features-1.features->video-model-1.features']);
    expect(await page.getByRole('group', { name: 'Edge from audio-features-1.features to video-model-1.features' }).count()).toBe(1);
    expect(await port(page, 'Audio Features output features (features)').getAttribute('aria-pressed')).toBe('false');

    // Escape drops a pick: the next Enter starts afresh instead of connecting.
    await enterOn(page, 'Prompt output prompt (text)');
    await page.keyboard.press('Escape');
    await expect.poll(() => statusLine(page).textContent()).toBe('Connection cancelled');
    expect(await port(page, 'Prompt output prompt (text)').getAttribute('aria-pressed')).toBe('false');
    // Starting from the input works too.
    await enterOn(page, 'Video Model input Prompt (text)');
    await expect.poll(() => statusLine(page).textContent()).toMatch(/^Connecting from Video Model input Prompt \(text\)/);
    expect(await edges(page)).toHaveLength(1);
    await enterOn(page, 'Prompt output prompt (text)');
    await expect.poll(() => edges(page)).toEqual(['audio-features-1.features->video-model-1.features', 'prompt-1.text->video-model-1.prompt']);

    // Undo from the keyboard takes the last edge away again; redo puts it back.
    await page.getByRole('button', { name: 'Fit view' }).focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => edges(page)).toEqual(['audio-features-1.features->video-model-1.features']);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => edges(page)).toHaveLength(2);
    await page.getByRole('button', { name: 'Tidy' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, 'keyboard-connected');
  });

  it('deletes an edge from the keyboard and pans to a focused port that is off screen', async () => {
    // Edges are focusable too: Enter selects one, Delete removes it.
    await page.getByRole('group', { name: 'Edge from prompt-1.text to video-model-1.prompt' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Delete');
    await expect.poll(() => edges(page)).toEqual(['audio-features-1.features->video-model-1.features']);
    await page.keyboard.press('Control+z');
    await expect.poll(() => edges(page)).toHaveLength(2);

    await page.setViewportSize({ width: 900, height: 600 });
    const zoomIn = page.getByRole('button', { name: 'Zoom In' });
    while (await zoomIn.isEnabled()) await zoomIn.click();
    // Let the zoom animation settle before measuring what is on screen.
    await page.waitForTimeout(500);
    const view = page.viewportSize()!;
    const inView = async (name: string) => {
      const b = await port(page, name).boundingBox();
      return !!b && b.x > 0 && b.y > 40 && b.x + b.width < view.width && b.y + b.height < view.height - 30;
    };
    // Zoomed all the way in, some port is off screen.
    const names = ['Audio Features input audio (audio)', 'Prompt output prompt (text)', 'Video Model input Image (image)', 'Video Model output Video (video)'];
    const hidden: string[] = [];
    for (const n of names) if (!(await inView(n))) hidden.push(n);
    expect(hidden.length).toBeGreaterThan(0);
    const target = port(page, hidden[0]!);
    await target.focus();
    await expect.poll(() => inView(hidden[0]!)).toBe(true);
    await page.setViewportSize({ width: 1500, height: 950 });
    await page.getByRole('button', { name: 'Fit view' }).click();
  });

  it('announces the rhythm hint while a prompt describes timing', async () => {
    const field = nodeById(page, 'prompt-1').getByRole('textbox', { name: 'What the video should look like' });
    await field.fill('she dances to the beat');
    const hint = nodeById(page, 'prompt-1').getByRole('status').filter({ hasText: 'This describes rhythm, not the scene' });
    await expect.poll(() => hint.count()).toBe(1);
    // The field points at the hint, so a screen reader reads it with the field.
    const described = await field.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
    expect(described).toMatch(/The audio already sets the timing/);
    await field.fill('she stands in a neon-lit street at night, rain');
    await expect.poll(() => hint.count()).toBe(0);
  });

  it('gives every control of every node type a name and keyboard access', async () => {
    const catalog = await page.evaluate(async () => {
      const token = sessionStorage.getItem('s2v.token')!;
      const r = await fetch('/api/catalog', { headers: { 'X-S2V-Token': token } });
      return ((await r.json()) as { nodes: Array<{ type: string; title: string; inputs: object; outputs: object }> }).nodes;
    });
    const onCanvas = new Set(['Audio Features', 'Prompt', 'Video Model']);
    for (const n of catalog) if (!onCanvas.has(n.title)) await addByKeyboard(page, n.title);
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(catalog.length);
    await page.getByRole('button', { name: 'Tidy' }).click();
    await page.waitForTimeout(400);

    // A music prompt may talk tempo: the rhythm hint is for scene descriptions only.
    const music = nodeById(page, 'audio-generate-1').getByRole('textbox', { name: 'Prompt' });
    expect(await music.inputValue()).toMatch(/bpm/);
    expect(await nodeById(page, 'audio-generate-1').getByText('This describes rhythm').count()).toBe(0);

    // Every port of every node is a named button.
    const ports = catalog.reduce((k, n) => k + Object.keys(n.inputs).length + Object.keys(n.outputs).length, 0);
    expect(await page.getByRole('button', { name: / (input|output) .+ \((audio|image|features|text|video|number)\)$/ }).count()).toBe(ports);

    const { unnamed, unfocusable, total } = await a11yProblems(page);
    expect(total).toBeGreaterThan(ports + 20);
    expect(unnamed).toEqual([]);
    expect(unfocusable).toEqual([]);
    await screenshot(page, 'keyboard-all-node-types');
  });
});
