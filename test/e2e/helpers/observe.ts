import type { Page } from 'playwright-core';

/**
 * Records every status a node badge shows (queued → running → done …) from the DOM, so a
 * test can check that progress was shown however fast the run went.
 */
export async function recordStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __states: Record<string, string[]>; __progress: Record<string, number> };
    w.__states = {};
    w.__progress = {};
    const scan = () => {
      for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
        const id = el.dataset.id!;
        const st = el.querySelector<HTMLElement>('[data-state]')?.dataset.state;
        const list = (w.__states[id] ??= []);
        if (st && list[list.length - 1] !== st) list.push(st);
        const bar = el.querySelector<HTMLElement>('[role=progressbar]');
        if (bar) w.__progress[id] = Math.max(w.__progress[id] ?? 0, Number(bar.getAttribute('aria-valuenow')));
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

export async function states(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => (window as unknown as { __states: Record<string, string[]> }).__states);
}

/** Wait until a video element can play, play it, and return how far currentTime advanced. */
export async function playFor(page: Page, label: string | RegExp, ms = 700): Promise<{ readyState: number; advanced: number; duration: number }> {
  const video = page.getByLabel(label).first();
  await video.waitFor();
  await page.waitForFunction((el) => (el as HTMLVideoElement).readyState >= 3, await video.elementHandle(), { timeout: 30_000 });
  return video.evaluate(async (el: HTMLVideoElement, wait: number) => {
    el.muted = true;
    const t0 = el.currentTime;
    await el.play();
    await new Promise((r) => setTimeout(r, wait));
    return { readyState: el.readyState, advanced: el.currentTime - t0, duration: el.duration };
  }, ms);
}
