/**
 * Studio 2 at 1024×700: nothing in the toolbar is cut off (Run, progress bar, run summary),
 * text and controls have a contrast of at least 4.5:1 as Chromium computes their colours,
 * an error stays in a notification until it is dismissed, /favicon.ico is served, and the
 * accessibility audit (every control named and reachable) stays clean.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, useStudio, type Studio } from './helpers/studio.js';
import { fillMusicVideo } from './helpers/canvas.js';
import { a11yProblems } from './helpers/a11y.js';

let s: Studio;
let page: Page;

useStudio({ viewport: { width: 1024, height: 700 } }, (started) => {
  s = started;
  page = started.page;
});

/**
 * WCAG contrast of each visible element matching `selector`: its computed text colour against
 * the first opaque background behind it (alpha blended over the page background).
 */
async function contrasts(p: Page, selector: string): Promise<Array<{ text: string; ratio: number }>> {
  return p.evaluate((sel) => {
    const parse = (c: string) => {
      const m = /rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[,/ ]+([\d.]+))?\)/.exec(c);
      return m ? { r: +m[1]!, g: +m[2]!, b: +m[3]!, a: m[4] === undefined ? 1 : +m[4] } : { r: 0, g: 0, b: 0, a: 0 };
    };
    const lum = (c: { r: number; g: number; b: number }) => {
      const f = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const background = (el: Element | null): { r: number; g: number; b: number } => {
      const layers: Array<{ r: number; g: number; b: number; a: number }> = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.a > 0) layers.push(c);
        if (c.a >= 1) break;
      }
      let out = parse(getComputedStyle(document.body).backgroundColor);
      if (out.a === 0) out = { r: 15, g: 16, b: 20, a: 1 };
      for (const l of layers.reverse()) out = { r: l.r * l.a + out.r * (1 - l.a), g: l.g * l.a + out.g * (1 - l.a), b: l.b * l.a + out.b * (1 - l.a), a: 1 };
      return out;
    };
    return [...document.querySelectorAll<HTMLElement>(sel)]
      .filter((e) => e.offsetParent !== null && (e.textContent ?? '').trim() && !(e as HTMLButtonElement).disabled)
      .map((e) => {
        const st = getComputedStyle(e);
        const fg = parse(st.color);
        const bg = background(e);
        const opacity = Number(st.opacity);
        const mixed = { r: fg.r * fg.a * opacity + bg.r * (1 - fg.a * opacity), g: fg.g * fg.a * opacity + bg.g * (1 - fg.a * opacity), b: fg.b * fg.a * opacity + bg.b * (1 - fg.a * opacity) };
        const [a, b] = [lum(mixed), lum(bg)];
        return { text: `${sel}: ${(e.textContent ?? '').trim().slice(0, 40)}`, ratio: Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100 };
      });
  }, selector);
}

describe('the studio at 1024×700', () => {
  it('serves /favicon.ico (no 404 on every load)', async () => {
    const r = await page.evaluate(async () => {
      const res = await fetch('/favicon.ico');
      const b = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, type: res.headers.get('content-type'), head: [...b.slice(0, 4)], size: b.length };
    });
    expect(r).toEqual({ status: 200, type: 'image/x-icon', head: [0, 0, 1, 0], size: expect.any(Number) });
    expect(r.size).toBeGreaterThan(22);
  });

  it('keeps an error in a notification until it is dismissed', async () => {
    await page.getByRole('button', { name: /Run$/ }).click();
    const region = page.getByRole('region', { name: 'Notifications' });
    await expect.poll(() => region.getByRole('alert').textContent()).toMatch(/^Nothing to run: add a node first/);
    // Later messages go to the status line; the notification stays.
    await page.getByRole('button', { name: 'Add node' }).click();
    await page.getByRole('combobox', { name: 'Search node types' }).fill('Prompt');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status', { name: 'Status', exact: true }).textContent()).toMatch(/^Added Prompt/);
    expect(await region.getByRole('alert').count()).toBe(1);
    await region.getByRole('button', { name: /^Dismiss/ }).click();
    expect(await region.count()).toBe(0);
  });

  it('shows the whole toolbar, progress bar and run summary, with contrast ≥ 4.5:1 and a clean audit', async () => {
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Use template Music video/ }).click();
    await page.getByRole('alertdialog', { name: 'Save changes?' }).getByRole('button', { name: 'Discard changes' }).click();
    await fillMusicVideo(page, s.tmp, 1, { width: '64', height: '64', fps: '8' });
    await page.getByRole('button', { name: /Run$/ }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Cancel' }).count(), { timeout: 120_000 }).toBe(0);
    const summary = page.getByLabel('Run summary');
    expect(await summary.textContent()).toMatch(/^\d+ ran, \d+ cached, 0 failed, 0 blocked in [\d.]+ s$/);

    // Nothing in the toolbar lies outside the window or is clipped by its box.
    const toolbar = page.getByRole('toolbar', { name: 'Studio' });
    const clipped = await toolbar.evaluate((bar) => {
      const tb = bar.getBoundingClientRect();
      return [...bar.querySelectorAll<HTMLElement>('button, [role=progressbar], .run-summary, .doc-title')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.left < 0 || r.right > innerWidth || r.top < tb.top || r.bottom > tb.bottom || r.width < 4 || e.scrollWidth > e.clientWidth + 1;
        })
        .map((e) => e.getAttribute('aria-label') ?? e.textContent);
    });
    expect(clipped).toEqual([]);
    for (const l of [page.getByRole('progressbar', { name: 'Run progress' }), summary, page.getByRole('button', { name: /Run$/ })]) {
      const b = (await l.boundingBox())!;
      expect(b.x + b.width).toBeLessThanOrEqual(1024);
      expect(b.y + b.height).toBeLessThanOrEqual(700);
    }
    // Shortcut hints stay visible (not hidden away to make room).
    expect(await page.getByLabel('Keyboard shortcuts').isVisible()).toBe(true);

    const measured = [
      ...(await contrasts(page, '.btn.primary')),
      ...(await contrasts(page, '.shortcuts')),
      ...(await contrasts(page, '.toolbar .btn')),
      ...(await contrasts(page, '.run-summary')),
      ...(await contrasts(page, '.status-line')),
      ...(await contrasts(page, '.status')),
      ...(await contrasts(page, '.node-title, .node-id')),
      ...(await contrasts(page, '.field label, .hint, .port-label')),
      ...(await contrasts(page, '.output-path, .sync, .output-meta span')),
    ];
    expect(measured.find((m) => m.text.startsWith('.btn.primary'))?.ratio).toBeGreaterThanOrEqual(4.5);
    expect(measured.find((m) => m.text.startsWith('.shortcuts'))?.ratio).toBeGreaterThanOrEqual(4.5);
    expect(measured.length).toBeGreaterThan(30);
    expect(measured.filter((m) => m.ratio < 4.5)).toEqual([]);

    await screenshot(page, 'studio-1024x700');
    const { unnamed, unfocusable } = await a11yProblems(page);
    expect(unnamed).toEqual([]);
    expect(unfocusable).toEqual([]);
  });
});
