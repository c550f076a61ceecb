/**
 * What may be shown of a server address: scheme, host and port. User info (user:password@),
 * query strings (?token=…) and fragments can hold credentials, so they never reach a log
 * line, an error, a cache key or `s2v backends`.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '<invalid url>';
  }
}

/** Replace every occurrence of each secret in `text` (for messages that quote server output). */
export function scrub(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}
