#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import type { CliIo } from './context';
import { runCli } from './program';

export { runCli };

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** The real process: stdout/stderr, stdin, the user's home and the local time zone. */
export function processIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    readStdin: async () => readFileSync(0, 'utf8'),
    stdinIsTTY: process.stdin.isTTY === true,
    home: homedir(),
    user: osUser(),
    now: () => new Date(),
  };
}

if (require.main === module) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`tocsinctl: error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
