import { describe, expect, it } from 'vitest';
import type { GraphDoc } from '../../engine/graph.js';
import type { Box } from '../../engine/geometry.js';
import { freeSpot, settle, spotFor } from './placement.js';

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function doc(positions: Array<[string, number, number]>): GraphDoc {
  return {
    schemaVersion: 1,
    metadata: { title: 't', description: '', tags: [] },
    inputs: [],
    edges: [],
    nodes: positions.map(([id, x, y]) => ({ id, type: 't', version: 1, params: {}, position: { x, y } })),
  };
}

describe('placement', () => {
  it('keeps the wanted spot when it is free', () => {
    expect(freeSpot({ x: 10, y: 20 }, { width: 100, height: 50 }, [{ x: 500, y: 500, w: 10, h: 10 }])).toEqual({ x: 10, y: 20 });
  });

  it('moves off nodes that cover the wanted spot, staying close', () => {
    const taken: Box[] = [
      { x: 0, y: 0, w: 280, h: 200 },
      { x: 0, y: 240, w: 280, h: 200 },
    ];
    const p = freeSpot({ x: 0, y: 0 }, { width: 280, height: 160 }, taken);
    for (const r of taken) expect(overlap({ ...p, w: 280, h: 160 }, r)).toBe(false);
    expect(Math.hypot(p.x, p.y)).toBeLessThan(700);
  });

  it('puts a node to the right of the selection, not on it', () => {
    const d = doc([['a', 0, 0], ['b', 0, 300]]);
    const sizes = new Map([['a', { width: 280, height: 200 }], ['b', { width: 280, height: 200 }]]);
    const p = spotFor(d, sizes, new Set(['a']), { x: 0, y: 0 });
    expect(p.x).toBeGreaterThanOrEqual(280);
    expect(p.y).toBe(0);
  });
});

describe('settle', () => {
  it('pushes the nodes a grown node now covers down below it, in a chain', () => {
    const sizes = new Map([
      ['a', { width: 280, height: 500 }],
      ['b', { width: 280, height: 200 }],
      ['c', { width: 280, height: 200 }],
    ]);
    const moved = settle(doc([['a', 0, 0], ['b', 0, 240], ['c', 0, 480]]), sizes, ['a'], new Set());
    expect(moved.get('b')).toEqual({ x: 0, y: 520 });
    expect(moved.get('c')).toEqual({ x: 0, y: 740 });
  });
  it('moves a freshly added node itself, leaving the others', () => {
    const sizes = new Map([
      ['a', { width: 280, height: 300 }],
      ['n', { width: 280, height: 300 }],
    ]);
    const moved = settle(doc([['a', 0, 0], ['n', 100, 100]]), sizes, ['n'], new Set(['n']));
    expect([...moved.keys()]).toEqual(['n']);
    const p = moved.get('n')!;
    expect(p.x >= 280 || p.y >= 300 || p.x + 280 <= 0 || p.y + 300 <= 0).toBe(true);
  });
});
