/**
 * @module app/event-recorder/file-output
 * `file_outputs`: each event as one JSON line appended to a file (created if absent). Like upstream, the file
 * is reopened when it is renamed or removed (logrotate): before each write the path's inode is compared with
 * the open file's.
 */
import { closeSync, fstatSync, openSync, statSync, writeSync } from 'node:fs';
import type { Logger } from '../../types/logger';
import type { Destination } from './destination';

export class FileOutput implements Destination {
  readonly name: string;
  readonly #path: string;
  readonly #logger: Logger;
  #fd: number;

  /** Throws when the file cannot be opened (the caller logs it and skips the output, as upstream). */
  constructor(path: string, logger: Logger) {
    this.#path = path;
    this.name = `file:${path}`;
    this.#logger = logger;
    this.#fd = openSync(path, 'a', 0o644);
  }

  send(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.#reopenIfMoved();
    writeSync(this.#fd, `${lines.join('\n')}\n`);
  }

  #reopenIfMoved(): void {
    let moved: boolean;
    try {
      moved = statSync(this.#path).ino !== fstatSync(this.#fd).ino;
    } catch {
      moved = true; // removed
    }
    if (!moved) return;
    try {
      const fd = openSync(this.#path, 'a', 0o644);
      closeSync(this.#fd);
      this.#fd = fd;
    } catch (err) {
      this.#logger.error({ err, path: this.#path }, 'Failed to reopen event recorder file');
    }
  }

  async close(): Promise<void> {
    closeSync(this.#fd);
  }
}
