/**
 * @module notifiers/jira/payload
 * Jira's requests as pure builders (upstream notify/jira/jira.go and types.go): the JQL search for the group's
 * issue (label `ALERT{sha256(groupKey)}`), the issue body for create/update and the transition body. The issue
 * `fields` object is a Go map (keys sorted; custom `fields` override the standard ones and follow the structured
 * value rule); labels are sorted; summary ≤ 255 runes, description ≤ 32767 runes. With an API v3 URL (path ending
 * in /3) the description must render to JSON (Atlassian Document Format) and is sent as that JSON.
 */
import { deepCopyWithTemplate } from '../../templates/structured';
import { goEncode, sortedMap } from '../../go/json';
import { compareStrings, goQuote } from '../../types/labels';
import type { Renderer } from '../shared/render';
import { truncateInRunes } from '../shared/truncate';

export const MAX_SUMMARY_RUNES = 255;
export const MAX_DESCRIPTION_RUNES = 32767;

export interface JiraPayloadSettings {
  api_url: string;
  api_type?: string;
  project?: string;
  summary?: { template?: string; enable_update?: boolean };
  description?: { template?: string; enable_update?: boolean };
  labels?: readonly string[];
  priority?: string;
  issue_type?: string;
  reopen_transition?: string;
  resolve_transition?: string;
  wont_fix_resolution?: string;
  /** ms */
  reopen_duration?: number;
  fields?: Record<string, unknown>;
}

/** Go url.JoinPath: one slash between base path and the element. */
export function joinPath(apiUrl: string, path: string): string {
  const u = new URL(apiUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return u.toString();
}

export function searchJql(s: JiraPayloadSettings, project: string, groupHash: string, firing: boolean): string {
  let jql = '';
  if (s.wont_fix_resolution) jql += `(resolution is EMPTY or resolution != ${goQuote(s.wont_fix_resolution)}) and `;
  const reopenMinutes = Math.trunc((s.reopen_duration ?? 0) / 60_000);
  if (firing && s.reopen_transition && reopenMinutes > 0) jql += `(resolutiondate is EMPTY OR resolutiondate >= -${reopenMinutes}m) and `;
  else jql += 'statusCategory != Done and ';
  jql += `project=${goQuote(project)} and labels=${goQuote(`ALERT{${groupHash}}`)} order by status ASC,resolutiondate DESC`;
  return jql;
}

export function searchRequest(s: JiraPayloadSettings, jql: string): { url: string; body: string } {
  const body = goEncode({ fields: ['status'], jql, maxResults: 2 });
  const host = new URL(s.api_url).host;
  if (s.api_type === 'cloud' || (s.api_type !== 'datacenter' && (s.api_type ?? 'auto') === 'auto' && host.endsWith('atlassian.net'))) {
    return { url: joinPath(s.api_url, '/search/jql').replace('/rest/api/2/', '/rest/api/3/'), body };
  }
  return { url: joinPath(s.api_url, '/search'), body };
}

export interface JiraIssueBuild {
  /** the `fields` object before the update rules are applied */
  fields: Record<string, unknown>;
  truncated: { field: 'summary' | 'description'; maxRunes: number }[];
}

export class JiraPayloadError extends Error {}

export function buildIssueFields(s: JiraPayloadSettings, r: Pick<Renderer, 'text'>, groupHash: string): JiraIssueBuild {
  const t = (x: string | undefined) => (x ? r.text(x) : '');
  const truncated: JiraIssueBuild['truncated'] = [];
  const summary = truncateInRunes(t(s.summary?.template), MAX_SUMMARY_RUNES);
  if (summary.truncated) truncated.push({ field: 'summary', maxRunes: MAX_SUMMARY_RUNES });
  const project = t(s.project);
  const issueType = t(s.issue_type);
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.fields ?? {})) custom[k] = deepCopyWithTemplate(v, (x) => r.text(x));
  const desc = truncateInRunes(t(s.description?.template), MAX_DESCRIPTION_RUNES);
  if (desc.truncated) truncated.push({ field: 'description', maxRunes: MAX_DESCRIPTION_RUNES });
  let description: unknown;
  if (/\/3$/.test(new URL(s.api_url).pathname.replace(/\/+$/, ''))) {
    const raw = desc.text.trim();
    if (raw !== '') {
      try {
        description = JSON.parse(raw) as unknown;
      } catch {
        throw new JiraPayloadError('description template: invalid JSON for API v3');
      }
    }
  } else if (desc.text !== '') {
    description = desc.text;
  }
  const labels = (s.labels ?? []).map((l) => t(l));
  labels.push(`ALERT{${groupHash}}`);
  labels.sort(compareStrings);
  const priority = t(s.priority);
  const fields: Record<string, unknown> = {
    summary: summary.text,
    ...(description !== undefined ? { description } : {}),
    issuetype: issueType ? { name: issueType } : {},
    labels,
    ...(priority ? { priority: { name: priority } } : {}),
    project: { key: project },
    ...custom,
  };
  return { fields, truncated };
}

/** The create (POST) or update (PUT, honouring enable_update) body: `{"fields":{...}}`, map keys sorted. */
export function issueBody(s: JiraPayloadSettings, fields: Record<string, unknown>, update: boolean): string {
  const f = { ...fields };
  if (update) {
    if (s.description?.enable_update === false) delete f.description;
    if (s.summary?.enable_update === false) delete f.summary;
  }
  // the description of API v3 is raw JSON: keep its key order; the rest is a Go map
  const { description, ...rest } = f;
  const sorted = sortedMap(rest) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys({ ...sorted, ...(description !== undefined ? { description } : {}) }).sort(compareStrings)) {
    out[k] = k === 'description' ? description : sorted[k];
  }
  return goEncode({ fields: out });
}

export function transitionBody(id: string): string {
  return goEncode({ transition: id ? { id } : {} });
}
