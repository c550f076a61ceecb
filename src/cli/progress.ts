/** A one-line TTY progress bar over the nodes of a run. */
import type { NodeEvent } from '../engine/index.js';

export class ProgressBar {
  private fractions = new Map<string, number>();
  private label = '';
  private lastDraw = 0;
  constructor(
    private readonly nodes: string[],
    private readonly write: (s: string) => void,
    private readonly width = 28,
    private readonly now: () => number = Date.now,
  ) {}

  update(e: NodeEvent): void {
    if (e.event === 'node-start') {
      this.fractions.set(e.node, 0);
      this.label = `${e.node} (${e.type})`;
    } else if (e.event === 'node-progress') {
      this.fractions.set(e.node, e.fraction);
      this.label = `${e.node}${e.message ? `: ${e.message}` : ''}`;
    } else if (e.event === 'node-done' || e.event === 'node-cached' || e.event === 'node-error' || e.event === 'node-blocked') {
      this.fractions.set(e.node, 1);
    }
    // Progress events can come per frame; redraw at most every 100 ms.
    const now = this.now();
    if (e.event === 'node-progress' && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw();
  }

  fraction(): number {
    if (!this.nodes.length) return 1;
    let sum = 0;
    for (const n of this.nodes) sum += this.fractions.get(n) ?? 0;
    return sum / this.nodes.length;
  }

  draw(): void {
    const f = this.fraction();
    const filled = Math.round(f * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const text = `\r${bar} ${String(Math.round(f * 100)).padStart(3)}%  ${this.label}`.slice(0, (process.stderr.columns || 100) - 1);
    this.write(`${text}\x1b[K`);
  }

  clear(): void {
    this.write('\r\x1b[K');
  }
}
