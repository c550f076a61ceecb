/** What a command writes to: the process's streams, or a test's buffers. Every command takes one. */
export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** stderr is a terminal (draw a progress bar); absent means it is not. */
  isTTY?: boolean;
  /** Stops a long-running command (the studio) as SIGINT would: tests and embedders. */
  signal?: AbortSignal;
}
