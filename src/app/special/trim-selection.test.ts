import { describe, expect, it } from 'vitest';
import { trimSelectionParams } from './trim-selection.js';

const keys = { start: 'start', end: 'end', duration: 'duration' };

describe('trim region → Trim params (studio TrimEditor)', () => {
  it('dragging the START handle moves start only: end stays the absolute end time (not end − start)', () => {
    // Region was 1 → 5 s; the left handle is dragged to 2 s; the right one did not move.
    expect(trimSelectionParams(keys, { start: 1, end: 5 }, 2, 5)).toEqual({ start: 2, end: 5 });
    expect(trimSelectionParams(keys, { start: 0 }, 0.75, 3.5)).toEqual({ start: 0.75, end: 3.5 });
  });

  it('dragging the END handle sets end to where it was dropped', () => {
    expect(trimSelectionParams(keys, { start: 1, end: 5 }, 1, 3.25)).toEqual({ start: 1, end: 3.25 });
  });

  it('when a duration is in use it is kept up to date instead of end (the node reads duration first)', () => {
    expect(trimSelectionParams(keys, { start: 1, duration: 4 }, 2, 5)).toEqual({ start: 2, duration: 3 });
    expect(trimSelectionParams(keys, { start: 1, duration: 4 }, 1.1, 2.2004)).toEqual({ start: 1.1, duration: 1.1 });
    // A node with no end param at all edits duration too.
    expect(trimSelectionParams({ start: 'startSec', duration: 'length' }, {}, 0.5, 2)).toEqual({ startSec: 0.5, length: 1.5 });
  });

  it('follows the node’s own param names', () => {
    expect(trimSelectionParams({ start: 'startSec', end: 'endSec' }, {}, 2, 6)).toEqual({ startSec: 2, endSec: 6 });
  });
});
