/** index.json: what a bundle holds, with sizes and hashes. Checked against every entry on import. */
import { z } from 'zod';

export const BUNDLE_FORMAT = 's2vpack';
export const BUNDLE_VERSION = 1;

export const bundleIndexSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_VERSION),
  app: z.object({ name: z.string().max(64), version: z.string().max(64) }).strict(),
  title: z.string().max(500),
  description: z.string().max(5000).default(''),
  graph: z.literal('graph.json'),
  thumbnail: z.literal('thumbnail.png').optional(),
  models: z.array(z.string().max(64)).max(100),
  entries: z.array(z.object({ name: z.string().max(200), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict()).max(500),
}).strict();

export type BundleIndex = z.output<typeof bundleIndexSchema>;
