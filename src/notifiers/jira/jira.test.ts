import { join, resolve } from 'node:path';
import type { NotifyError } from '../../types/errors';
import { type FakeResponse, type RecordedRequest, startFakeReceiver, useFakeReceiver } from '../testing/fake-receiver';
import { expectDeadlineThenCancel, expectGolden, FIRING, integrationConfig, MIXED, notifyContext, recordingLogger, RESOLVED, templatedDeps } from '../testing/fixtures';
import { JiraNotifier } from './notifier';
import { goQuote } from '../../types/labels';
import { reasonForStatus } from '../shared/http-sender';
import { buildIssueFields, issueBody, MAX_DESCRIPTION_RUNES, MAX_SUMMARY_RUNES, searchJql, searchRequest } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/jira');
const PASSWORD = 'jira-api-token-c0ffee';
const HASH = 'd4061866bc333de2350285b0452a21f78349e3d63b4f06b6c956f64f95d7be36';

function jira(url: string, item: Record<string, unknown> = {}, logger = recordingLogger().logger, timeout = 0) {
  return new JiraNotifier(
    integrationConfig('jira', { api_url: `${url}/rest/api/2`, project: 'OPS', issue_type: 'Bug', http_config: { basic_auth: { username: 'am@example.com', password: PASSWORD } }, ...item }),
    templatedDeps({ logger, timeout }),
  );
}
const everyField = {
  summary: { template: '{{ .Status | toUpper }}: {{ .GroupLabels.alertname }}', enable_update: false },
  description: '{{ range .Alerts }}{{ .Labels.instance }} <{{ .Status }}>\n{{ end }}',
  labels: ['zeta', '{{ .CommonLabels.job }}', 'Alpha'],
  priority: '{{ if eq .CommonLabels.severity "critical" }}Highest{{ end }}',
  reopen_transition: 'Reopen',
  resolve_transition: 'Done',
  wont_fix_resolution: "Won't Do",
  reopen_duration: '1h',
  fields: { customfield_10001: '{{ len .Alerts }}', customfield_10002: { value: 'x-{{ .CommonLabels.job }}' }, components: [{ name: 'api' }] },
};

interface JiraState {
  issues: object[];
  statusCategory?: string;
}

