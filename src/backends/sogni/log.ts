/**
 * The SDK's logger, pointed at our sink through the redactor. The SDK logs objects (requests,
 * socket frames at debug level); everything is flattened to one redacted line before it leaves.
 */
import { inspect } from 'node:util';
import type { Redact } from './errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, line: string) => void;

export interface SdkLogger {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

function flatten(args: unknown[]): string {
  return args
    .map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}` : inspect(a, { depth: 3, breakLength: Infinity, maxStringLength: 300 })))
    .join(' ')
    .replace(/\s*\n\s*/g, ' ');
}

export function makeLogger(sink: LogSink, redact: Redact): { sdk: SdkLogger; log: LogSink } {
  const log: LogSink = (level, line) => sink(level, redact(line));
  const at = (level: LogLevel) => (...args: unknown[]) => log(level, `sogni-sdk: ${flatten(args)}`);
  return { sdk: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, log };
}
