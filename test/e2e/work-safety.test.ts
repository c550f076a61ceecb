/**
 * Studio 2, "never lose work": New / Open / a template over a modified document ask Save /
 * Discard / Cancel first (Cancel keeps everything), Save As over another document asks to
 * replace it, every replaced save is kept as a version that can be opened again, Tab stays in
 * the dialog, and two renders of one new graph write two files, each shown with its full path,
 * a download link and the real .mp4 in the player.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, useStudio, type Studio } from './helpers/studio.js';
import { fillMusicVideo } from './helpers/canvas.js';

let s: Studio;
let page: Page;

useStudio(undefined, (started) => {
  s = started;
  page = started.page;
});

const nodeCount = (p: Page) => p.locator('.react-flow__node').count();
const question = (p: Page) => p.getByRole('alertdialog', { name: 'Save changes?' });

async function addNode(p: Page, query: string): Promise<void> {
  await p.getByRole('button', { name: 'Add node' }).click();
  await p.getByRole('combobox', { name: 'Search node types' }).fill(query);
  await p.keyboard.press('Enter');
  await expect.poll(() => p.getByRole('dialog', { name: 'Add node' }).count()).toBe(0);
}

async function saveAs(p: Page, name: string): Promise<void> {
  await p.getByRole('button', { name: 'Save As' }).click();
  const dlg = p.getByRole('dialog', { name: 'Save document as' });
  await dlg.getByLabel('Document name').fill(name);
  await dlg.getByRole('button', { name: 'Save' }).click();
}

async function savedNodes(name: string): Promise<number> {
  const doc = JSON.parse(await fs.readFile(path.join(s.server.dataDir, 'graphs', `${name}.json`), 'utf8')) as { nodes: unknown[] };
  return doc.nodes.length;
}

describe('never lose work', () => {
  it('asks before New, Open or a template replaces a modified document; Cancel keeps everything', async () => {
    await addNode(page, 'Prompt');
    await addNode(page, 'Audio Features');
    await saveAs(page, 'first');
    await expect.poll(() => page.title()).toBe('first — S2V Studio');
    await addNode(page, 'Output');
    expect(await nodeCount(page)).toBe(3);
    await expect.poll(() => page.title()).toBe('• first — S2V Studio');

    // New: Cancel keeps the document, its edits and its unsaved state.
    await page.getByRole('button', { name: 'New' }).click();
    await question(page).waitFor();
    expect(await question(page).textContent()).toMatch(/“first” has unsaved changes/);
    // Tab stays inside the dialog, however often it is pressed, both ways.
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      expect(await question(page).evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await question(page).evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await question(page).getByRole('button', { name: 'Cancel' }).click();
    expect(await question(page).count()).toBe(0);
    expect(await nodeCount(page)).toBe(3);
    expect(await page.title()).toBe('• first — S2V Studio');

    // A template: Cancel again keeps it.
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Use template Music video/ }).click();
    await question(page).getByRole('button', { name: 'Cancel' }).click();
    expect(await nodeCount(page)).toBe(3);

    // Open (even the same document): Cancel keeps the edits.
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('dialog', { name: 'Open document' }).getByRole('button', { name: /^first/ }).click();
    await question(page).getByRole('button', { name: 'Cancel' }).click();
    expect(await nodeCount(page)).toBe(3);
    // Undo still has the edits: nothing was replaced behind the user's back.
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await nodeCount(page)).toBe(2);
    await page.getByRole('button', { name: 'Redo' }).click();

    // Save from the question saves, then goes on.
    await page.getByRole('button', { name: 'New' }).click();
    await question(page).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => nodeCount(page)).toBe(0);
    expect(await savedNodes('first')).toBe(3);

    // Discard goes on without saving.
    await addNode(page, 'Prompt');
    await page.getByRole('button', { name: 'New' }).click();
    await question(page).getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => nodeCount(page)).toBe(0);
    // An unmodified document is replaced without a question.
    await page.getByRole('button', { name: 'New' }).click();
    expect(await question(page).count()).toBe(0);
  });

  it('asks before Save As replaces another document, and keeps every replaced save as a version', async () => {
    await addNode(page, 'Prompt');
    await saveAs(page, 'first');
    const replace = page.getByRole('alertdialog', { name: 'Replace “first”?' });
    await replace.waitFor();
    await replace.getByRole('button', { name: 'Cancel' }).click();
    // Nothing was written: "first" still has its 3 nodes.
    expect(await savedNodes('first')).toBe(3);
    await page.getByRole('dialog', { name: 'Save document as' }).getByRole('button', { name: 'Save' }).click();
    await replace.getByRole('button', { name: 'Replace' }).click();
    await expect.poll(() => page.title()).toBe('first — S2V Studio');
    expect(await savedNodes('first')).toBe(1);

    // The 3-node save it replaced (and the 2-node one before it) are versions.
    await page.getByRole('button', { name: 'Open' }).click();
    const open = page.getByRole('dialog', { name: 'Open document' });
    await open.getByRole('button', { name: 'Versions of first' }).click();
    const versions = open.getByRole('list', { name: 'Saved versions of first' }).getByRole('button');
    await expect.poll(() => versions.allTextContents()).toEqual([
      expect.stringMatching(/^Open version saved .* \(3 nodes\)$/),
      expect.stringMatching(/^Open version saved .* \(2 nodes\)$/),
    ]);
    await screenshot(page, 'versions');
    await versions.first().click();
    await expect.poll(() => nodeCount(page)).toBe(3);
    // It opens as an edit of "first": Save makes it current again, nothing was overwritten yet.
    expect(await page.title()).toBe('• first — S2V Studio');
    expect(await savedNodes('first')).toBe(1);
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.title()).toBe('first — S2V Studio');
    expect(await savedNodes('first')).toBe(3);
  });

  it('gives two renders of a new graph two files, each shown with its path, a download link and the real .mp4', async () => {
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Use template Music video/ }).click();
    await fillMusicVideo(page, s.tmp, 1, { width: '64', height: '64', fps: '8' });
    const output = nodeById(page, 'output');
    const pathLine = output.getByLabel('Output file of output');
    const outputs = path.join(s.server.dataDir, 'outputs');
    const mp4s = async () => (await fs.readdir(outputs)).filter((f) => f.endsWith('.mp4')).sort();

    const shown: string[] = [];
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: /Run$/ }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Cancel' }).count(), { timeout: 120_000 }).toBe(0);
      expect(await page.getByLabel('Run summary').textContent()).toMatch(/0 failed/);
      await expect.poll(() => mp4s()).toHaveLength(i + 1);
      await expect.poll(async () => (await pathLine.textContent()) ?? '').not.toBe(shown[0] ?? '');
      shown.push((await pathLine.textContent())!);
      if (i === 0) await page.waitForTimeout(1100);
    }
    const files = await mp4s();
    expect(files).toEqual([expect.stringMatching(/^Music-video-\d{8}-\d{6}(-\d+)?\.mp4$/), expect.stringMatching(/^Music-video-\d{8}-\d{6}(-\d+)?\.mp4$/)]);
    // The node shows the full path of the latest file.
    expect(files.map((f) => path.join(outputs, f))).toContain(shown[1]);
    expect(path.isAbsolute(shown[1]!)).toBe(true);

    // Download link: the same file, byte for byte.
    const link = output.getByRole('link', { name: `Download ${path.basename(shown[1]!)}` });
    const href = await link.getAttribute('href');
    const served = await page.evaluate(async (u) => (await fetch(u!)).arrayBuffer().then((b) => b.byteLength), href);
    expect(served).toBe((await fs.stat(shown[1]!)).size);
    // The player plays the real output (the .mp4), not the small WebM preview, where the browser can.
    const canMp4 = await page.evaluate(() => document.createElement('video').canPlayType('video/mp4; codecs="avc1.42E01E, mp4a.40.2"') !== '');
    const src = decodeURIComponent((await output.getByLabel('Rendered video of output').getAttribute('src')) ?? '');
    if (canMp4) expect(src).toContain(`path=${shown[1]}`);
    else expect(src).toMatch(/\.preview\.webm/);
    await screenshot(page, 'two-renders');
  });
});
