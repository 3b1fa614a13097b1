/**
 * @module notifiers/jira/notifier
 * Jira sender (upstream notify/jira/jira.go): search the group's issue by JQL, then create it (POST issue) or update
 * it (PUT issue/<key>), then move it with resolve_transition / reopen_transition when its status category calls for
 * it. A resolved group without an issue sends nothing. Auth comes from http_config (basic auth or bearer token).
 * Retry on 429 and 5xx (Retrier rules); every request carries `Accept-Language: en`.
 */
import { createHash } from 'node:crypto';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import { type Alert, isResolved } from '../../types/alert';
import { NotifyError } from '../../types/errors';
import { goQuote } from '../../types/labels';
import { classifyResponse, HttpSender, redactUrl } from '../shared/http-sender';
import { type TemplatedNotifierDeps, templated } from '../shared/render';
import type { JiraSettings } from './config';
import { buildIssueFields, issueBody, JiraPayloadError, joinPath, searchJql, searchRequest, transitionBody } from './payload';

export type JiraDeps = TemplatedNotifierDeps;

export const RETRY_CODES: readonly number[] = [429];

interface FoundIssue {
  key?: string;
  fields?: { status?: { statusCategory?: { key?: string } } };
}

function wrap(prefix: string, e: unknown): never {
  if (e instanceof NotifyError) throw new NotifyError(`${prefix}: ${e.message}`, { retryable: e.retryable, reason: e.reason, ...(e.status !== undefined ? { status: e.status } : {}) });
  throw e;
}

export class JiraNotifier implements Notifier {
  readonly #s: JiraSettings;
  readonly #deps: JiraDeps;
  readonly #sender: HttpSender;

  constructor(cfg: { settings: JiraSettings }, deps: JiraDeps) {
    this.#s = cfg.settings;
    this.#deps = deps;
    this.#sender = new HttpSender({ httpConfig: this.#s.http_config, userAgent: deps.userAgent, retryCodes: RETRY_CODES });
  }

  /** one API call; returns the response body on 2xx, throws the Retrier's NotifyError otherwise */
  async #call(ctx: NotifyContext, method: 'GET' | 'POST' | 'PUT', url: string, body: string | undefined): Promise<string> {
    const res = await this.#sender.send(url, body, {
      ctx,
      timeout: this.#deps.timeout ?? 0,
      timeoutLabel: 'jira',
      method,
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    });
    let text = redactUrl(res.body, url);
    const hc = this.#s.http_config;
    for (const secret of [hc?.basic_auth?.password?.reveal(), hc?.authorization?.credentials?.reveal()]) {
      if (secret) text = text.split(secret).join('<secret>');
    }
    const err = classifyResponse(res.status, text, RETRY_CODES);
    if (err) throw err;
    return res.body;
  }

  /** closes the sender's connection pool (on stop after a reload swap); in-flight requests finish first */
  close(): Promise<void> {
    return this.#sender.close();
  }

  async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
    const render = this.#deps.render(ctx, alerts);
    const log = this.#deps.logger;
    const groupHash = createHash('sha256').update(ctx.groupKey).digest('hex');
    const firing = alerts.some((a) => !isResolved(a, ctx.now));

    const project = templated('Jira project', () => render.text(this.#s.project));
    const search = searchRequest(this.#s, searchJql(this.#s, project, groupHash, firing));
    let found: FoundIssue | undefined;
    try {
      const answer = JSON.parse(await this.#call(ctx, 'POST', search.url, search.body)) as { issues?: FoundIssue[] };
      const issues = Array.isArray(answer?.issues) ? answer.issues : [];
      if (issues.length > 1) log.warn({ group_key: ctx.groupKey, integration: 'jira', selected_issue: issues[0]?.key }, 'more than one issue matched, selecting the most recently resolved');
      found = issues[0];
    } catch (e) {
      if (e instanceof SyntaxError) throw new NotifyError('failed to look up existing issues: could not decode the search answer', { retryable: false, reason: 'other' });
      wrap('failed to look up existing issues: HTTP request to JIRA API', e);
    }
    if (!found && !firing) return;

    const built = templated('Jira issue', () => {
      try {
        return buildIssueFields(this.#s, render, groupHash);
      } catch (e) {
        if (e instanceof JiraPayloadError) throw new NotifyError(e.message, { retryable: false, reason: 'other' });
        throw e;
      }
    });
    for (const t of built.truncated) log.warn({ group_key: ctx.groupKey, integration: 'jira', max_runes: t.maxRunes }, t.field === 'summary' ? 'Truncated summary' : 'Truncated description');
    const path = found?.key ? `issue/${found.key}` : 'issue';
    const method = found?.key ? 'PUT' : 'POST';
    try {
      await this.#call(ctx, method, joinPath(this.#s.api_url, path), issueBody(this.#s, built.fields, method === 'PUT'));
    } catch (e) {
      wrap(`failed to ${method} request to ${goQuote(path)}`, e);
    }
    await this.#transition(ctx, found, firing);
  }

  async #transition(ctx: NotifyContext, issue: FoundIssue | undefined, firing: boolean): Promise<void> {
    const category = issue?.fields?.status?.statusCategory?.key;
    if (!issue?.key || category === undefined) return;
    let name: string | undefined;
    if (firing) {
      if (category !== 'done') return;
      name = this.#s.reopen_transition;
    } else {
      if (category === 'done') return;
      name = this.#s.resolve_transition;
    }
    if (!name) return;
    const path = `issue/${issue.key}/transitions`;
    const list = JSON.parse(await this.#call(ctx, 'GET', joinPath(this.#s.api_url, path), undefined)) as { transitions?: { id?: string; name?: string }[] };
    const match = (list?.transitions ?? []).find((t) => t.name === name);
    if (!match) throw new NotifyError(`can't find transition ${name} for issue ${issue.key}`, { retryable: false, reason: 'other' });
    this.#deps.logger.debug({ group_key: ctx.groupKey, issue_key: issue.key, transition: name }, 'transitions jira issue');
    await this.#call(ctx, 'POST', joinPath(this.#s.api_url, path), transitionBody(match.id ?? ''));
  }
}