describe('JiraNotifier', () => {
  const srv = useFakeReceiver();
  let state: JiraState;
  let override: ((r: RecordedRequest) => FakeResponse | undefined) | undefined;
  const lines = () => srv.requests.map((r) => `${r.method} ${r.url}`);
  beforeEach(() => {
    state = { issues: [] };
    override = undefined;
    srv.respond = (r) => {
      const o = override?.(r);
      if (o) return o;
      if (r.url.endsWith('/search') || r.url.endsWith('/search/jql')) return { status: 200, body: JSON.stringify({ issues: state.issues }) };
      if (r.method === 'POST' && r.url.endsWith('/issue')) return { status: 201, body: '{"id":"10000","key":"OPS-1"}' };
      if (r.method === 'PUT') return { status: 204 };
      if (r.method === 'GET' && r.url.endsWith('/transitions')) return { status: 200, body: '{"transitions":[{"id":"11","name":"Reopen"},{"id":"31","name":"Done"}]}' };
      if (r.method === 'POST' && r.url.endsWith('/transitions')) return { status: 204 };
      return { status: 404, body: 'unexpected' };
    };
  });

  test('firing, no issue yet: search, then create (goldens)', async () => {
    await jira(srv.url).notify(notifyContext(), MIXED);
    expect(lines()).toEqual(['POST /rest/api/2/search', 'POST /rest/api/2/issue']);
    for (const r of srv.requests) {
      expect(r.headers['accept-language']).toBe('en');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe(`Basic ${Buffer.from(`am@example.com:${PASSWORD}`).toString('base64')}`);
    }
    expectGolden(join(GOLDEN, 'default-search.golden.json'), srv.requests[0]!.body);
    expectGolden(join(GOLDEN, 'default-create-mixed.golden.json'), srv.requests[1]!.body);
  });

  test('every field, firing, no issue: create (golden)', async () => {
    await jira(srv.url, everyField).notify(notifyContext(), FIRING);
    expectGolden(join(GOLDEN, 'every-field-search.golden.json'), srv.requests[0]!.body);
    expectGolden(join(GOLDEN, 'every-field-create-firing.golden.json'), srv.requests[1]!.body);
  });

  test('firing, the issue is done: update (summary not updated), then reopen it', async () => {
    state.issues = [{ key: 'OPS-7', fields: { status: { name: 'Closed', statusCategory: { key: 'done' } } } }];
    await jira(srv.url, everyField).notify(notifyContext(), FIRING);
    expect(lines()).toEqual(['POST /rest/api/2/search', 'PUT /rest/api/2/issue/OPS-7', 'GET /rest/api/2/issue/OPS-7/transitions', 'POST /rest/api/2/issue/OPS-7/transitions']);
    expectGolden(join(GOLDEN, 'every-field-update-firing.golden.json'), srv.requests[1]!.body);
    expect(JSON.parse(srv.requests[1]!.body).fields.summary).toBeUndefined();
    expect(srv.requests[3]!.body).toBe('{"transition":{"id":"11"}}\n');
  });

  test('resolved, the issue is open: update, then resolve it; resolved without an issue sends nothing more', async () => {
    state.issues = [{ key: 'OPS-8', fields: { status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } } }];
    await jira(srv.url, everyField).notify(notifyContext(), RESOLVED);
    expect(lines()).toEqual(['POST /rest/api/2/search', 'PUT /rest/api/2/issue/OPS-8', 'GET /rest/api/2/issue/OPS-8/transitions', 'POST /rest/api/2/issue/OPS-8/transitions']);
    expect(srv.requests[3]!.body).toBe('{"transition":{"id":"31"}}\n');
    expect(JSON.parse(srv.requests[0]!.body).jql).toBe(`(resolution is EMPTY or resolution != "Won't Do") and statusCategory != Done and project="OPS" and labels="ALERT{${HASH}}" order by status ASC,resolutiondate DESC`);
    srv.reset();
    state.issues = [];
    srv.respond = () => ({ status: 200, body: '{"issues":[]}' });
    await jira(srv.url, everyField).notify(notifyContext(), RESOLVED);
    expect(lines()).toEqual(['POST /rest/api/2/search']);
  });

  test('a missing transition is an error; an existing issue that needs none is left as is', async () => {
    state.issues = [{ key: 'OPS-9', fields: { status: { statusCategory: { key: 'done' } } } }];
    const e = (await jira(srv.url, { reopen_transition: 'Nope' })
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe("can't find transition Nope for issue OPS-9");
    srv.reset();
    state.issues = [{ key: 'OPS-9', fields: { status: { statusCategory: { key: 'new' } } } }];
    srv.respond = (r) => (r.method === 'PUT' ? { status: 204 } : { status: 200, body: JSON.stringify({ issues: state.issues }) });
    await jira(srv.url, { reopen_transition: 'Reopen' }).notify(notifyContext(), FIRING);
    expect(lines()).toEqual(['POST /rest/api/2/search', 'PUT /rest/api/2/issue/OPS-9']);
  });

  test('errors: 429 on search is retried; 400 on create is not; the password never shows', async () => {
    override = (r) => (r.url.endsWith('/search') ? { status: 429, body: `slow down ${PASSWORD}` } : undefined);
    const rec = recordingLogger();
    const e1 = (await jira(srv.url, {}, rec.logger)
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x)) as NotifyError;
    expect(e1.message).toBe('failed to look up existing issues: HTTP request to JIRA API: unexpected status code 429: slow down <secret>');
    expect(e1.retryable).toBe(true);
    expect(e1.reason).toBe('rateLimited');
    override = (r) => (r.url.endsWith('/issue') ? { status: 400, body: '{"errorMessages":[],"errors":{"summary":"required"}}' } : undefined);
    const e2 = (await jira(srv.url, {}, rec.logger)
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x)) as NotifyError;
    expect(e2.message).toBe('failed to POST request to "issue": unexpected status code 400: {"errorMessages":[],"errors":{"summary":"required"}}');
    expect(e2.retryable).toBe(false);
    const dead = await startFakeReceiver();
    const deadUrl = dead.url;
    await dead.close();
    const e3 = (await jira(deadUrl, {}, rec.logger)
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x)) as NotifyError;
    expect(e3.retryable).toBe(true);
    expect([e1.message, e2.message, e3.message, e3.stack, ...rec.lines].join('\n')).not.toContain(PASSWORD);
  });

  // the single-request contract (../contract.ts) does not fit Jira's search-then-create; the same status sweep here
  test.each([301, 400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504])(
    'status %i on search or create: retryable iff 5xx or 429 (upstream retrier), reason from the status',
    async (status) => {
      for (const path of ['/search', '/issue']) {
        override = (r) => (r.url.endsWith(path) ? { status, body: 'nope' } : undefined);
        const e = (await jira(srv.url)
          .notify(notifyContext(), FIRING)
          .catch((x: unknown) => x)) as NotifyError;
        expect(e.message).toContain(`unexpected status code ${status}`);
        expect({ path, retryable: e.retryable, reason: e.reason }).toEqual({ path, retryable: status >= 500 || status === 429, reason: reasonForStatus(status) });
        for (const r of srv.requests) expect(r.headers['user-agent']).toBe('Alertmanager/test');
      }
    },
  );

  test('a timeout is retryable (contextDeadlineExceeded); the pipeline abort is not (contextCanceled)', async () => {
    override = () => ({ status: 200, body: '{"issues":[]}', delay: 2000 });
    await expectDeadlineThenCancel((timeout) => jira(srv.url, {}, undefined, timeout));
  });

  test('API v3: the description must render to JSON and is sent as JSON', async () => {
    const v3 = (item: Record<string, unknown>) => jira(srv.url, { api_url: `${srv.url}/rest/api/3`, ...item });
    await v3({ description: '{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"{{ .Status }}"}]}]}' }).notify(notifyContext(), FIRING);
    expect(srv.requests[0]!.url).toBe('/rest/api/3/search');
    expect(JSON.parse(srv.requests[1]!.body).fields.description).toEqual({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'firing' }] }] });
    const e = (await v3({ description: 'plain text' })
      .notify(notifyContext(), FIRING)
      .catch((x: unknown) => x)) as NotifyError;
    expect(e.message).toBe('description template: invalid JSON for API v3');
    expect(e.retryable).toBe(false);
  });
});

