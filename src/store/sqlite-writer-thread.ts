/**
 * @module store/sqlite-writer-thread
 * Writes to one SQLite file from a worker thread, so that the main thread (HTTP, ingest, notifications) does
 * not spend its time in SQLite for write-behind data (the history: two events per new alert, ~60 % of the
 * server's CPU time during an alert storm when written on the main thread). The worker holds its own
 * connection (WAL, synchronous=NORMAL, like src/store/db.ts), so the file must be one the main thread does
 * not write to (it would wait for the worker's write lock): the main thread only reads it.
 *
 * A request's promise settles once its transaction has committed (durable against kill -9), or with the
 * SQLite error. Requests that queue up while the thread is busy commit together (group commit), each in its own
 * savepoint, so a failing one still writes nothing and fails alone. Rows travel as one flat array of column values (`width` per row), the cheapest shape to
 * copy between threads. The worker starts on first use, does not keep the process alive while idle, and ends
 * after `idleMs` without requests (a thread costs ~9 MiB of memory): {@link SqliteWriterThread.active} tells
 * a caller that may write small batches itself whether the thread is there (then it must write through it,
 * so that the two connections never wait for each other's lock).
 *
 * On Linux the thread runs at a lower CPU priority than the rest of the process (nice {@link WRITER_NICE}; a
 * thread's nice value is its own there). Its commits are write-behind work (history) or group commits that
 * others wait for in bulk (alert saves), while the event loop and the send thread carry the latency a
 * receiver sees: on 2 cores, the writer threads' commits during 1000 simultaneous flushes pushed the last
 * notification out by ~30 % (bench notify, 3-4 reps each: p99 140-174 ms at nice 19, 202-228 ms at 0, 208 ms at
 * 10), and alert ingest, the alert storm and the restore of 100k alerts were no slower at 19. The nice value
 * weighs the thread against the process's own threads and, without a CPU cgroup of its own (systemd services
 * and containers have one), against the host's other processes too.
 */
import { Worker } from 'node:worker_threads';

/**
 * Rows for one statement, in one transaction: `values` flat, `width` per row. A value that is an object is bound
 * as its JSON text (made in the worker). With `first`, a row whose `firstOnly` flag is set runs that statement
 * instead (its parameters: the row's values at `first.cols`; e.g. an UPDATE of a row believed to exist, which
 * needs fewer values), and if it changed no row the row is reported back as missing (the caller sends it whole).
 */
export interface RowsRequest {
  sql: string;
  width: number;
  values: unknown[];
  first?: { sql: string; cols: readonly number[] };
  firstOnly?: readonly boolean[];
  /** more rows for other statements, written after these in the same transaction (each `values` flat, `width` per row) */
  after?: readonly { sql: string; width: number; values: unknown[] }[];
}

/** A request to the worker: `rows` writes rows, `run` one statement, `get` reads one row. */
type Request = ({ id: number; op: 'rows' } & RowsRequest) | { id: number; op: 'run' | 'get'; sql: string; args: unknown[] };

interface Answer {
  id: number;
  /** `rows`: the indexes of `firstOnly` rows whose statement changed nothing */
  missing?: number[];
  /** `run`: rows changed */
  changes?: number;
  /** `get`: the row read (undefined: none) */
  row?: unknown;
  error?: { message: string; code?: string };
}

/**
 * Most `rows` requests one commit takes (group commit: those queued while the thread was busy). A commit of
 * tocsin.db's alert rows costs about as much as the rows themselves at 64 per POST (each new alert dirties a
 * page of the fingerprint index); bounded so that the first request of a group is not kept waiting for long.
 */
const GROUP_MAX = 64;

/**
 * The writer threads' nice value on Linux (19, the lowest priority): one that weighs more (10) kept half of the
 * gain (bench notify p99 208 ms against 174 ms at 19).
 */
export const WRITER_NICE = 19;

