/**
 * Studio bench: how long the studio takes to open a 200-node graph (click in the Open
 * dialog → every node rendered and measured), and the frame rate while panning it
 * (requestAnimationFrame callbacks per second in headless Chromium, capped by its 60 Hz clock).
 */
import type { GraphDoc } from '../../src/engine/graph.js';
import { startStudio } from '../e2e/helpers/studio.js';

/** 50 chains of Audio File → Audio Features → Video Model → Output, laid out on a grid. */
function bigGraph(chains = 50): GraphDoc {
  const nodes: GraphDoc['nodes'] = [];
  const edges: GraphDoc['edges'] = [];
  const types = ['audio-file', 'audio-features', 'video-model', 'output'];
  for (let c = 0; c < chains; c++) {
    const ids = types.map((t) => `${t}-${c}`);
    types.forEach((type, i) => nodes.push({ id: ids[i]!, type, version: 1, params: {}, position: { x: i * 380 + (c % 5) * 1600, y: Math.floor(c / 5) * 700 } }));
    edges.push({ from: { node: ids[0]!, port: 'audio' }, to: { node: ids[1]!, port: 'audio' } });
    edges.push({ from: { node: ids[0]!, port: 'audio' }, to: { node: ids[2]!, port: 'audio' } });
    edges.push({ from: { node: ids[1]!, port: 'features' }, to: { node: ids[2]!, port: 'features' } });
    edges.push({ from: { node: ids[2]!, port: 'video' }, to: { node: ids[3]!, port: 'video' } });
  }
  return { schemaVersion: 1, metadata: { title: 'Bench 200', description: '', tags: [] }, inputs: [], nodes, edges };
}

export async function benchStudio(): Promise<void> {
  const s = await startStudio({ viewport: { width: 1600, height: 1000 } });
  try {
    const { page } = s;
    const doc = bigGraph();
    await page.evaluate(async (d) => {
      const token = sessionStorage.getItem('s2v.token')!;
      const r = await fetch('/api/documents/bench-200', { method: 'PUT', headers: { 'X-S2V-Token': token, 'Content-Type': 'application/json' }, body: JSON.stringify(d) });
      if (!r.ok) throw new Error(await r.text());
    }, doc);
    await page.getByRole('button', { name: 'Open' }).click();
    const item = page.getByRole('dialog', { name: 'Open document' }).getByRole('button', { name: /bench-200/ });
    await item.waitFor();
    const t0 = Date.now();
    await item.click();
    await page.waitForFunction(
      (n) => {
        const els = document.querySelectorAll<HTMLElement>('.react-flow__node');
        return els.length === n && [...els].every((e) => e.style.visibility !== 'hidden');
      },
      doc.nodes.length,
      { timeout: 120_000, polling: 'raf' },
    );
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const openMs = Date.now() - t0;
    // Let the fit-to-view after opening settle before panning.
    await page.waitForTimeout(800);

    const pane = await page.locator('.react-flow__pane').boundingBox();
    const cx = pane!.x + pane!.width / 2;
    const cy = pane!.y + pane!.height / 2;
    // A string, not a function: tsx's name-keeping helper does not exist inside the page.
    await page.evaluate(`(() => {
      window.__frames = 0;
      window.__count = true;
      const tick = () => { if (!window.__count) return; window.__frames++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const p0 = Date.now();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    const steps = 120;
    for (let i = 0; i < steps; i++) {
      const a = (i / steps) * Math.PI * 4;
      await page.mouse.move(cx + Math.cos(a) * 300, cy + Math.sin(a) * 200);
    }
    await page.mouse.up();
    const seconds = (Date.now() - p0) / 1000;
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number; __count: boolean };
      w.__count = false;
      return w.__frames;
    });
    const rendered = await page.locator('.react-flow__node').count();
    console.log(`studio: open ${doc.nodes.length}-node graph: ${openMs} ms (${rendered} nodes rendered after fit view)`);
    console.log(`studio: panning ${seconds.toFixed(1)} s: ${(frames / seconds).toFixed(1)} fps (${frames} frames, headless Chromium, --disable-gpu)`);
  } finally {
    await s.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStudio();
