/** Wire types of the studio's sharing endpoints (types only; see src/server/API.md "Sharing"). */

/**
 * One gallery entry. src/bundle builds it with `thumbnail` as a file path on the server; the
 * server sends it with `thumbnail` turned into a /api/files URL.
 */
export interface GalleryItem {
  id: string;
  source: 'template' | 'saved';
  title: string;
  description: string;
  tags: string[];
  /** An image that shows what the graph makes (a thumbnail beside it, else its reference image). */
  thumbnail?: string;
  inputs: Array<{ name: string; type: string; description: string }>;
  models: string[];
  /** What is missing here before it can run (one line each); empty = ready. */
  missing: string[];
  modified?: string;
}
