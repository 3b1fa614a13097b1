/**
 * @module app/event-recorder/stdout-output
 * `stdout_outputs`: each event as one JSON line on the process's standard output.
 */
import type { Destination } from './destination';

export class StdoutOutput implements Destination {
  readonly name = 'stdout';
  readonly #out: NodeJS.WritableStream;

  constructor(out: NodeJS.WritableStream = process.stdout) {
    this.#out = out;
  }

  send(lines: readonly string[]): void {
    if (lines.length > 0) this.#out.write(`${lines.join('\n')}\n`);
  }

  async close(): Promise<void> {}
}
