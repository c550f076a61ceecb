/**
 * Studio 2, "place things well" and the keyboard: characters typed right after `/` reach the
 * palette; Tab stays in it; new nodes land next to the selection or the pointer without
 * covering anything; a paste lands clear of the original; Tidy lays unconnected nodes out in a
 * grid at a readable zoom; wires are drawn over nodes; a focused port is never covered by
 * another node; a file dropped on a node fills that node, and a .wav dropped on an Image node
 * is refused at once, before any upload.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { nodeById, screenshot, startStudio, type Studio } from './helpers/studio.js';
import { makeBeat, makeImage } from './helpers/fixtures.js';
import { dropFile, param } from './helpers/canvas.js';

let s: Studio;
let page: Page;
const files = new Map<string, string>();

beforeAll(async () => {
  s = await startStudio();
  page = s.page;
  files.set('face.png', await makeImage(s.tmp));
  files.set('beat.wav', await makeBeat(s.tmp, 1));
  await page.route('**/__fixtures/*', (r) => r.fulfill({ path: files.get(path.basename(new URL(r.request().url()).pathname))! }));
});
afterAll(async () => s?.close());

type Box = { id: string; x: number; y: number; width: number; height: number };
const boxes = (p: Page): Promise<Box[]> =>
  p.locator('.react-flow__node').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.getAttribute('data-id')!, x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
function overlapping(list: Box[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (overlap(list[i]!, list[j]!)) out.push(`${list[i]!.id}/${list[j]!.id}`);
  return out;
}

async function addViaButton(p: Page, query: string): Promise<void> {
  await p.getByRole('button', { name: 'Add node' }).click();
  await p.getByRole('combobox', { name: 'Search node types' }).fill(query);
  await p.keyboard.press('Enter');
  await expect.poll(() => p.getByRole('dialog', { name: 'Add node' }).count()).toBe(0);
}

/** Open a document with these nodes at these places (through the autosave recovery the studio offers). */
async function loadDoc(p: Page, nodes: Array<{ id: string; type: string; x: number; y: number; params?: Record<string, unknown> }>, edges: Array<[string, string, string, string]>): Promise<void> {
  const doc = {
    schemaVersion: 1,
    metadata: { title: 'Placed', description: '', tags: [] },
    inputs: [],
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, version: 1, params: n.params ?? {}, position: { x: n.x, y: n.y } })),
    edges: edges.map(([a, ap, b, bp]) => ({ from: { node: a, port: ap }, to: { node: b, port: bp } })),
  };
  await p.evaluate((d) => localStorage.setItem('s2v.autosave.v1', JSON.stringify({ doc: d, savedJson: '', at: Date.now() })), doc);
  await p.reload();
  await p.getByRole('alertdialog', { name: 'Recover unsaved changes?' }).getByRole('button', { name: 'Recover' }).click();
  await expect.poll(() => p.locator('.react-flow__node').count()).toBe(nodes.length);
  await p.waitForTimeout(400);
}

