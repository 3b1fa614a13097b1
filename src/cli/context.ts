import { parseGoDuration } from '../go/duration';
import { tocsinPackageVersion } from '../types/package-version';
import type { ApiClient } from './client';
import { parseMatcher, parseMatchers } from '../matchers';
import type { MatcherParseMode as MatcherMode } from '../matchers';
import { CliError } from './errors';
import { DEFAULT_DATE_FORMAT, Formatter, OUTPUT_FORMATS, type OutputFormat } from './format/formatters';
import { loadHttpConfigFile } from './http-config';
import { type MatchersModule, matcherMode } from './matchers';

/** Everything tocsinctl touches outside itself, so tests can run it in-process. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  readStdin(): Promise<string>;
  stdinIsTTY: boolean;
  /** home directory, for the config files */
  home: string;
  /** the OS user: default --author */
  user: string;
  now(): Date;
  /** IANA zone for printed dates; default: the zone each timestamp carries, as amtool (UTC for `Z`) */
  timeZone?: string;
  /** overrides the config file search path (tests) */
  configPaths?: string[];
}

export interface GlobalOptions {
  verbose?: boolean;
  'alertmanager.url'?: string;
  output?: string;
  timeout?: string;
  'http.config.file'?: string;
  versionCheck?: boolean;
  'date.format'?: string;
  enableFeature?: string;
}

/** Tocsin's version, from package.json (found from both src/cli and dist/cli). */
export function tocsinVersion(): string {
  return tocsinPackageVersion();
}

/** Oldest Alertmanager whose API v2 tocsinctl is tested against (Debian's 0.25). */
const OLDEST_SUPPORTED = [0, 25];

/** Per-command state: parsed global flags, the deadline, lazily created client and parsers. */
export class CommandContext {
  readonly output: OutputFormat;
  readonly timeoutMs: number;
  readonly timeoutText: string;
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private apiClient?: ApiClient;
  readonly mode: MatcherMode;

  constructor(
    readonly io: CliIo,
    readonly g: GlobalOptions,
  ) {
    const output = g.output ?? 'simple';
    if (!OUTPUT_FORMATS.includes(output as OutputFormat)) {
      throw new CliError(`enum value must be one of simple,extended,json, got '${output}'`);
    }
    this.output = output as OutputFormat;
    this.timeoutText = g.timeout ?? '30s';
    try {
      this.timeoutMs = parseGoDuration(this.timeoutText);
    } catch (err) {
      throw new CliError(`invalid --timeout: ${(err as Error).message}`);
    }
    this.mode = matcherMode(g.enableFeature);
    this.signal = this.controller.signal;
    // 0 or negative: no deadline (Go's context.WithTimeout would expire at once; amtool users never want that)
    this.timer = setTimeout(() => this.controller.abort(), this.timeoutMs > 0 ? this.timeoutMs : 2 ** 31 - 1);
    this.timer.unref();
  }

  formatter(): Formatter {
    return new Formatter({
      output: this.output,
      dateFormat: this.g['date.format'] ?? DEFAULT_DATE_FORMAT,
      timeZone: this.io.timeZone,
    });
  }

  matchers(): MatchersModule {
    return { parseMatcher, parseMatchers };
  }

  /** The API client; fails with amtool's message when --alertmanager.url is missing. */
  async client(): Promise<ApiClient> {
    if (this.apiClient) return this.apiClient;
    const url = this.g['alertmanager.url'];
    if (url === undefined || url === '') throw new CliError('required flag --alertmanager.url not provided');
    const httpFile = this.g['http.config.file'];
    // loaded on first use: --help, routes --config.file etc. make no request
    const { ApiClient } = await import('./client');
    const client = new ApiClient({
      url,
      http: httpFile ? loadHttpConfigFile(httpFile) : undefined,
      signal: this.signal,
      timeoutText: this.timeoutText,
      userAgent: `tocsinctl/${tocsinVersion()}`,
      log: this.g.verbose ? (line) => this.io.err(`${line}\n`) : undefined,
    });
    this.apiClient = client;
    if (this.g.versionCheck !== false) await this.versionCheck(client);
    return client;
  }

  /** Warns (stderr) when the server is older than the API tocsinctl was tested with; never fails. */
  private async versionCheck(client: ApiClient): Promise<void> {
    let version: string | undefined;
    try {
      version = (await client.getStatus()).versionInfo?.version;
    } catch {
      return; // the command itself will report an unreachable server
    }
    const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
    if (!m) return;
    const major = Number(m[1]);
    const minor = Number(m[2]);
    if (major < (OLDEST_SUPPORTED[0] as number) || (major === 0 && minor < (OLDEST_SUPPORTED[1] as number))) {
      this.io.err(
        `Warning: tocsinctl (${tocsinVersion()}) supports the API of Alertmanager 0.25 and later; the server reports version ${version}.\n`,
      );
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.apiClient?.close();
  }
}
