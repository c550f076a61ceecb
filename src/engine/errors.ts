/**
 * Errors users read. Every error names what and where in one line, with an optional hint.
 * Codes are documented in src/engine/errors.md. Exit codes follow the CLI contract:
 * 2 = bad usage / invalid graph or input, 1 = a node failed while running.
 */
export type ErrorCode =
  | 'E100' // usage
  | 'E101' // graph file is not JSON / unreadable
  | 'E102' // graph schema invalid
  | 'E103' // unknown node type
  | 'E104' // edge problem (unknown node/port, type mismatch)
  | 'E105' // cycle
  | 'E106' // invalid params
  | 'E107' // bad graph input binding / value
  | 'E108' // file missing / unreadable / outside the graph folder
  | 'E109' // unwritable output path
  | 'E110' // corrupt or unsupported media
  | 'E111' // model missing or corrupt
  | 'E120' // node failed while running
  | 'E121' // cancelled
  | 'E122' // missing system dependency
  | 'E130' // remote backend not configured
  | 'E131' // remote backend unreachable / connection lost
  | 'E132' // remote backend refused the credentials
  | 'E133' // remote account balance too low
  | 'E134' // estimated cost above the allowed maximum
  | 'E135' // remote job timed out
  | 'E136' // remote job failed on the backend
  | 'E137' // remote server lacks node classes or model files (preflight)
  | 'E138' // remote server refused the workflow (validation errors)
  | 'E150' // bundle refused
  | 'E151'; // video carries no S2V provenance

export class S2VError extends Error {
  readonly code: ErrorCode;
  /** Where it happened: a node id, a file path, an edge, a CLI flag. */
  readonly where?: string;
  readonly hint?: string;
  /**
   * The id of the graph node the error is about, when it is about one: set where the engine
   * raises it (`atNode`), or by the evaluator for whatever a node's evaluate threw. Front doors
   * read this field (the studio highlights the node); they never parse `where`.
   */
  node?: string;
  /** 2: the input was bad (validation). 1: something failed while running. */
  readonly exitCode: 1 | 2;
  constructor(code: ErrorCode, message: string, opts: { where?: string; node?: string; hint?: string; exitCode?: 1 | 2; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'S2VError';
    this.code = code;
    this.where = opts.where;
    this.node = opts.node;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 2;
  }
  /** One line: `E104 edge e3: port types differ (audio → image) — hint: …` */
  oneLine(): string {
    const where = this.where ? ` ${this.where}:` : '';
    const hint = this.hint ? ` (hint: ${this.hint})` : '';
    return `${this.code}${where} ${this.message}${hint}`.replace(/\s*\n\s*/g, ' ');
  }
}

/** The place of an error about one node: `node "id"` (plus `detail`, e.g. `.path`) for people, the id for programs. */
export function atNode(id: string, detail = ''): { where: string; node: string } {
  return { where: `node "${id}"${detail}`, node: id };
}

export function isS2VError(e: unknown): e is S2VError {
  return e instanceof S2VError;
}

/** Turn anything thrown into a single readable line. */
export function errorLine(e: unknown): string {
  if (isS2VError(e)) return e.oneLine();
  if (e instanceof Error) return e.message.split('\n')[0] ?? String(e);
  return String(e);
}

export function cancelledError(where?: string, node?: string): S2VError {
  return new S2VError('E121', 'cancelled', { where, node, exitCode: 1 });
}
