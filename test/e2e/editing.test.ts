/**
 * Editing in the studio, in a real browser against the real server: palette, connect
 * (and refusing incompatible ports with a spoken reason), undo/redo of every edit kind,
 * save → reload → reopen gives the identical graph, and autosave recovery after a close.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, useStudio, type Studio } from './helpers/studio.js';

let s: Studio;
let page: Page;

useStudio(undefined, (started) => {
  s = started;
  page = started.page;
});

async function addViaPalette(p: Page, query: string, option: RegExp): Promise<void> {
  await p.getByRole('button', { name: 'Add node' }).click();
  const dialog = p.getByRole('dialog', { name: 'Add node' });
  await dialog.getByRole('combobox', { name: 'Search node types' }).fill(query);
  await dialog.getByRole('option', { name: option }).first().click();
  await expect.poll(() => dialog.count()).toBe(0);
}

async function graph(p: Page) {
  return p.evaluate(() => {
    const raw = localStorage.getItem('s2v.autosave.v1');
    return raw ? (JSON.parse(raw) as { doc: { nodes: Array<{ id: string; position: { x: number; y: number }; params: Record<string, unknown> }>; edges: unknown[] } }).doc : undefined;
  });
}

async function nodeIds(p: Page): Promise<string[]> {
  return p.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

/** Drag from one handle to another with the mouse, the way a user connects ports. */
async function dragConnect(p: Page, fromNode: string, fromLabel: RegExp, toNode: string, toLabel: RegExp): Promise<void> {
  const a = await nodeById(p, fromNode).getByLabel(fromLabel).boundingBox();
  const b = await nodeById(p, toNode).getByLabel(toLabel).boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await p.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await p.mouse.down();
  await p.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await p.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await p.mouse.up();
}

