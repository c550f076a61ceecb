/**
 * Server addresses a graph may name (e.g. the Screenwriter's LLM server). Only absolute
 * http(s) URLs: fetch() also speaks data: (and may grow file:), which a graph must never
 * make us read. Checked when a graph is validated and again by the client before it fetches.
 */
export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url.trim());
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
