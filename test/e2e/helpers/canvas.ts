/** Canvas actions shared by browser tests: drop files, read saved params, the status line. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { nodeById } from './studio.js';
import { makeBeat, makeImage } from './fixtures.js';

export const statusLine = (p: Page) => p.getByRole('status', { name: 'Status', exact: true });

/**
 * Drag a file over the canvas at (x, y): the events a real drop sends, with a real DataTransfer.
 * The page fetches the file's bytes from `/__fixtures/<name>`; route that to the file first.
 */
export async function dragFile(p: Page, name: string, type: string, x: number, y: number, events: string[]): Promise<void> {
  await p.evaluate(
    async ({ name, type, x, y, events }) => {
      const bytes = await (await fetch(`/__fixtures/${name}`)).blob();
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type }));
      const target = document.elementFromPoint(x, y)!;
      for (const t of events) target.dispatchEvent(new DragEvent(t, { dataTransfer: dt, clientX: x, clientY: y, bubbles: true, cancelable: true }));
    },
    { name, type, x, y, events },
  );
}
export const dropFile = (p: Page, name: string, type: string, x: number, y: number) => dragFile(p, name, type, x, y, ['dragenter', 'dragover', 'drop']);

/** A node's param as autosaved (what a run would send). */
export async function param(p: Page, node: string, key: string): Promise<unknown> {
  return p.evaluate(
    ({ node, key }) => (JSON.parse(localStorage.getItem('s2v.autosave.v1')!).doc.nodes as Array<{ id: string; params: Record<string, unknown> }>).find((n) => n.id === node)?.params[key],
    { node, key },
  );
}

/**
 * Add a Video Model by double-clicking the canvas at (x, y) and wire image-1's output into it
 * from the keyboard (ports are buttons). Returns the model node.
 */
export async function addModelWiredToImage(p: Page, x: number, y: number): Promise<Locator> {
  await p.mouse.dblclick(x, y);
  await p.getByRole('combobox', { name: 'Search node types' }).fill('Video Model');
  await p.keyboard.press('Enter');
  const model = nodeById(p, 'video-model-1');
  await model.waitFor();
  await p.getByRole('button', { name: 'Image output image (image)' }).focus();
  await p.keyboard.press('Enter');
  await p.getByRole('button', { name: 'Video Model input Image (image)' }).focus();
  await p.keyboard.press('Enter');
  await expect.poll(() => statusLine(p).textContent()).toBe('Connected image-1.image → video-model-1.image');
  return model;
}

/** Sets Video Model "model"'s fields by label (e.g. a small, fast frame: width/height/fps). */
export async function setModel(p: Page, values: Record<string, string>): Promise<void> {
  const model = nodeById(p, 'model');
  for (const [label, v] of Object.entries(values)) await model.getByLabel(new RegExp(`^${label}`)).fill(v);
}

/** Fills the Music video template (already on the canvas): a generated picture, `beatSec` of beat, the model's fields. */
export async function fillMusicVideo(p: Page, tmp: string, beatSec: number, model: Record<string, string>): Promise<void> {
  await nodeById(p, 'image').getByLabel('Image file (image)').setInputFiles(await makeImage(tmp));
  await nodeById(p, 'audio').getByLabel('Audio file (audio)').setInputFiles(await makeBeat(tmp, beatSec));
  await expect.poll(() => nodeById(p, 'audio').getByText('beat.wav').count()).toBe(1);
  await setModel(p, model);
}