/** The worker's whole program (plain JS, so it runs the same from dist/, the server bundle and the tests). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
// Linux: a thread's own nice value (setpriority(PRIO_PROCESS, 0) is the calling thread there, not the process)
if (workerData.nice !== undefined) {
  try { require('node:os').setPriority(workerData.nice); } catch {}
}
const statements = new Map();
const prepared = (sql) => {
  let st = statements.get(sql);
  if (!st) { st = db.prepare(sql); statements.set(sql, st); }
  return st;
};
const bound = (v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
const writeRows = db.transaction((m, missing) => {
  const st = prepared(m.sql);
  const first = m.first ? prepared(m.first.sql) : undefined;
  const cols = m.first ? m.first.cols : [];
  const width = m.width;
  const v = m.values;
  const row = new Array(width);
  const firstRow = new Array(cols.length);
  for (let i = 0, r = 0; i < v.length; i += width, r++) {
    if (first && m.firstOnly[r]) {
      for (let k = 0; k < cols.length; k++) firstRow[k] = bound(v[i + cols[k]]);
      if (first.run(firstRow).changes === 0) missing.push(r);
      continue;
    }
    for (let k = 0; k < width; k++) row[k] = bound(v[i + k]);
    st.run(row);
  }
  for (const more of m.after || []) {
    const st2 = prepared(more.sql);
    const w = more.width;
    const v2 = more.values;
    const row2 = new Array(w);
    for (let i = 0; i < v2.length; i += w) {
      for (let k = 0; k < w; k++) row2[k] = bound(v2[i + k]);
      st2.run(row2);
    }
  }
});
const failure = (e) => ({ message: String(e && e.message), code: e && e.code });
// group commit: the \`rows\` requests that arrived while the thread was busy commit together, one commit for
// all (each in its own savepoint: a failing request rolls back alone); answered, in order, once that commit is done
const writeGroup = db.transaction((group, answers) => {
  for (const m of group) {
    const missing = [];
    try {
      writeRows(m, missing);
      answers.push(missing.length > 0 ? { id: m.id, missing } : { id: m.id });
    } catch (e) {
      answers.push({ id: m.id, error: failure(e) });
    }
  }
});
const queue = [];
let draining = false;
const drain = () => {
  draining = false;
  let i = 0;
  while (i < queue.length) {
    const m = queue[i];
    if (m.op !== 'rows') {
      i++;
      try {
        parentPort.postMessage(m.op === 'get' ? { id: m.id, row: prepared(m.sql).get(...m.args) } : { id: m.id, changes: prepared(m.sql).run(...m.args).changes });
      } catch (e) {
        parentPort.postMessage({ id: m.id, error: failure(e) });
      }
      continue;
    }
    let end = i + 1;
    while (end < queue.length && end - i < ${GROUP_MAX} && queue[end].op === 'rows') end++;
    const group = queue.slice(i, end);
    i = end;
    let answers = [];
    try {
      if (group.length === 1) {
        const missing = [];
        writeRows(group[0], missing);
        answers.push(missing.length > 0 ? { id: group[0].id, missing } : { id: group[0].id });
      } else {
        writeGroup(group, answers);
      }
    } catch (e) {
      // the commit itself failed: none of the group is stored
      answers = group.map((m) => ({ id: m.id, error: failure(e) }));
    }
    for (const a of answers) parentPort.postMessage(a);
  }
  queue.length = 0;
};
parentPort.on('message', (m) => {
  queue.push(m);
  // after the messages already delivered in this turn of the thread's event loop (setImmediate runs after them)
  if (!draining) {
    draining = true;
    setImmediate(drain);
  }
});
`;

/** An error of the worker's SQLite connection, with SQLite's code (better-sqlite3's SqliteError has the same fields). */
export class SqliteThreadError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'SqliteError';
    this.code = code;
  }
}

export class SqliteWriterThread {
  readonly #file: string;
  readonly #idleMs: number;
  readonly #nice: number | undefined;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  #next = 0;
  #closed = false;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  /** `nice`: the thread's nice value on Linux (default {@link WRITER_NICE}; elsewhere it is left as it is) */
  constructor(file: string, o: { idleMs?: number; nice?: number } = {}) {
    this.#file = file;
    this.#idleMs = o.idleMs ?? 30_000;
    // only where nice is per thread: elsewhere setpriority() on the calling thread would lower the whole process
    this.#nice = process.platform === 'linux' ? (o.nice ?? WRITER_NICE) : undefined;
  }

  /** the thread is running (it may have requests under way): every write must go through it */
  get active(): boolean {
    return this.#worker !== undefined;
  }

  /**
   * the thread has requests under way (it may hold the file's write lock): a caller that writes on the main
   * connection otherwise must send its write here meanwhile (it would wait for that lock, and overtake them)
   */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /**
   * Writes rows (`values.length / width` of them) in one transaction (see RowsRequest); resolves to the indexes
   * of the `firstOnly` rows that were missing.
   */
  async rows(r: RowsRequest): Promise<number[]> {
    return (await this.#send({ id: 0, op: 'rows', ...r })).missing ?? [];
  }

  /** Runs `sql` once per row (`values.length / width` of them) in one transaction. */
  async write(sql: string, width: number, values: unknown[]): Promise<void> {
    await this.rows({ sql, width, values });
  }

  /** Runs one statement; resolves to the number of rows it changed. */
  async run(sql: string, args: unknown[]): Promise<number> {
    return (await this.#send({ id: 0, op: 'run', sql, args })).changes ?? 0;
  }

  /**
   * Reads one row with `sql` on the thread's connection (a reader of the file: e.g. big pages built by SQLite
   * while the event loop parses the previous one).
   */
  async get(sql: string, args: unknown[]): Promise<unknown> {
    return (await this.#send({ id: 0, op: 'get', sql, args })).row;
  }

  /** Waits for nothing: requests under way are lost to their callers (rejected); call after the last write settled. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    const w = this.#worker;
    this.#worker = undefined;
    for (const p of this.#pending.values()) p.reject(new Error(`${this.#file}: writer thread closed`));
    this.#pending.clear();
    if (w) await w.terminate();
  }

  #send(req: Request): Promise<Answer> {
    if (this.#closed) return Promise.reject(new Error(`${this.#file}: writer thread closed`));
    const worker = this.#worker ?? this.#spawn();
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    req.id = ++this.#next;
    return new Promise<Answer>((resolve, reject) => {
      this.#pending.set(req.id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref(); // a write under way keeps the process alive until it commits
      worker.postMessage(req);
    }).then((a) => {
      if (a.error) throw new SqliteThreadError(a.error.message, a.error.code);
      return a;
    });
  }

  /** Ends an idle thread; the next request starts another. */
  #retire(worker: Worker): void {
    if (this.#worker !== worker || this.#pending.size > 0) return;
    this.#worker = undefined;
    void worker.terminate();
  }

  #spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sqlite: require.resolve('better-sqlite3'), file: this.#file, ...(this.#nice !== undefined ? { nice: this.#nice } : {}) },
      // its garbage is the requests' rows, short-lived: a small young generation keeps its memory small
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    worker.on('message', (a: Answer) => {
      const p = this.#pending.get(a.id);
      this.#pending.delete(a.id);
      if (this.#pending.size === 0) {
        worker.unref();
        this.#idleTimer = setTimeout(() => this.#retire(worker), this.#idleMs);
        this.#idleTimer.unref();
      }
      p?.resolve(a);
    });
    const lost = (e: Error) => {
      // a retired thread had no requests; those pending belong to the current one
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`${this.#file}: writer thread exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}
