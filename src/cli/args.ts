/** A small, strict argv parser: known flags only, repeated flags collected, clear errors. */
import { S2VError } from '../engine/index.js';

export interface FlagSpec {
  /** takes a value */
  value?: boolean;
  /** may repeat (values collected) */
  repeat?: boolean;
  alias?: string;
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[] | true>;
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const alias = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) if (s.alias) alias.set(s.alias, name);
  const positional: string[] = [];
  const flags = new Map<string, string[] | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    let name = a.replace(/^--?/, '');
    let inline: string | undefined;
    const eq = name.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    name = alias.get(name) ?? name;
    const s = spec[name];
    if (!s) throw new S2VError('E100', `unknown option ${a}`, { where: 'command line', hint: 'see s2v --help' });
    if (!s.value) {
      flags.set(name, true);
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new S2VError('E100', `${a} needs a value`, { where: 'command line' });
    const prev = flags.get(name);
    if (Array.isArray(prev) && s.repeat) prev.push(v);
    else flags.set(name, [v]);
  }
  return { positional, flags };
}

export function flagValue(p: ParsedArgs, name: string): string | undefined {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v[v.length - 1] : undefined;
}

export function flagValues(p: ParsedArgs, name: string): string[] {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : [];
}

export function hasFlag(p: ParsedArgs, name: string): boolean {
  return p.flags.has(name);
}
