/**
 * The `s2v` command. Exit codes: 0 success, 1 a node failed while running (or cancelled),
 * 2 bad usage / invalid graph or input. Errors are one line; stacks only with --debug.
 */
import './zod-jitless.js';
import './analyze-early.js';
import { defaultIO, runCommandLine, unknownCommand, type CliIO } from './io.js';
import type { RunMemoRequest } from './run-memo.js';

const HELP = `s2v — Sound to Video

Usage:
  s2v run <graph.json> [--input NAME=VALUE]… [--set NODE.PARAM=VALUE]… [-o OUT.mp4]
          [--to NODE] [--cache-dir DIR] [--no-cache] [--preview] [--json] [--yes] [--debug]
  s2v validate <graph.json>          (also lists missing models and inputs)
  s2v pack <graph.json> -o NAME.s2vpack [--render VIDEO]
  s2v unpack NAME.s2vpack [-d DIR]
  s2v graph-from VIDEO.mp4 [-o graph.json]
  s2v analyze <audio> [--fps N] [--json]
  s2v nodes [--json]
  s2v models [--json]                 (local ONNX and remote ComfyUI/Sogni models)
  s2v backends [--json] | s2v backends set KEY=VALUE…   (remote backends; settings file 0600)
  s2v cache stats|clear [--cache-dir DIR]
  s2v studio [--port P] [--cache-dir DIR]
  s2v doctor [--json]        what this machine has (ffmpeg, onnxruntime, NW.js, speech, test tools)

Exit codes: 0 ok · 1 a node failed while running · 2 bad usage or invalid graph/input`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

/**
 * Commands loaded only when they run: a cached `s2v run` pays for every module it loads, and
 * `s2v analyze` would otherwise initialise the node catalog, the graph schemas and every service.
 */
const graphCommands = () => import('./graph-commands.js');
const LAZY_COMMANDS: Record<string, () => Promise<Command>> = {
  backends: async () => (await import('./backends.js')).backendsCommand,
  analyze: async () => (await import('./analyze.js')).analyzeCommand,
  pack: async () => (await import('./pack.js')).packCommand,
  unpack: async () => (await import('./unpack.js')).unpackCommand,
  'graph-from': async () => (await import('./graph-from.js')).graphFromCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  studio: async () => (await import('./studio.js')).studioCommand,
};

/** `runMemo`: what bin/run-memo.js found this `s2v run` to be, so a fully cached run leaves a memo (src/cli/run-memo.ts). */
export function main(argv: string[], io: CliIO = defaultIO, opts: { runMemo?: RunMemoRequest } = {}): Promise<number> {
  return runCommandLine(argv, io, async (command, rest, debug) => {
    const lazy = command !== undefined && Object.hasOwn(LAZY_COMMANDS, command) ? LAZY_COMMANDS[command] : undefined;
    if (lazy) return await (await lazy())(rest, io);
    switch (command) {
      case 'run':
        return await (await graphCommands()).runCommand(rest, io, debug, opts.runMemo);
      case 'validate':
        return await (await graphCommands()).validateCommand(rest, io);
      case 'nodes':
        return (await graphCommands()).nodesCommand(rest, io);
      case 'models':
        return await (await graphCommands()).modelsCommand(rest, io);
      case 'cache':
        return await (await graphCommands()).cacheCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      case '--version':
        io.stdout('s2v 0.1.0\n');
        return 0;
      default:
        throw unknownCommand(command);
    }
  });
}
