/** What a command writes to: the process's streams, or a test's buffers. Every command takes one. */
import { S2VError, errorLine, isS2VError } from '../engine/errors.js';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** stderr is a terminal (draw a progress bar); absent means it is not. */
  isTTY?: boolean;
  /** Stops a long-running command (the studio) as SIGINT would: tests and embedders. */
  signal?: AbortSignal;
}

export const defaultIO: CliIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
};

/**
 * Runs one command line (`argv` without `s2v`): `--debug` taken out, the command and its
 * arguments handed to `dispatch`. A failure is one line on stderr (its stack too with --debug)
 * and the exit code: an S2VError's own, 1 for anything else.
 */
export async function runCommandLine(argv: string[], io: CliIO, dispatch: (command: string | undefined, rest: string[], debug: boolean) => Promise<number>): Promise<number> {
  const debug = argv.includes('--debug');
  const [command, ...rest] = argv.filter((a) => a !== '--debug');
  try {
    return await dispatch(command, rest, debug);
  } catch (e) {
    io.stderr(`error: ${errorLine(e)}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return isS2VError(e) ? e.exitCode : 1;
  }
}

/** The error for a command this entry does not run. */
export function unknownCommand(command: string): S2VError {
  return new S2VError('E100', `unknown command "${command}"`, { where: 's2v', hint: 'run s2v --help' });
}
