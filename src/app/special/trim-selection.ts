/**
 * What a dragged trim region writes into the Trim node's params. Either handle may move:
 * the region reports absolute start and end seconds. A set duration wins over end (as the
 * node reads them), so whichever of the two is in use is the one kept up to date.
 */
export interface TrimKeys {
  start?: string;
  end?: string;
  duration?: string;
}

export function trimSelectionParams(k: TrimKeys, params: Record<string, unknown>, s: number, e: number): Record<string, number> {
  if (!k.start) return {};
  const durationInUse = !!k.duration && typeof params[k.duration] === 'number';
  if (k.end && !durationInUse) return { [k.start]: s, [k.end]: e };
  return { [k.start]: s, [k.duration!]: Math.round((e - s) * 1000) / 1000 };
}
