/** What the evaluator needs from a cache: look up, reserve a build dir, commit atomically. */

export interface CacheEntry {
  key: string;
  outputs: Record<string, unknown>;
  warnings: string[];
}

export interface PendingEntry {
  /** Directory the node writes its files into. */
  dir: string;
  /** Make the entry visible (atomic). Outputs may contain paths inside `dir`. */
  commit(outputs: Record<string, unknown>, warnings: string[]): Promise<CacheEntry>;
  /** Throw the half-built entry away. */
  discard(): Promise<void>;
}

export interface CacheStore {
  /** The folder its entries' files live under, when it keeps them on disk (the studio serves files from it). */
  readonly dir?: string;
  get(key: string): Promise<CacheEntry | undefined>;
  begin(key: string): Promise<PendingEntry>;
  /** Drop an entry (e.g. its outputs are no longer valid). */
  delete(key: string): Promise<void>;
  /** `memos`: run memos kept (DiskCache; their bytes are in `bytes`). */
  stats(): Promise<{ entries: number; memos?: number; bytes: number; dir?: string; capBytes?: number }>;
  clear(): Promise<void>;
  /** Enforce the size cap (LRU). */
  evict?(): Promise<void>;
}
