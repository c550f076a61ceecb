/**
 * What a run reports while it goes, to every front door alike: the plan when it starts, each
 * node's progress, and one summary when it ends. The evaluator emits all of them, so the CLI and
 * the studio never compute the plan or shape the summary themselves.
 */

/** About one node of the run. */
export type NodeEvent =
  | { event: 'node-start'; node: string; type: string }
  | { event: 'node-cached'; node: string; type: string }
  | { event: 'node-progress'; node: string; type: string; fraction: number; message?: string; preview?: string }
  | { event: 'node-warning'; node: string; type: string; message: string }
  | { event: 'node-done'; node: string; type: string; seconds: number }
  | { event: 'node-error'; node: string; type: string; message: string; code?: string; inputs?: Record<string, string> }
  | { event: 'node-blocked'; node: string; type: string; blockedBy: string };

/** How a run ended (the `run-done` event, and what the studio keeps for GET /api/runs/:id). */
export interface RunSummary {
  ok: boolean;
  ran: string[];
  cached: string[];
  failed: string[];
  blocked: string[];
  seconds: number;
  /** Outputs of every node that ran or came from the cache: `{ [nodeId]: { [port]: value } }`. */
  outputs: Record<string, Record<string, unknown>>;
  /** The first error, as one line. */
  error?: string;
}

export type RunEvent =
  | NodeEvent
  /** The nodes this run will visit, in the order it visits them (only the target's ancestors for "run to here"). */
  | { event: 'run-start'; nodes: string[] }
  | ({ event: 'run-done' } & RunSummary);