describe('jira payload builders', () => {
  const r = { text: (s: string) => s };
  const s = { api_url: 'https://jira.example.com/rest/api/2', project: 'PROJ', issue_type: 'Bug' };
  test.each([
    // expectations from upstream notify/jira/jira_test.go (TestSearchExistingIssue)
    [{}, true, 'statusCategory != Done and project="PROJ" and labels="ALERT{1}" order by status ASC,resolutiondate DESC'],
    [{ reopen_transition: 'REOPEN', reopen_duration: 3_600_000 }, true, '(resolutiondate is EMPTY OR resolutiondate >= -60m) and project="PROJ" and labels="ALERT{1}" order by status ASC,resolutiondate DESC'],
    [{ reopen_transition: 'REOPEN', reopen_duration: 3_600_000 }, false, 'statusCategory != Done and project="PROJ" and labels="ALERT{1}" order by status ASC,resolutiondate DESC'],
    [{ wont_fix_resolution: "Won't Do" }, true, `(resolution is EMPTY or resolution != "Won't Do") and statusCategory != Done and project="PROJ" and labels="ALERT{1}" order by status ASC,resolutiondate DESC`],
  ] as const)('searchJql(%j, firing=%s)', (extra, firing, want) => {
    expect(searchJql({ ...s, ...extra }, 'PROJ', '1', firing)).toBe(want);
  });
  test.each([
    ['https://example.atlassian.net/rest/api/2', 'auto', 'https://example.atlassian.net/rest/api/3/search/jql'],
    ['https://example.atlassian.net/rest/api/2', 'cloud', 'https://example.atlassian.net/rest/api/3/search/jql'],
    ['https://jira.example.com/rest/api/2', 'auto', 'https://jira.example.com/rest/api/2/search'],
    ['https://example.atlassian.net/rest/api/2', 'datacenter', 'https://example.atlassian.net/rest/api/2/search'],
    ['https://jira.example.com/rest/api/2', 'cloud', 'https://jira.example.com/rest/api/3/search/jql'],
  ])('searchRequest(%s, %s) -> %s', (url, type, want) => {
    const q = searchRequest({ ...s, api_url: url, api_type: type }, 'x');
    expect(q.url).toBe(want);
    expect(q.body).toBe('{"fields":["status"],"jql":"x","maxResults":2}\n');
  });
  test.each([
    ['summary', MAX_SUMMARY_RUNES],
    ['description', MAX_DESCRIPTION_RUNES],
  ] as const)('%s is cut at %i runes', (field, max) => {
    const ok = buildIssueFields({ ...s, [field]: { template: 'é'.repeat(max) } }, r, 'h');
    expect(ok.truncated).toEqual([]);
    const cut = buildIssueFields({ ...s, [field]: { template: 'é'.repeat(max + 1) } }, r, 'h');
    expect(cut.truncated).toEqual([{ field, maxRunes: max }]);
    expect(cut.fields[field]).toBe(`${'é'.repeat(max - 1)}…`);
  });
  test('labels sorted (bytes) with ALERT{hash}; fields keys sorted; empty description and priority omitted', () => {
    const b = buildIssueFields({ ...s, labels: ['b', 'B', 'a'] }, r, 'h');
    expect(issueBody(s, b.fields, false)).toBe('{"fields":{"issuetype":{"name":"Bug"},"labels":["ALERT{h}","B","a","b"],"project":{"key":"PROJ"},"summary":""}}\n');
  });
  test('goQuote is Go %q for JQL', () => {
    expect(goQuote('a"b\\c\nd\x01é')).toBe('"a\\"b\\\\c\\nd\\x01é"');
  });
});
