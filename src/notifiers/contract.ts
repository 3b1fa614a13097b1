/**
 * @module notifiers/contract
 * The contract every HTTP notifier passes (STYLE.md §5.4; upstream notify/test/test.go): run
 * `runNotifierContract({...})` from the integration's test file. Against a real loopback server it checks
 * the retry classification of every status code (Retrier rules + the integration's extra codes), the failure
 * reason, that no secret reaches an error or a log line, that per-request timeouts and the pipeline's abort are
 * honoured, the User-Agent and Content-Type, and the golden payloads (byte for byte; UPDATE_GOLDEN=1 rewrites).
 */
import { join } from 'node:path';
import type { Notifier, NotifyContext } from '../pipeline/types';
import type { Alert } from '../types/alert';
import { NotifyError } from '../types/errors';
import type { Logger } from '../types/logger';
import { reasonForStatus } from './shared/http-sender';
import { type FakeResponse, type RecordedRequest, startFakeReceiver, useFakeReceiver } from './testing/fake-receiver';
import { expectGolden, FIRING, MIXED, notifyContext, RESOLVED, recordingLogger } from './testing/fixtures';

export interface ContractCreateOptions {
  /** base URL of the fake receiver (http://127.0.0.1:<port>); put secrets in the path if the service does */
  url: string;
  userAgent: string;
  /** per-request timeout in ms; 0 = none */
  timeout: number;
  logger: Logger;
}

export interface GoldenCase {
  name: string;
  /** absolute path of the golden file */
  file: string;
  alerts: readonly Alert[];
  ctx?: Partial<NotifyContext>;
  /** a notifier for this case (default: the subject's create) */
  create?: (o: ContractCreateOptions) => Notifier;
}

export interface NotifierContract {
  /** integration name, e.g. "slack" */
  name: string;
  create(o: ContractCreateOptions): Notifier;
  /** every secret value create() configured; none may appear in an error message or a log line */
  secrets: readonly string[];
  /** retryable status codes besides 5xx (pagerduty v2: 429, v1: 403), or 'all': pass the definition's retryCodes */
  retryCodes?: readonly number[] | 'all';
  /** the service's success answer (status is replaced per case); default empty body */
  okResponse?: Omit<FakeResponse, 'status'>;
  /** expected Content-Type prefix; default application/json */
  contentType?: string;
  /** the request the service must see (method, path) */
  expectRequest?: (r: RecordedRequest) => void;
  goldens?: readonly GoldenCase[];
}

/**
 * The five golden cases most integrations have, in `dir`: defaults (the subject's create) firing, resolved and
 * mixed; every field (`everyField`) mixed and resolved. Files are `<default|every-field>-<alerts>.golden.json`.
 */
export function standardGoldens(dir: string, everyField: (o: ContractCreateOptions) => Notifier): GoldenCase[] {
  const file = (name: string) => join(dir, `${name}.golden.json`);
  return [
    { name: 'defaults, firing', file: file('default-firing'), alerts: FIRING },
    { name: 'defaults, resolved', file: file('default-resolved'), alerts: RESOLVED },
    { name: 'defaults, mixed', file: file('default-mixed'), alerts: MIXED },
    { name: 'every field, mixed', file: file('every-field-mixed'), alerts: MIXED, create: everyField },
    { name: 'every field, resolved', file: file('every-field-resolved'), alerts: RESOLVED, create: everyField },
  ];
}

const UA = 'Alertmanager/0.25.0-tocsin-contract';
const SUCCESS_CODES = [200, 201, 202];
const FAILURE_CODES = [301, 400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504];

function allText(e: unknown, depth = 0): string {
  if (depth > 5 || e === undefined || e === null) return '';
  if (e instanceof Error) return `${e.name} ${e.message} ${e.stack ?? ''} ${allText((e as { cause?: unknown }).cause, depth + 1)}`;
  return String(e);
}

async function failure(p: Promise<void>): Promise<NotifyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NotifyError);
    return e as NotifyError;
  }
  throw new Error('notify resolved, a failure was expected');
}