describe('studio editing', () => {
  it('lists every catalog node type in the palette (button, "/" and Ctrl+K open it)', async () => {
    const catalog = await page.evaluate(async () => {
      const token = sessionStorage.getItem('s2v.token')!;
      const r = await fetch('/api/catalog', { headers: { 'X-S2V-Token': token } });
      return ((await r.json()) as { nodes: Array<{ title: string }> }).nodes.map((n) => n.title);
    });
    expect(catalog.length).toBeGreaterThan(5);
    await page.locator('.react-flow__pane').click();
    await page.keyboard.press('/');
    const dialog = page.getByRole('dialog', { name: 'Add node' });
    const titles = await dialog.getByRole('option').evaluateAll((els) => els.map((e) => e.querySelector('.opt-title')?.textContent));
    expect(titles).toEqual(catalog);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await expect.poll(() => dialog.count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('undoes and redoes add, connect, param edit, move and delete', async () => {
    await addViaPalette(page, 'prompt', /Prompt/);
    await addViaPalette(page, 'output', /Output/);
    await addViaPalette(page, 'output', /Output/);
    expect(await nodeIds(page)).toEqual(['prompt-1', 'output-1', 'output-2']);
    await expect.poll(() => page.title()).toMatch(/^• /);

    // Spread them out so handles are reachable.
    for (const [id, dx, dy] of [
      ['output-2', 420, 80],
      ['prompt-1', -420, -150],
    ] as const) {
      const h = await nodeById(page, id).locator('.node-header').boundingBox();
      await page.mouse.move(h!.x + 40, h!.y + 10);
      await page.mouse.down();
      await page.mouse.move(h!.x + 40 + dx, h!.y + 10 + dy, { steps: 8 });
      await page.mouse.up();
    }
    await page.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(300);

    // Incompatible: text → video is refused, and the status line says why.
    await dragConnect(page, 'prompt-1', /output prompt \(text\)/, 'output-1', /input video \(video\)/);
    await expect.poll(() => page.getByRole('status', { name: 'Status', exact: true }).textContent()).toMatch(/port types differ/);
    expect((await graph(page))!.edges).toHaveLength(0);

    // Compatible: video → video.
    await dragConnect(page, 'output-1', /output video \(video\)/, 'output-2', /input video \(video\)/);
    await expect.poll(async () => (await graph(page))!.edges.length).toBe(1);
    await expect.poll(() => page.getByRole('group', { name: 'Edge from output-1.video to output-2.video' }).count()).toBe(1);

    // Param edit.
    const field = nodeById(page, 'output-2').getByLabel('Output file');
    await field.fill('renders/take-2.mp4');
    await expect.poll(async () => (await graph(page))!.nodes.find((n) => n.id === 'output-2')!.params.path).toBe('renders/take-2.mp4');

    // Move (mouse drag on the header).
    const before = (await graph(page))!.nodes.find((n) => n.id === 'output-2')!.position;
    const hb = await nodeById(page, 'output-2').locator('.node-header').boundingBox();
    await page.mouse.move(hb!.x + 50, hb!.y + 10);
    await page.mouse.down();
    await page.mouse.move(hb!.x + 50, hb!.y + 130, { steps: 8 });
    await page.mouse.up();
    const moved = (await graph(page))!.nodes.find((n) => n.id === 'output-2')!.position;
    expect(moved.y).toBeGreaterThan(before.y + 50);

    // Delete (select by clicking the node, Delete key).
    await nodeById(page, 'prompt-1').locator('.node-header').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => nodeIds(page)).toEqual(['output-1', 'output-2']);

    const undo = page.getByRole('button', { name: 'Undo' });
    const redo = page.getByRole('button', { name: 'Redo' });
    await undo.click(); // delete
    await expect.poll(() => nodeIds(page)).toEqual(['prompt-1', 'output-1', 'output-2']);
    await undo.click(); // move
    await expect.poll(async () => (await graph(page))!.nodes.find((n) => n.id === 'output-2')!.position).toEqual(before);
    await undo.click(); // param edit (typing is one step)
    // Back at the default: the field shows it is automatic (each render gets its own name).
    await expect.poll(() => field.inputValue()).toBe('');
    expect(await field.getAttribute('placeholder')).toMatch(/^automatic/);
    await page.keyboard.press('Control+z'); // connect
    await expect.poll(async () => (await graph(page))!.edges.length).toBe(0);
    await redo.click();
    await expect.poll(async () => (await graph(page))!.edges.length).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => field.inputValue()).toBe('renders/take-2.mp4');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await graph(page))!.nodes.find((n) => n.id === 'output-2')!.position).toEqual(moved);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => nodeIds(page)).toEqual(['output-1', 'output-2']);
    // Undo all the way back to the empty canvas, including the adds.
    while (await undo.isEnabled()) await undo.click();
    await expect.poll(() => nodeIds(page)).toEqual([]);
    while (await redo.isEnabled()) await redo.click();
    await expect.poll(() => nodeIds(page)).toEqual(['output-1', 'output-2']);
  });

  it('copies and pastes a selection with its inner edge', async () => {
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeIds(page)).toEqual(['output-1', 'output-2', 'output-3', 'output-4']);
    await expect.poll(async () => (await graph(page))!.edges.length).toBe(2);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => nodeIds(page)).toEqual(['output-1', 'output-2']);
  });

  it('saves, reloads and reopens the identical graph', async () => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dlg = page.getByRole('dialog', { name: 'Save document as' });
    await dlg.getByLabel('Document name').fill('e2e-graph');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.title()).toBe('e2e-graph — S2V Studio');
    const saved = await page.evaluate(async () => {
      const token = sessionStorage.getItem('s2v.token')!;
      return (await fetch('/api/documents/e2e-graph', { headers: { 'X-S2V-Token': token } })).json();
    });
    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => nodeIds(page)).toEqual([]);
    await page.reload();
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('dialog', { name: 'Open document' }).getByRole('button', { name: /^e2e-graph/ }).click();
    await expect.poll(() => nodeIds(page)).toEqual(['output-1', 'output-2']);
    await expect.poll(() => page.title()).toBe('e2e-graph — S2V Studio');
    // What the UI holds now is exactly what was saved.
    const reopened = await page.evaluate(async () => {
      const token = sessionStorage.getItem('s2v.token')!;
      return (await fetch('/api/documents/e2e-graph', { headers: { 'X-S2V-Token': token } })).json();
    });
    expect(reopened).toEqual(saved);
    expect((saved as { nodes: unknown[] }).nodes).toHaveLength(2);
    await expect.poll(() => page.getByRole('group', { name: 'Edge from output-1.video to output-2.video' }).count()).toBe(1);
    await expect.poll(() => nodeById(page, 'output-2').getByLabel('Output file').inputValue()).toBe('renders/take-2.mp4');
  });

  it('recovers an unsaved edit after the page is closed', async () => {
    await nodeById(page, 'output-1').getByLabel('Output file').fill('renders/unsaved.mp4');
    await expect.poll(() => page.title()).toMatch(/^• e2e-graph/);
    await page.close();
    page = await s.open();
    const ask = page.getByRole('alertdialog', { name: 'Recover unsaved changes?' });
    await ask.getByRole('button', { name: 'Recover' }).click();
    await expect.poll(() => nodeById(page, 'output-1').getByLabel('Output file').inputValue()).toBe('renders/unsaved.mp4');
    await expect.poll(() => page.title()).toBe('• e2e-graph — S2V Studio');
    await screenshot(page, 'editing-recovered');
  });
});