describe('placement and keyboard', () => {
  it('keeps the characters typed right after "/", and keeps Tab inside the palette', async () => {
    await page.locator('.react-flow__pane').click();
    await page.keyboard.press('/');
    await page.keyboard.type('compare');
    const search = page.getByRole('combobox', { name: 'Search node types' });
    expect(await search.inputValue()).toBe('compare');
    const palette = page.getByRole('dialog', { name: 'Add node' });
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await palette.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await search.focus();
    await page.keyboard.press('Enter');
    await nodeById(page, 'compare-1').waitFor();
  });

  it('places new nodes next to the selection or the pointer without overlap, and pastes clear of the original', async () => {
    // compare-1 is selected: the next node goes to its right.
    await addViaButton(page, 'Prompt');
    let b = await boxes(page);
    const cmp = b.find((x) => x.id === 'compare-1')!;
    const pr = b.find((x) => x.id === 'prompt-1')!;
    expect(pr.x).toBeGreaterThanOrEqual(cmp.x + cmp.width);
    expect(Math.abs(pr.y - cmp.y)).toBeLessThan(5);

    // Nothing selected, the pointer resting on the canvas: new nodes gather there, none on another.
    await page.locator('.react-flow__pane').click({ position: { x: 60, y: 60 } });
    const target = { x: 220, y: 640 };
    for (const q of ['Image', 'Audio File', 'Output']) {
      await page.mouse.move(target.x, target.y);
      await page.keyboard.press('/');
      await page.keyboard.type(q);
      await page.keyboard.press('Enter');
      await page.locator('.react-flow__pane').click({ position: { x: 60, y: 60 } });
      if (q === 'Image') {
        // The first lands right where the pointer is (the canvas is empty there).
        const img = (await boxes(page)).find((x) => x.id === 'image-1')!;
        expect(Math.hypot(img.x + img.width / 2 - target.x, img.y + 40 - target.y)).toBeLessThan(30);
      }
    }
    // The next ones could not go there: they went to the nearest free places, covering nothing.
    b = await boxes(page);
    expect(overlapping(b)).toEqual([]);

    // Copy + paste: the copy is near the original, not on it.
    await page.getByRole('button', { name: 'Fit view' }).click();
    await page.waitForTimeout(400);
    await nodeById(page, 'prompt-1').locator('.node-header').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await nodeById(page, 'prompt-2').waitFor();
    b = await boxes(page);
    expect(overlapping(b)).toEqual([]);
    const [p1, p2] = [b.find((x) => x.id === 'prompt-1')!, b.find((x) => x.id === 'prompt-2')!];
    expect(Math.hypot(p2.x - p1.x, p2.y - p1.y)).toBeLessThan(800);
    await screenshot(page, 'placement');
  });

  it('tidies unconnected nodes into a grid at a readable zoom', async () => {
    for (const q of ['Audio Features', 'Trim']) await addViaButton(page, q);
    await page.getByRole('button', { name: 'Tidy' }).click();
    await page.waitForTimeout(500);
    const b = await boxes(page);
    expect(b.length).toBe(8);
    expect(overlapping(b)).toEqual([]);
    const columns = new Set(b.map((x) => Math.round(x.x)));
    const rows = new Set(b.map((x) => Math.round(x.y)));
    expect(columns.size).toBeGreaterThan(2);
    expect(rows.size).toBeLessThan(b.length);
    const zoom = await page.locator('.react-flow__viewport').evaluate((v) => new DOMMatrix(getComputedStyle(v).transform).a);
    expect(zoom).toBeGreaterThan(0.55);
    await screenshot(page, 'tidy-grid');
  });

  it('draws wires over nodes, and raises a node whose port has keyboard focus', async () => {
    await page.getByRole('button', { name: 'New' }).click();
    await page.getByRole('alertdialog', { name: 'Save changes?' }).getByRole('button', { name: 'Discard changes' }).click();
    await loadDoc(
      page,
      [
        { id: 'image-1', type: 'image', x: 0, y: 0 },
        { id: 'video-model-1', type: 'video-model', x: 900, y: 0 },
        // In the way of the wire from image-1 to video-model-1.
        { id: 'prompt-1', type: 'prompt', x: 420, y: -40 },
        { id: 'audio-file-1', type: 'audio-file', x: 0, y: 420 },
        // Covers audio-file-1's output port.
        { id: 'prompt-2', type: 'prompt', x: 200, y: 400 },
      ],
      [['image-1', 'image', 'video-model-1', 'image']],
    );
    const edge = page.locator('.react-flow__edge').first();
    const hit = await edge.locator('path.react-flow__edge-path').evaluate((path: SVGPathElement) => {
      const node = document.querySelector('[data-id="prompt-1"]')!.getBoundingClientRect();
      const ctm = path.getScreenCTM()!;
      // A point of the wire inside prompt-1's box.
      for (let l = 0; l <= path.getTotalLength(); l += 4) {
        const q = path.getPointAtLength(l);
        const x = ctm.a * q.x + ctm.c * q.y + ctm.e;
        const y = ctm.b * q.x + ctm.d * q.y + ctm.f;
        if (x > node.left + 20 && x < node.right - 20 && y > node.top + 10 && y < node.bottom - 10) {
          const top = document.elementFromPoint(x, y);
          return { found: true, onWire: !!top?.closest('.react-flow__edge'), inNode: !!top?.closest('[data-id="prompt-1"]') };
        }
      }
      return { found: false, onWire: false, inNode: false };
    });
    expect(hit).toEqual({ found: true, onWire: true, inNode: false });

    const port = page.getByRole('button', { name: 'Audio File output audio (audio)', exact: true });
    const covered = async () =>
      port.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('.react-flow__node')?.getAttribute('data-id');
      });
    expect(await covered()).toBe('prompt-2');
    await port.focus();
    await expect.poll(covered).toBe('audio-file-1');
    await screenshot(page, 'wires-and-focus');
  });

  it('fills the node a file is dropped on, and refuses a .wav on an Image node before uploading', async () => {
    const assets = path.join(s.server.dataDir, 'assets');
    const before = (await fs.readdir(assets)).length;
    const image = nodeById(page, 'image-1');
    const at = async () => {
      const r = (await image.locator('.special').boundingBox())!;
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    };
    let p = await at();
    await dropFile(page, 'beat.wav', 'audio/wav', p.x, p.y);
    const refusal = image.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toBe('Image node image-1 takes an image; beat.wav is an audio file');
    expect((await fs.readdir(assets)).length).toBe(before);
    expect(await param(page, 'image-1', 'path')).toBeUndefined();
    expect(await page.locator('.react-flow__node').count()).toBe(5);

    p = await at();
    await dropFile(page, 'face.png', 'image/png', p.x, p.y);
    await expect.poll(() => param(page, 'image-1', 'path')).toMatch(/face\.png$/);
    expect(await page.locator('.react-flow__node').count()).toBe(5);
    expect(await refusal.count()).toBe(0);
  });
});
