import pino from 'pino';

/** Structured logger (pino's interface). Pass it in; never import a global one. */
export type Logger = pino.Logger;

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
