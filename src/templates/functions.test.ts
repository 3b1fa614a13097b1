/**
 * Functions newer than Debian's 0.25: expected values come from upstream master's documented behaviour
 * (template/template_test.go cases and the reference §9.3), since amtool 0.25 cannot render them.
 */
import { buildTemplateData, KV, TAlert, TAlerts, TemplateData } from './data';
import { GO_ZERO_MS } from '../go/time';
import { GoTime } from './time-values';
import { TemplateSet } from './template-set';
import { GoFloat } from './values';

const NOW = Date.UTC(2024, 0, 1, 9, 15, 30);
const set = TemplateSet.fromSources([], { now: () => NOW });
const t = (text: string, data: unknown = null): string => set.renderText(text, data);
const floats = (xs: number[]): GoFloat[] => xs.map((x) => new GoFloat(x));

describe('master-only functions', () => {
  test.each([
    ['{{ "abc" | title }}', 'Abc'],
    ['{{ "hello wORLD" | title }}', 'Hello World'],
    ['{{ " abc " | trimSpace }}', 'abc'],
    ['{{ "search?q=test%20foo" | urlUnescape }}', 'search?q=test foo'],
    ['{{ "test" | toJson }}', '"test"'],
    ['{{ 42 | toJson }}', '42'],
    ['{{ true | toJson }}', 'true'],
    ['{{ "<a&b>" | toJson }}', '"\\u003ca\\u0026b\\u003e"'],
    ['{{ "test" | base64encode }}', 'dGVzdA=='],
    ['{{ "flush>>" | base64encode }}', 'Zmx1c2g-Pg=='],
    ['{{ "dGVzdA==" | base64decode }}', 'test'],
    ['{{- $test := dict -}}{{ $test }}', 'map[]'],
    ['{{- $test := dict "a" 1 "b" 2 "c" 3 -}}{{ $test }}', 'map[a:1 b:2 c:3]'],
    ['{{- $test := list -}}{{ $test }}', '[]'],
    ['{{- $test := list "a" "b" "c" -}}{{ $test }}', '[a b c]'],
    ['{{- $test := list "a" "b" -}}{{ $test = append $test "c" "d" -}}{{ $test }}', '[a b c d]'],
    ['{{ toDate "2006-01-02" "2024-03-15" | date "02 Jan 2006" }}', '15 Mar 2024'],
    ['{{ toDate "2006-01-02" "not-a-date" | date "2006" }}', '0001'],
    // time.ParseInLocation(layout, s, time.UTC): the parsed zone is kept as Go keeps it
    ['{{ toDate "2006-01-02T15:04:05Z07:00" "2024-03-15T10:00:00+02:00" }}', '2024-03-15 10:00:00 +0200 +0200'],
    ['{{ (toDate "2006-01-02T15:04:05Z07:00" "2024-03-15T10:00:00+02:00").UTC }}', '2024-03-15 08:00:00 +0000 UTC'],
    ['{{ toDate "2006-01-02T15:04:05Z07:00" "2024-03-15T10:00:00Z" }}', '2024-03-15 10:00:00 +0000 UTC'],
    ['{{ toDate "2006-01-02T15:04:05-07:00" "2024-03-15T10:00:00+00:00" }}', '2024-03-15 10:00:00 +0000 UTC'],
    ['{{ toDate "2006-01-02 15:04 -0700 MST" "2024-03-15 10:00 -0500 EST" }}', '2024-03-15 10:00:00 -0500 EST'],
    ['{{ toDate "2006-01-02 15:04 MST" "2024-03-15 10:00 CET" }}', '2024-03-15 10:00:00 +0000 CET'],
    ['{{ toDate "2006-01-02 15:04 MST" "2024-03-15 10:00 UTC" }}', '2024-03-15 10:00:00 +0000 UTC'],
    ['{{ (toDate "2006-01-02T15:04:05Z07:00" "2024-03-15T10:00:00+05:30").Unix }}', '1710477000'],
    ['{{ mustToDate "2006-01-02" "2024-03-15" | date "02 Jan 2006" }}', '15 Mar 2024'],
    ['{{ now | date "2006-01-02T15:04:05Z07:00" }}', '2024-01-01T09:15:30Z'],
    ['{{ humanizeDuration "one" | printf "%s" }}', 'ERR'],
  ])('%s', (tmpl, want) => {
    if (want === 'ERR') {
      expect(() => t(tmpl)).toThrow(
        'template: :1:3: executing "" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax',
      );
      return;
    }
    expect(t(tmpl)).toBe(want);
  });

  test('errors', () => {
    expect(() => t('{{ dict "a" }}')).toThrow('error calling dict: dict requires an even number of arguments');
    expect(() => t('{{ dict 1 "value" }}')).toThrow('error calling dict: dict keys must be strings');
    expect(() => t('{{ "not-valid-base64!" | base64decode }}')).toThrow('error calling base64decode: illegal base64 data at input byte');
    expect(() => t('{{ mustToDate "2006-01-02" "not-a-date" }}')).toThrow(
      'template: :1:3: executing "" at <mustToDate "2006-01-02" "not-a-date">: error calling mustToDate: parsing time "not-a-date" as "2006-01-02": cannot parse "not-a-date" as "2006"',
    );
  });

  test('date / tz / since', () => {
    const at = new GoTime(Date.UTC(2024, 0, 1, 8, 15, 30));
    expect(t('{{ . | date "2006-01-02" }}', at)).toBe('2024-01-01');
    expect(t('{{ . | tz "Europe/Paris" }}', at)).toBe('2024-01-01 09:15:30 +0100 CET');
    expect(t('{{ (tz "America/New_York" .).Format "Mon Jan 2 15:04:05 MST 2006" }}', at)).toBe('Mon Jan 1 03:15:30 EST 2024');
    expect(() => t('{{ . | tz "Invalid/Timezone" }}', at)).toThrow(
      'template: :1:7: executing "" at <tz "Invalid/Timezone">: error calling tz: unknown time zone Invalid/Timezone',
    );
    expect(t('{{ . | since | humanizeDuration }}', new GoTime(NOW - 3_600_000))).toBe('1h 0m 0s');
    expect(t('{{ . | since }}', new GoTime(NOW - 5_400_500))).toBe('1h30m0.5s');
  });

  test('Local is the process zone (Go time.Local: TZ, else /etc/localtime; empty TZ = UTC), not always UTC', () => {
    const at = new GoTime(Date.UTC(2024, 0, 1, 8, 15, 30));
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Kolkata';
      expect(t('{{ . | tz "Local" }}', at)).toBe('2024-01-01 13:45:30 +0530 IST');
      expect(t('{{ .Local.Format "15:04 MST -07:00" }}', at)).toBe('13:45 IST +05:30');
      process.env.TZ = 'America/New_York';
      expect(t('{{ .Local }}', at)).toBe('2024-01-01 03:15:30 -0500 EST');
      process.env.TZ = 'Etc/UTC';
      expect(t('{{ .Local }}', at)).toBe('2024-01-01 08:15:30 +0000 UTC');
      process.env.TZ = '';
      expect(t('{{ tz "Local" . }}', at)).toBe('2024-01-01 08:15:30 +0000 UTC');
      process.env.TZ = ':Europe/Paris';
      expect(t('{{ .Local }}', at)).toBe('2024-01-01 09:15:30 +0100 CET');
      process.env.TZ = '/usr/share/zoneinfo/Europe/Paris';
      expect(t('{{ .Local }}', at)).toBe('2024-01-01 09:15:30 +0100 CET');
      process.env.TZ = 'Nowhere/Special';
      expect(t('{{ .Local }}', at)).toBe('2024-01-01 08:15:30 +0000 UTC');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('humanizeDuration', () => {
    const r = '{{ range . }}{{ humanizeDuration . }}:{{ end }}';
    expect(t(r, floats([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99]))).toBe(
      '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:',
    );
    expect(t(r, ['0', '1', '60', '3600', '86400'])).toBe('0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:');
    expect(t(r, floats([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345]))).toBe('100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:');
    expect(t(r, ['.1', '.0001', '.12345', '60.1', '60.5', '1.2345', '12.345'])).toBe('100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:');
    expect(t(r, [0, -1, 1, 1234567])).toBe('0s:-1s:1s:14d 6h 56m 7s:');
  });

  test('toJson of template data', () => {
    const zero = new GoTime(GO_ZERO_MS);
    const d = new TemplateData('', '', new TAlerts([new TAlert('firing', new KV({ alertname: 'test' }), new KV({}), zero, zero, '', '')]), '', new KV({}), new KV({ job: 'foo', severity: 'critical' }), new KV({}), new KV({}), '');
    expect(t('{{ .CommonLabels | toJson }}', d)).toBe('{"job":"foo","severity":"critical"}');
    expect(t('{{ .Alerts.Firing | toJson }}', d)).toBe(
      '[{"status":"firing","labels":{"alertname":"test"},"annotations":{},"startsAt":"0001-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":""}]',
    );
    expect(t('{{- $l := list -}}{{ range .Alerts }}{{ $l = append $l (dict "status" .Status) }}{{ end }}{{ toJson $l }}', d)).toBe('[{"status":"firing"}]');
  });

  test('html engine: safeUrl and URL query escaping', () => {
    expect(set.renderHtml('<a href="/search?{{ "q=test%20foo" }}"></a>', null)).toBe('<a href="/search?q%3dtest%2520foo"></a>');
    expect(set.renderHtml('<a href="/search?{{ "q=test%20foo" | safeUrl }}"></a>', null)).toBe('<a href="/search?q=test%20foo"></a>');
    expect(set.renderHtml('{{ "<b>" | safeHtml }}{{ "<b>" }}', null)).toBe('<b>&lt;b&gt;');
  });

  test('KV String form (master) and stringSlice with Remove', () => {
    const d = buildTemplateData({ receiver: 'r', alerts: [], groupLabels: { key1: 'v1', key2: 'key2', key3: 'v3', key4: 'key4' }, externalURL: '' });
    expect(t('{{ with .GroupLabels }}{{ with .Remove (stringSlice "key1" "key3") }}{{ .SortedPairs.Values }}{{ end }}{{ end }}', d)).toBe('[key2 key4]');
    expect(t('{{ .GroupLabels }} | {{ .GroupLabels.SortedPairs }}', d)).toBe('key1=v1, key2=key2, key3=v3, key4=key4 | key1=v1, key2=key2, key3=v3, key4=key4');
    expect(t('{{ .GroupLabels.Values.Join "," }}', d)).toBe('v1,key2,v3,key4');
  });
});