export function runNotifierContract(c: NotifierContract): void {
  describe(`${c.name} notifier contract`, () => {
    const srv = useFakeReceiver();

    const make = (o: Partial<ContractCreateOptions> = {}) => {
      const rec = recordingLogger();
      const n = c.create({ url: srv.url, userAgent: UA, timeout: 0, logger: rec.logger, ...o });
      return { n, lines: rec.lines };
    };
    const ok = (status = 200): FakeResponse => ({ ...(c.okResponse ?? {}), status });

    test('notify() posts once with the User-Agent and Content-Type', async () => {
      srv.respond = () => ok();
      const { n } = make();
      await n.notify(notifyContext(), MIXED);
      expect(srv.requests).toHaveLength(1);
      const r = srv.requests[0]!;
      expect(r.method).toBe('POST');
      expect(r.headers['user-agent']).toBe(UA);
      expect(String(r.headers['content-type'])).toMatch(new RegExp(`^${(c.contentType ?? 'application/json').replace(/[/+]/g, '\\$&')}`));
      c.expectRequest?.(r);
    });

    test.each(SUCCESS_CODES)('notify() succeeds on status %i', async (status) => {
      srv.respond = () => ok(status);
      await make().n.notify(notifyContext(), MIXED);
      expect(srv.requests).toHaveLength(1);
    });

    test.each(FAILURE_CODES)('notify() classifies status %i (retryable iff 5xx or an extra retry code; reason from status)', async (status) => {
      srv.respond = () => ({ status, body: 'nope' });
      const e = await failure(make().n.notify(notifyContext(), MIXED));
      expect(e.retryable).toBe(status >= 500 || c.retryCodes === 'all' || (c.retryCodes ?? []).includes(status));
      expect(e.reason).toBe(reasonForStatus(status));
      expect(e.message).toContain(`unexpected status code ${status}`);
    });

    test('notify() leaks no secret in errors or logs (error body echoing the request, connection refused)', async () => {
      srv.respond = (r) => ({ status: 500, body: `failed ${srv.url}${r.url} ${r.headers.authorization ?? ''}` });
      const { n, lines } = make();
      const e1 = await failure(n.notify(notifyContext(), MIXED));
      expect(e1.retryable).toBe(true);
      // a port that refuses connections
      const closed = await startFakeReceiver();
      const deadUrl = closed.url;
      await closed.close();
      const dead = make({ url: deadUrl });
      const e2 = await failure(dead.n.notify(notifyContext(), MIXED));
      expect(e2.retryable).toBe(true);
      const text = [allText(e1), allText(e2), ...lines, ...dead.lines].join('\n');
      for (const s of c.secrets) expect(text).not.toContain(s);
    });

    test('notify() honours the configured timeout (retryable, contextDeadlineExceeded)', async () => {
      srv.respond = () => ({ ...ok(), delay: 5000 });
      const started = Date.now();
      const e = await failure(make({ timeout: 80 }).n.notify(notifyContext(), MIXED));
      expect(Date.now() - started).toBeLessThan(4000);
      expect(e.retryable).toBe(true);
      expect(e.reason).toBe('contextDeadlineExceeded');
      expect(e.message).toMatch(/timeout reached/);
    });

    test('notify() stops when the pipeline aborts (contextCanceled, not retried)', async () => {
      srv.respond = () => ({ ...ok(), delay: 5000 });
      const ac = new AbortController();
      const started = Date.now();
      setTimeout(() => ac.abort(), 50);
      const e = await failure(make().n.notify(notifyContext({ signal: ac.signal }), MIXED));
      expect(Date.now() - started).toBeLessThan(4000);
      expect(e.reason).toBe('contextCanceled');
      expect(e.retryable).toBe(false);
      // an already-aborted context sends nothing. The aborted request above may still reach the server late,
      // so let it settle and count from there instead of resetting.
      const settle = () => new Promise((r) => setTimeout(r, 150));
      await settle();
      const before = srv.requests.length;
      const done = new AbortController();
      done.abort();
      await failure(make().n.notify(notifyContext({ signal: done.signal }), MIXED));
      await settle();
      expect(srv.requests).toHaveLength(before);
    });

    for (const g of c.goldens ?? []) {
      test(`golden payload: ${g.name}`, async () => {
        srv.respond = () => ok();
        const rec = recordingLogger();
        const n = (g.create ?? c.create)({ url: srv.url, userAgent: UA, timeout: 0, logger: rec.logger });
        await n.notify(notifyContext(g.ctx), g.alerts);
        expect(srv.requests).toHaveLength(1);
        expectGolden(g.file, srv.requests[0]!.body);
      });
    }
  });
}
