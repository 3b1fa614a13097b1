/**
 * One error family with stable codes (STYLE.md 5.3). Retryability and reasons are data on the error.
 */
export class AmError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One problem in a config file, located. */
export interface ConfigProblem {
  file: string;
  /** 1-based; 0 when unknown */
  line: number;
  /** 1-based; 0 when unknown */
  column: number;
  /** YAML path, e.g. receivers[2].slack_configs[0].api_url */
  path: string;
  message: string;
  hint?: string;
}

export function formatConfigProblem(p: ConfigProblem): string {
  const loc = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const at = p.path ? ` (at ${p.path})` : '';
  const hint = p.hint ? `\n    hint: ${p.hint}` : '';
  return `${loc}: ${p.message}${at}${hint}`;
}

/** A config that failed to load: every problem found in one run. */
export class ConfigError extends AmError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super('AM_ERR_CONFIG', problems.map(formatConfigProblem).join('\n'));
    this.problems = problems;
  }
}

/** Bad API input: answered with 400. */
export class ValidationError extends AmError {
  constructor(message: string) {
    super('AM_ERR_VALIDATION', message);
  }
}

/** Answered with 404 (upstream silence.ErrNotFound and friends). */
export class NotFoundError extends AmError {
  constructor(message: string) {
    super('AM_ERR_NOT_FOUND', message);
  }
}

/** A template failed to parse or execute; message keeps Go's `template: name:line:col: ...` form. */
export class TemplateError extends AmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AM_ERR_TEMPLATE', message, options);
  }
}

/** Upstream notify/util.go Reason values; used as the `reason` metric label. */
export type FailureReason =
  | 'other'
  | 'clientError'
  | 'serverError'
  | 'contextCanceled'
  | 'contextDeadlineExceeded'
  /** 401/403 (master 0.34) */
  | 'authError'
  /** 429 (master 0.34) */
  | 'rateLimited';

/** A notifier failed. The RetryStage reads `retryable`; metrics read `reason`. Messages never carry secrets. */
export class NotifyError extends AmError {
  readonly retryable: boolean;
  readonly reason: FailureReason;
  readonly status?: number;
  constructor(message: string, opts: { retryable: boolean; reason: FailureReason; status?: number; cause?: unknown }) {
    super('AM_ERR_NOTIFY', message, { cause: opts.cause });
    this.retryable = opts.retryable;
    this.reason = opts.reason;
    if (opts.status !== undefined) this.status = opts.status;
  }
}
