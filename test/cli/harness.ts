/**
 * E2E harness for tocsinctl: starts the target server (real Alertmanager by default, Tocsin when
 * TOCSINCTL_E2E_TARGET=tocsin) on a free loopback port with a temp storage dir, and runs amtool and
 * tocsinctl against it. Every process started here is killed in stop() (and on process exit).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import { freePort } from '../helpers/ports';

/** re-exported for the e2e tests */
export { freePort };

export const REPO = resolve(__dirname, '../..');
export const AMTOOL = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';

export interface TargetServer {
  kind: string;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** The command that starts the target; both take Alertmanager's flags. */
function serverCommand(kind: string): { cmd: string; args: string[] } {
  if (kind === 'alertmanager') {
    return { cmd: process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager', args: [] };
  }
  if (kind === 'tocsin') {
    // the built server if there is one, else the sources (no build needed)
    if (existsSync(join(REPO, 'dist/main.js'))) return { cmd: process.execPath, args: [join(REPO, 'bin/tocsin')] };
    const main = `require(${JSON.stringify(join(REPO, 'src/main.ts'))}).main(process.argv.slice(1))`;
    return { cmd: process.execPath, args: ['-r', join(REPO, 'test/cli/swc-register.js'), '-e', main] };
  }
  throw new Error(`unknown TOCSINCTL_E2E_TARGET ${kind} (alertmanager or tocsin)`);
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

async function waitReady(url: string, proc: ChildProcess, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false;
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      live.delete(proc);
      res();
      return;
    }
    const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
    proc.once('exit', () => {
      clearTimeout(t);
      live.delete(proc);
      res();
    });
    proc.kill('SIGTERM');
  });
}

/** Starts the target server with `configYaml`; retries on another port if the port was taken. */
export async function startTarget(
  configYaml: string,
  kind = process.env.TOCSINCTL_E2E_TARGET ?? 'alertmanager',
): Promise<TargetServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tocsinctl-e2e-'));
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, configYaml);
  const { cmd, args } = serverCommand(kind);
  let log = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = spawn(
      cmd,
      [
        ...args,
        `--config.file=${configFile}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    live.add(proc);
    proc.stderr?.on('data', (b: Buffer) => {
      log += b.toString();
    });
    if (await waitReady(url, proc, Date.now() + 10_000)) {
      return {
        kind,
        url,
        dir,
        stop: async () => {
          await kill(proc);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await kill(proc);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`${kind} did not become ready:\n${log.slice(-2000)}`);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion with an empty HOME (no config files) and TZ=UTC. */
export function runProcess(cmd: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((res, rej) => {
    const home = mkdtempSync(join(tmpdir(), 'tocsinctl-home-'));
    const proc = spawn(cmd, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TZ: 'UTC', USER: 'e2e', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(proc);
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    proc.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    proc.on('error', rej);
    proc.on('close', (code) => {
      clearTimeout(timer);
      live.delete(proc);
      rmSync(home, { recursive: true, force: true });
      res({ code: code ?? 1, stdout, stderr });
    });
    proc.stdin.on('error', () => undefined); // EPIPE when the program exits without reading stdin
    proc.stdin.end(opts.stdin ?? '');
  });
}

export function amtool(url: string, args: string[], stdin?: string, tz = 'UTC'): Promise<RunResult> {
  return runProcess(AMTOOL, [`--alertmanager.url=${url}`, ...args], { stdin, env: { TZ: tz } });
}

/** tocsinctl as a separate process, from the TypeScript sources (no build needed). */
export function tocsinctlProcess(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return runProcess(
    process.execPath,
    ['-r', join(REPO, 'test/cli/swc-register.js'), join(REPO, 'src/cli/main.ts'), ...args],
    opts,
  );
}

/** tocsinctl in this process (fast): same code path as the binary, with captured output. */
export async function tocsinctl(
  url: string | undefined,
  args: string[],
  stdin = '',
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (s) => {
      stdout += s;
    },
    err: (s) => {
      stderr += s;
    },
    readStdin: async () => stdin,
    stdinIsTTY: false,
    home: '/nonexistent',
    user: 'e2e',
    now: () => new Date(),
    configPaths: [],
  };
  const code = await runCli(url === undefined ? args : [`--alertmanager.url=${url}`, ...args], io);
  return { code, stdout, stderr };
}
