/**
 * The entry of `s2v analyze`'s own bundle (bin/load-cli.js builds it beside the CLI's): the same
 * command as main.ts runs, with the same errors and exit codes, from a bundle that holds only
 * what an analysis loads — no zod, no node catalog, no server — a quarter of the CLI's. Its
 * start-up is what `s2v analyze` of a short clip mostly waits for: reading, compiling and
 * setting up the 1.2 MB CLI bundle took ≈ 55 ms of a 0.52 s analysis of 30 s, this one ≈ 20 ms
 * (traced, npm run bench -- startup).
 */
import './analyze-early.js';
import { analyzeCommand } from './analyze.js';
import { defaultIO, runCommandLine, unknownCommand, type CliIO } from './io.js';

export function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  return runCommandLine(argv, io, async (command, rest) => {
    if (command !== 'analyze') throw unknownCommand(String(command));
    return analyzeCommand(rest, io);
  });
}
