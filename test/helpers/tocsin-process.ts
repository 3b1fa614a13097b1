import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt, ROOT } from './build';
import { freePort, waitFor } from './ports';

export interface TocsinProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** everything the process wrote to stderr/stdout so far */
  output(): string;
  /** SIGTERM (or the given signal) and wait for the exit */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the compiled server (bin/tocsin, i.e. dist/) as a child process on a free loopback port and waits
 * until /-/ready answers. Extra flags are appended; --web.listen-address and --cluster.listen-address are set.
 */
export async function startTocsin(opts: { configFile: string; storagePath: string; args?: string[]; port?: number }): Promise<TocsinProcess> {
  ensureBuilt();
  const port = opts.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'tocsin'),
      `--config.file=${opts.configFile}`,
      `--storage.path=${opts.storagePath}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      ...(opts.args ?? []),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const p: TocsinProcess = {
    child,
    port,
    url,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
  const prefixArg = (opts.args ?? []).find((a) => a.startsWith('--web.route-prefix='))?.split('=')[1];
  const extArg = (opts.args ?? []).find((a) => a.startsWith('--web.external-url='))?.slice('--web.external-url='.length);
  const prefix = (prefixArg ?? (extArg ? new URL(extArg).pathname : '')).replace(/\/+$/, '');
  try {
    await waitFor(
      async () => {
        // an exit ends the wait at once (a process that cannot start fails its test quickly)
        if (child.exitCode !== null) return true;
        const r = await fetch(`${url}${prefix}/-/ready`);
        return r.status === 200;
      },
      { timeoutMs: 15_000, what: `tocsin on ${url}` },
    );
    if (child.exitCode !== null) throw new Error(`tocsin exited with ${child.exitCode}: ${out}`);
  } catch (e) {
    await p.stop('SIGKILL');
    throw new Error(`${(e as Error).message}\n${out}`);
  }
  return p;
}
