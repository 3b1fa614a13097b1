import pino from 'pino';
import type { Logger } from '../types/logger';

/**
 * The process logger (pino). `--log.format=logfmt` (upstream's default) writes `time=... level=info msg="..." k=v`
 * lines through a small formatter of ours; `json` writes pino's JSON lines. Both go to stderr, like upstream.
 */
export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error';
  format: 'logfmt' | 'json';
  /** default: process.stderr */
  write?: (line: string) => void;
}

function logfmtValue(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v instanceof Error) s = v.message;
  else if (v !== null && typeof v === 'object' && 'message' in v && 'type' in v) s = String((v as { message: unknown }).message);
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  return s === '' || /[\s="\\]/.test(s) || /[^\x20-\x7e]/.test(s) ? JSON.stringify(s) : s;
}

/** One pino JSON line -> one logfmt line (time, level, msg first; then the other fields in order). */
export function jsonLineToLogfmt(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const parts: string[] = [];
  const { time, level, msg, ...rest } = o;
  if (time !== undefined) parts.push(`time=${logfmtValue(time)}`);
  if (level !== undefined) parts.push(`level=${logfmtValue(level)}`);
  if (msg !== undefined) parts.push(`msg=${logfmtValue(msg)}`);
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined) continue;
    parts.push(`${k}=${logfmtValue(v)}`);
  }
  return `${parts.join(' ')}\n`;
}

export function createLogger(opts: LoggerOptions): Logger {
  const write = opts.write ?? ((s: string) => process.stderr.write(s));
  const base: pino.LoggerOptions = {
    level: opts.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const dest: pino.DestinationStream = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        write(opts.format === 'json' ? `${line}\n` : jsonLineToLogfmt(line));
      }
    },
  };
  return pino(base, dest);
}
