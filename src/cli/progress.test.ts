import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress.js';

describe('CLI progress bar', () => {
  it('advances with node events and names what is running', () => {
    const out: string[] = [];
    let clock = 0;
    const bar = new ProgressBar(['audio', 'model'], (s) => out.push(s), 10, () => (clock += 200));
    bar.update({ event: 'node-cached', node: 'audio', type: 'audio-file' });
    expect(bar.fraction()).toBe(0.5);
    bar.update({ event: 'node-start', node: 'model', type: 'video-model' });
    bar.update({ event: 'node-progress', node: 'model', type: 'video-model', fraction: 0.5, message: 'frame 12/24' });
    expect(bar.fraction()).toBe(0.75);
    expect(out.at(-1)).toMatch(/^\r█{8}░{2}\s+75%\s+model: frame 12\/24/);
    bar.update({ event: 'node-done', node: 'model', type: 'video-model', seconds: 1 });
    expect(bar.fraction()).toBe(1);
    expect(out.at(-1)).toContain('100%');
  });
});

describe('CLI progress bar throttling', () => {
  it('skips redraws for progress events closer than 100 ms', () => {
    const out: string[] = [];
    const bar = new ProgressBar(['m'], (s) => out.push(s), 10, () => 1000);
    bar.update({ event: 'node-start', node: 'm', type: 't' });
    const drawn = out.length;
    bar.update({ event: 'node-progress', node: 'm', type: 't', fraction: 0.1 });
    expect(out.length).toBe(drawn);
  });
});
