/**
 * @module web/bcrypt-pool
 * bcrypt comparisons off the event loop: a small pool of worker threads running bcryptjs. bcryptjs's async API only
 * slices the work into chunks on the main thread, so 16 clients guessing passwords at cost 10 kept the event loop
 * busy and a correct (even cached) login waited 1.3 s. Here a comparison costs the main thread one message each way.
 *
 * Jobs wait in one FIFO queue of bounded length (`maxQueue`); beyond it {@link BcryptPool.compare} answers
 * `'busy'` at once instead of queueing without bound. Workers start on first use and do not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface BcryptPoolOptions {
  /** worker threads (default: 2, or 1 on a single core) */
  size?: number;
  /** comparisons that may wait for a worker; more are refused with 'busy' (default 256) */
  maxQueue?: number;
}

interface Job {
  password: string;
  hash: string;
  resolve: (ok: boolean) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

/** The worker's whole program: compare and answer; a malformed hash is a mismatch. */
const WORKER_SOURCE = (bcryptPath: string) => `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptPath)});
parentPort.on('message', (m) => {
  let ok = false;
  try { ok = bcrypt.compareSync(m.password, m.hash); } catch { ok = false; }
  parentPort.postMessage(ok);
});
`;

export class BcryptPool {
  readonly #size: number;
  readonly #maxQueue: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #closed = false;

  constructor(o: BcryptPoolOptions = {}) {
    this.#size = Math.max(1, o.size ?? Math.min(2, availableParallelism()));
    this.#maxQueue = o.maxQueue ?? 256;
  }

  /** bcrypt CompareHashAndPassword off the main thread: true on a match, 'busy' when the queue is full. */
  compare(password: string, hash: string): Promise<boolean | 'busy'> {
    if (this.#closed) return Promise.reject(new Error('bcrypt pool closed'));
    if (this.#queue.length >= this.#maxQueue) return Promise.resolve('busy');
    return new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ password, hash, resolve, reject });
      this.#dispatch();
    });
  }

  /** comparisons waiting for a worker (for tests and metrics) */
  get queued(): number {
    return this.#queue.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const j of this.#queue.splice(0)) j.reject(new Error('bcrypt pool closed'));
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.job === undefined);
      if (!slot && this.#slots.length < this.#size) slot = this.#spawn();
      if (!slot) return;
      const job = this.#queue.shift() as Job;
      slot.job = job;
      slot.worker.postMessage({ password: job.password, hash: job.hash });
    }
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE(require.resolve('bcryptjs')), { eval: true });
    worker.unref();
    const slot: Slot = { worker, job: undefined };
    worker.on('message', (ok: boolean) => {
      const job = slot.job;
      slot.job = undefined;
      job?.resolve(ok === true);
      this.#dispatch();
    });
    const lost = (e: Error) => {
      const i = this.#slots.indexOf(slot);
      if (i >= 0) this.#slots.splice(i, 1);
      slot.job?.reject(e);
      slot.job = undefined;
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`bcrypt worker exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }
}
