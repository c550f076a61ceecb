/**
 * Cost as the rest of S2V sees it: a CostEstimate in the account's token unit, and the
 * `maxCost` refusal the Video Model node applies before anything is uploaded or spent.
 */
import type { CostEstimate } from '../../engine/services/video-backend.js';
import { S2VError } from '../../engine/errors.js';

/** What `sogni.projects.estimateVideoCost` resolves to (numbers arrive as strings). */
export interface SogniQuote {
  token?: string | number;
  usd?: string | number;
  spark?: string | number;
  sogni?: string | number;
  estimatedRenderSeconds?: number;
  estimatedTotalSeconds?: number;
}

/** The quote in the unit the job will be paid with ('spark' or 'sogni'). */
export function quoteToEstimate(quote: SogniQuote, unit: 'spark' | 'sogni'): CostEstimate {
  const raw = unit === 'spark' ? quote.spark : quote.sogni;
  const amount = Number(raw ?? quote.token);
  if (!Number.isFinite(amount) || amount < 0) {
    throw new S2VError('E136', `the Sogni cost estimate has no usable ${unit} amount (${JSON.stringify(raw ?? null)})`, { where: 'sogni', exitCode: 1 });
  }
  const seconds = quote.estimatedTotalSeconds ?? quote.estimatedRenderSeconds;
  return { amount, unit, ...(typeof seconds === 'number' && Number.isFinite(seconds) ? { seconds } : {}) };
}

/** Add up the estimates of a plan's segments (all in one unit). */
export function sumEstimates(parts: CostEstimate[]): CostEstimate | undefined {
  if (!parts.length) return undefined;
  const unit = parts[0]!.unit;
  if (parts.some((p) => p.unit !== unit)) throw new S2VError('E136', `cannot add costs in different units (${[...new Set(parts.map((p) => p.unit))].join(', ')})`, { where: 'sogni', exitCode: 1 });
  const secs = parts.every((p) => typeof p.seconds === 'number') ? parts.reduce((s, p) => s + p.seconds!, 0) : undefined;
  return { amount: round6(parts.reduce((s, p) => s + p.amount, 0)), unit, ...(secs !== undefined ? { seconds: secs } : {}) };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * Refuse a job whose estimate is above `maxCost` (same unit). `maxCost` undefined or ≤ 0 means
 * "no limit" so an unset param never blocks. Throws E134 (exit 2): nothing has been sent yet.
 */
export function checkCost(estimate: CostEstimate | undefined, maxCost: number | undefined, where = 'sogni'): void {
  if (!estimate || maxCost === undefined || !(maxCost > 0)) return;
  if (estimate.amount > maxCost) {
    throw new S2VError('E134', `estimated cost ${formatCost(estimate)} is above maxCost ${maxCost} ${estimate.unit}; nothing was sent`, {
      where, hint: 'raise maxCost, shorten the audio, or pick a cheaper model', exitCode: 2,
    });
  }
}

export function formatCost(e: CostEstimate): string {
  const amount = e.amount >= 100 ? e.amount.toFixed(0) : e.amount >= 1 ? e.amount.toFixed(2) : e.amount.toPrecision(2);
  const time = typeof e.seconds === 'number' ? `, about ${Math.round(e.seconds)} s` : '';
  return `${amount} ${e.unit}${time}`;
}
