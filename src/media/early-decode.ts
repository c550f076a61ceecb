/**
 * The decode bin/early-decode.js starts for `s2v analyze <file>` before the CLI's bundle loads
 * (see there), handed to the first decode that asks for exactly it: the same ffmpeg binary and
 * the same arguments. Anything else (another file, another rate, another ffmpeg) spawns as
 * before, and the early process is killed when s2v exits.
 */
import type { StartedProcess } from './run-process.js';

/** The record bin/early-decode.js leaves on globalThis. */
interface EarlyDecode extends StartedProcess {
  bin: string;
  args: readonly string[];
  /** Lets go of the output it kept waiting (the caller reads it from now on). */
  adopted(): void;
}

const EARLY_DECODE = Symbol.for('s2v.earlyDecode');

/** The early decode when it runs `bin` with exactly `args`; taken (a second call gets nothing). */
export function takeEarlyDecode(bin: string, args: readonly string[]): StartedProcess | undefined {
  const holder = globalThis as { [EARLY_DECODE]?: EarlyDecode };
  const early = holder[EARLY_DECODE];
  if (!early || early.bin !== bin || early.args.length !== args.length || early.args.some((a, i) => a !== args[i])) return undefined;
  delete holder[EARLY_DECODE];
  early.adopted();
  // It was left unreferenced so that it could not keep s2v running; now it is waited for.
  const { child } = early;
  child.ref();
  for (const s of [child.stdout, child.stderr] as Array<{ ref?: () => void } | null>) s?.ref?.();
  return early;
}
