/**
 * Fuzz: the Go template engine (config template fields, template files, `tocsinctl template render`) on arbitrary
 * template text parses and executes, or throws TemplateError; never another exception, never beyond a budget.
 */
import fc from 'fast-check';
import { buildTemplateData, TemplateSet } from '../../src/templates';
import { TemplateError } from '../../src/types/errors';
import { expectOnly, fuzzParams } from './budget';

const BUDGET_MS = 1000;

const TOKENS = [
  '{{', '}}', '{{-', '-}}', ' ', 'x', '.', '$', '$x', ':=', '=', '|', '(', ')', '"s"', '`r`', "'c'", '1', '-1', '1.5', '0x1F', '1e3', 'nil', 'true',
  'if', 'else', 'else if', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', '"t"',
  '.Alerts', '.Status', '.CommonLabels', '.GroupLabels.alertname', '.Alerts.Firing', '.Labels', '.StartsAt', '.ExternalURL', '.Receiver',
  'len', 'index', 'printf', '"%s %d %v"', 'print', 'println', 'and', 'or', 'not', 'eq', 'ne', 'lt', 'slice', 'html', 'js', 'urlquery', 'call',
  'toUpper', 'title', 'join', 'match', 'reReplaceAll', 'safeHtml', 'stringSlice', 'humanizeDuration', 'toDate', 'date', 'tz', 'toJson',
  'base64decode', 'dict', 'list', 'append', 'since', 'now', '"(a+)+b"', '"[z-a]"', '<a href="', '">', '<script>', '</script>', '{{/*', '*/}}', '\n',
];
const templateText = fc.oneof(
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((a) => a.join('')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((a) => `{{ ${a.join(' ')} }}`),
  fc.string({ maxLength: 40 }),
);

describe('Go templates (fuzz)', () => {
  const set = TemplateSet.fromSources([], { now: () => Date.UTC(2026, 0, 1) });
  const now = Date.UTC(2026, 0, 1);
  const data = buildTemplateData({
    receiver: 'team-a',
    groupLabels: { alertname: 'A' },
    externalURL: 'http://am:9093',
    now,
    alerts: [
      { labels: { alertname: 'A', job: 'j' }, annotations: { summary: 's <b>' }, startsAt: now - 60_000, endsAt: now + 60_000, updatedAt: now, generatorURL: 'http://p/graph', timeout: false, fingerprint: '0123456789abcdef' },
    ],
  });

  test('renderText / renderHtml / a template file: output or TemplateError, within the budget', () => {
    fc.assert(
      fc.property(templateText, (text) => {
        expectOnly(TemplateError, () => set.renderText(text, data), text, BUDGET_MS);
        expectOnly(TemplateError, () => set.renderHtml(text, data), text, BUDGET_MS);
        expectOnly(TemplateError, () => TemplateSet.fromSources([{ name: 'f.tmpl', text }], { includeDefaults: false }), text, BUDGET_MS);
      }),
      fuzzParams(300),
    );
  });
});
