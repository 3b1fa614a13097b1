// Template compatibility cases, in the shape of Go's text/template exec tests: {name, tmpl, data, engine, type}.
// Expected outputs are NOT written here: scripts/gen-template-goldens.mjs runs the real renderers
// (`amtool template render` 0.25, and Go's text/template compiled to WebAssembly) and stores goldens.json.
//
// engine 'amtool': data is the name of an Alertmanager data set below (template.Data JSON).
// engine 'wasm': data is arbitrary JSON (numbers are float64, as Go's encoding/json decodes them into any).

const t0 = '2026-03-04T05:06:07.123456789Z';
const t1 = '2026-03-04T06:07:08Z';
const zero = '0001-01-01T00:00:00Z';

export const dataSets = {
  firing: {
    receiver: 'team-X',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'InstanceDown', instance: 'host1:9100', job: 'node', severity: 'critical' },
        annotations: { summary: 'Instance host1 down', description: 'host1 has been down for 5m' },
        startsAt: t0,
        endsAt: zero,
        generatorURL: 'http://prometheus:9090/graph?g0.expr=up+%3D%3D+0',
        fingerprint: '1a2b3c4d5e6f7081',
      },
    ],
    groupLabels: { alertname: 'InstanceDown' },
    commonLabels: { alertname: 'InstanceDown', instance: 'host1:9100', job: 'node', severity: 'critical' },
    commonAnnotations: { summary: 'Instance host1 down', description: 'host1 has been down for 5m' },
    externalURL: 'http://am.example.com:9093',
  },
  mixed: {
    receiver: 'ops\\.team',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', service: 'api', severity: 'warning', zone: 'eu-1' },
        annotations: { summary: 'p99 latency high', runbook: 'https://runbooks/latency' },
        startsAt: t0,
        endsAt: zero,
        generatorURL: 'http://prom/graph?g0.expr=latency',
        fingerprint: '0000000000000001',
      },
      {
        status: 'resolved',
        labels: { alertname: 'HighLatency', service: 'api', severity: 'info', zone: 'eu-2' },
        annotations: { summary: 'p99 latency high' },
        startsAt: t0,
        endsAt: t1,
        generatorURL: 'http://prom/graph?g0.expr=latency',
        fingerprint: '0000000000000002',
      },
      {
        status: 'firing',
        labels: { alertname: 'HighLatency', service: 'api', severity: 'critical', zone: 'us-1' },
        annotations: {},
        startsAt: t1,
        endsAt: zero,
        generatorURL: '',
        fingerprint: '0000000000000003',
      },
    ],
    groupLabels: { alertname: 'HighLatency', service: 'api' },
    commonLabels: { alertname: 'HighLatency', service: 'api' },
    commonAnnotations: {},
    externalURL: 'https://alertmanager.example.org/am',
  },
  resolved: {
    receiver: 'web hook',
    status: 'resolved',
    alerts: [
      {
        status: 'resolved',
        labels: { alertname: 'DiskFull', device: '/dev/sda1', severity: 'warning' },
        annotations: { summary: 'disk full' },
        startsAt: t0,
        endsAt: t1,
        generatorURL: 'http://prom/x',
        fingerprint: 'abcdefabcdefabcd',
      },
    ],
    groupLabels: {},
    commonLabels: { alertname: 'DiskFull', device: '/dev/sda1', severity: 'warning' },
    commonAnnotations: { summary: 'disk full' },
    externalURL: 'http://localhost:9093',
  },
  html: {
    receiver: 'ünïcode & <rcv>',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'Script<b>Bold</b>', team: 'R&D "quoted"', city: 'Zürich 東京 🚀', q: "it's+1" },
        annotations: { summary: '<script>alert(1)</script>', link: 'javascript:alert(1)', plus: 'a+b=c' },
        startsAt: t0,
        endsAt: zero,
        generatorURL: 'http://gen/?a=1&b=<2>',
        fingerprint: 'ffffffffffffffff',
      },
      {
        status: 'resolved',
        labels: { alertname: 'Script<b>Bold</b>', team: 'R&D "quoted"', city: 'Genève' },
        annotations: { summary: 'ok ✓' },
        startsAt: t0,
        endsAt: t1,
        generatorURL: 'javascript:void(0)',
        fingerprint: 'eeeeeeeeeeeeeeee',
      },
    ],
    groupLabels: { alertname: 'Script<b>Bold</b>', team: 'R&D "quoted"' },
    commonLabels: { alertname: 'Script<b>Bold</b>', team: 'R&D "quoted"' },
    commonAnnotations: {},
    externalURL: 'https://am.example.com/pre fix',
  },
};

/** Every template name upstream's default.tmpl and email.tmpl (master) define. */
export const defaultNames = [
  '__alertmanager',
  '__alertmanagerURL',
  '__subject',
  '__description',
  '__text_alert_list',
  '__text_alert_list_markdown',
  'slack.default.title',
  'slack.default.username',
  'slack.default.fallback',
  'slack.default.callbackid',
  'slack.default.pretext',
  'slack.default.titlelink',
  'slack.default.iconemoji',
  'slack.default.iconurl',
  'slack.default.text',
  'slack.default.footer',
  'slack.default.color',
  'pagerduty.default.description',
  'pagerduty.default.client',
  'pagerduty.default.clientURL',
  'pagerduty.default.instances',
  'opsgenie.default.message',
  'opsgenie.default.description',
  'opsgenie.default.source',
  'wechat.default.message',
  'wechat.default.to_user',
  'wechat.default.to_party',
  'wechat.default.to_tag',
  'wechat.default.agent_id',
  'victorops.default.state_message',
  'victorops.default.entity_display_name',
  'victorops.default.monitoring_tool',
  'pushover.default.title',
  'pushover.default.message',
  'pushover.default.url',
  'sns.default.subject',
  'sns.default.message',
  'telegram.default.message',
  'discord.default.content',
  'discord.default.title',
  'discord.default.message',
  'webex.default.message',
  'msteams.default.summary',
  'msteams.default.title',
  'msteams.default.text',
  'msteamsv2.default.title',
  'msteamsv2.default.text',
  'jira.default.summary',
  'jira.default.description',
  'jira.default.priority',
  'rocketchat.default.title',
  'rocketchat.default.alias',
  'rocketchat.default.titlelink',
  'rocketchat.default.emoji',
  'rocketchat.default.iconurl',
  'rocketchat.default.text',
  'mattermost.default.color',
  'mattermost.default.username',
  'mattermost.default.title',
  'mattermost.default.titlelink',
  'mattermost.default.fallback',
  'mattermost.default.text',
  'email.default.subject',
  'email.default.html',
];

const cases = [];
const am = (name, tmpl, data = 'mixed', type = 'text') => {
  cases.push({ name, engine: 'amtool', tmpl, data, type });
};
const go = (name, tmpl, data = {}) => {
  cases.push({ name, engine: 'wasm', tmpl, data, type: 'text' });
};

// ---- default templates: every name x 4 data sets (text), email html also in html mode ----
for (const ds of Object.keys(dataSets)) {
  for (const n of defaultNames) {
    const type = n === 'email.default.html' ? 'html' : 'text';
    const arg = n.startsWith('__text_alert_list') || n === 'pagerduty.default.instances' ? '.Alerts' : '.';
    am(`default/${n}/${ds}`, `{{ template "${n}" ${arg} }}`, ds, type);
  }
}

// ---- language: actions, text, trim markers, comments ----
const D = { a: 3, f: 1.5, s: 'str', e: '', t: true, F: false, z: 0, l: [1, 2, 3], el: [], m: { b: 2, a: 1, c: 3 }, em: {}, n: null, nested: { x: { y: 'deep' } }, sl: ['x', 'y', 'z'] };
go('lang/empty', '', D);
go('lang/text', 'hello world', D);
go('lang/field', '{{.s}}', D);
go('lang/nested-field', '{{.nested.x.y}}', D);
go('lang/dot', '{{.}}', 'plain');
go('lang/dot-map', '{{.}}', { b: 1, a: 'x' });
go('lang/int', '{{.a}}', D);
go('lang/float', '{{.f}}', D);
go('lang/bool', '{{.t}} {{.F}}', D);
go('lang/slice', '{{.l}}', D);
go('lang/map', '{{.m}}', D);
go('lang/nil', '{{.n}}', D);
go('lang/trim-left', 'a  \n {{- .s}}', D);
go('lang/trim-right', '{{.s -}}  \n b', D);
go('lang/trim-both', 'a \n{{- .s -}}\n b', D);
go('lang/comment', 'a{{/* comment */}}b', D);
go('lang/comment-trim', 'a {{- /* comment */ -}} b', D);
go('lang/comment-multiline', 'a{{/* line1\nline2 */}}b', D);
go('lang/raw-string', '{{`raw\\n`}}', D);
go('lang/string-escapes', '{{"tab\\tnl\\nquote\\"uni\\u00e9"}}', D);
go('lang/char', "{{'a'}} {{'\\n'}}", D);
go('lang/number-hex', '{{0x1F}} {{0o17}} {{0b101}} {{1_000}}', D);
go('lang/number-float', '{{1.5}} {{1e3}} {{-2.25}} {{.5}}', D);
go('lang/number-octal', '{{0755}}', D);
go('lang/true-false', '{{true}} {{false}}', D);
go('lang/newline-in-action', '{{ .s\n}}', D);
// pipelines and parens
go('pipe/simple', '{{.s | printf "%s!"}}', D);
go('pipe/chain', '{{"a" | printf "%s-%s" "b" | printf "[%s]"}}', D);
go('pipe/paren', '{{printf "%s=%d" (printf "k%d" 1) (len .l)}}', D);
go('pipe/paren-field', '{{(.nested).x.y}}', D);
go('pipe/paren-chain', '{{(index .nested "x").y}}', D);
go('pipe/len-pipe', '{{.l | len}}', D);
// variables
go('var/declare', '{{$x := .s}}{{$x}}', D);
go('var/assign', '{{$x := 1}}{{$x = 2}}{{$x}}', D);
go('var/dollar', '{{with .nested}}{{$.s}}{{end}}', D);
go('var/scope-if', '{{$x := 1}}{{if true}}{{$x = 2}}{{$y := 3}}{{end}}{{$x}}', D);
go('var/field-of-var', '{{$n := .nested}}{{$n.x.y}}', D);
go('var/range-assign', '{{$last := 0}}{{range .l}}{{$last = .}}{{end}}{{$last}}', D);
go('var/decl-no-output', '{{$x := 5}}', D);
// if / else
go('if/true', '{{if .t}}yes{{end}}', D);
go('if/false', '{{if .F}}yes{{else}}no{{end}}', D);
go('if/else-if', '{{if .F}}a{{else if .t}}b{{else}}c{{end}}', D);
go('if/else-if-chain', '{{if eq .a 1.0}}one{{else if eq .a 2.0}}two{{else if eq .a 3.0}}three{{end}}', D);
for (const [k, v] of Object.entries({ int0: 'z', int: 'a', str: 's', emptystr: 'e', slice: 'l', emptyslice: 'el', map: 'm', emptymap: 'em', nil: 'n', struct: 'nested' })) {
  go(`if/truth-${k}`, `{{if .${v}}}T{{else}}F{{end}}`, D);
}
go('if/not', '{{if not .t}}a{{else}}b{{end}}', D);
go('if/and', '{{and 1 0 "x"}} {{and 1 2 3}}', D);
go('if/or', '{{or 0 "" "x" 4}} {{or 0 ""}}', D);
go('if/and-shortcircuit', '{{and false (index .l 10)}}', D);
go('if/or-shortcircuit', '{{or true (index .l 10)}}', D);
go('if/and-pipe', '{{1 | and 2}}', D);
// with
go('with/basic', '{{with .nested.x}}{{.y}}{{end}}', D);
go('with/else', '{{with .e}}x{{else}}empty{{end}}', D);
go('with/var', '{{with $v := .s}}{{$v}}{{.}}{{end}}', D);
go('with/else-with', '{{with .e}}a{{else with .s}}b{{.}}{{end}}', D);
// range
go('range/slice', '{{range .l}}[{{.}}]{{end}}', D);
go('range/index', '{{range $i, $e := .sl}}{{$i}}:{{$e}} {{end}}', D);
go('range/single-var', '{{range $e := .sl}}{{$e}}{{end}}', D);
go('range/map-sorted', '{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}', D);
go('range/map-values', '{{range .m}}{{.}}{{end}}', D);
go('range/else', '{{range .el}}x{{else}}none{{end}}', D);
go('range/else-map', '{{range .em}}x{{else}}none{{end}}', D);
go('range/nil', '{{range .n}}x{{else}}nil{{end}}', D);
go('range/break', '{{range .l}}{{if eq . 2.0}}{{break}}{{end}}{{.}}{{end}}', D);
go('range/continue', '{{range .l}}{{if eq . 2.0}}{{continue}}{{end}}{{.}}{{end}}', D);
go('range/nested', '{{range .sl}}{{$o := .}}{{range $.l}}{{$o}}{{.}} {{end}}{{end}}', D);
go('range/int', '{{range 3}}{{.}}{{end}}', D);
go('range/dollar', '{{range .sl}}{{$.a}}{{end}}', D);
go('range/assign-vars', '{{$i := 0}}{{$e := ""}}{{range $i, $e = .sl}}{{end}}{{$i}}{{$e}}', D);
// define / template / block
go('define/basic', '{{define "T"}}hi {{.}}{{end}}{{template "T" "x"}}', D);
go('define/no-arg', '{{define "T"}}[{{.}}]{{end}}{{template "T"}}', D);
go('define/dot', '{{define "T"}}{{.s}}{{end}}{{template "T" .}}', D);
go('define/nested-call', '{{define "A"}}a{{template "B" .}}{{end}}{{define "B"}}b{{.}}{{end}}{{template "A" 1}}', D);
go('define/recursion', '{{define "R"}}{{if .}}{{len .}}{{template "R" (slice . 1)}}{{end}}{{end}}{{template "R" .sl}}', D);
go('block/basic', '{{block "B" .s}}[{{.}}]{{end}}', D);
go('block/override', '{{define "B"}}override{{end}}{{block "B" .}}default{{end}}', D);
go('define/vars-isolated', '{{define "T"}}{{$}}{{end}}{{$x := 1}}{{template "T" 2}}', D);
// builtins: len index slice
go('len/string', '{{len "héllo"}}', D);
go('len/slice', '{{len .l}} {{len .m}} {{len .em}}', D);
go('index/slice', '{{index .sl 1}}', D);
go('index/map', '{{index .m "b"}}', D);
go('index/nested', '{{index .nested "x" "y"}}', D);
go('index/string', '{{index "abc" 1}}', D);
go('slice/slice', '{{slice .sl 1}} {{slice .sl 1 2}} {{slice .sl}}', D);
go('slice/string', '{{slice "abcdef" 2 4}}', D);
go('slice/three', '{{slice .sl 0 1 2}}', D);
// print family
go('print/basic', '{{print "a" 1 2 "b" 3.5}}', D);
go('print/nil', '{{print .n}}', D);
go('println/basic', '{{println "a" 1 2}}', D);
go('print/slice', '{{print .l .sl}}', D);
// printf verbs
const pf = [
  ['%s', '"str"'], ['%d', '42'], ['%v', '42'], ['%5d', '42'], ['%-5d|', '42'], ['%05d', '42'], ['%+d', '42'], ['%x', '255'], ['%X', '255'], ['%o', '8'], ['%b', '5'], ['%c', '65'], ['%q', '"a\\"b"'], ['%q', '65'], ['%x', '"hi"'], ['% x', '"hi"'], ['%X', '"hi"'],
  ['%f', '3.14159'], ['%.2f', '3.14159'], ['%8.3f|', '3.14159'], ['%-8.1f|', '2.5'], ['%.0f', '2.5'], ['%.0f', '3.5'], ['%e', '1234.5678'], ['%.2e', '1234.5678'], ['%g', '1234.5678'], ['%g', '0.00001234'], ['%g', '100000000.0'], ['%v', '1e6'], ['%v', '123456.0'], ['%v', '1e-5'], ['%v', '0.1'],
  ['%t', 'true'], ['%v', 'true'], ['%%', ''], ['%T', '1'], ['%T', '"s"'], ['%T', '1.5'], ['%T', 'true'], ['%10s|', '"right"'], ['%-10s|', '"left"'], ['%.2s', '"abcdef"'], ['%s', '1'], ['%d', '"x"'], ['%d', '1.5'], ['%s %s', '"only"'], ['%s', '"a" "extra"'], ['%!', ''], ['%v', '.l'], ['%d', '.l'], ['%v', '.m'], ['%s', '.sl'], ['%q', '.sl'], ['%v', '.nested'], ['%6.2f%%', '99.5'], ['%x', '-255'], ['%U', '0x1F600'], ['%08.3f', '-3.5'], ['%+.1f', '2.0'], ['% d', '5'], ['%#x', '255'], ['%#o', '8'], ['%*d', '5 42'], ['%-*d|', '5 42'], ['%.*f', '2 3.14159'],
];
pf.forEach(([verb, args], i) => {
  go(`printf/${i}-${verb}`, `{{printf "${verb.replace(/"/g, '\\"')}" ${args}}}`, D);
});
// comparisons
const cmp = [
  ['eq', '1 1'], ['eq', '1 2'], ['eq', '"a" "a"'], ['eq', '"a" "b"'], ['eq', '1 2 3 1'], ['eq', '1.5 1.5'], ['eq', 'true true'], ['eq', '.s "str"'], ['eq', '.a 3.0'],
  ['ne', '1 2'], ['ne', '"a" "a"'], ['lt', '1 2'], ['lt', '2 1'], ['lt', '"a" "b"'], ['lt', '1.5 2.5'], ['le', '2 2'], ['le', '3 2'], ['gt', '3 2'], ['gt', '"b" "a"'], ['ge', '2 2'], ['ge', '1 2'],
];
cmp.forEach(([op, args], i) => {
  go(`cmp/${i}-${op}`, `{{${op} ${args}}}`, D);
});
// escaping builtins
go('html/basic', `{{html "<a href='x'>&\\"</a>"}}`, D);
go('html/multi', '{{html "a" 1 "<"}}', D);
go('js/basic', `{{js "it's \\"q\\" <b> & = \\\\ \\n"}}`, D);
go('js/unicode', '{{js "é\\u2028x"}}', D);
go('urlquery/basic', '{{urlquery "a b&c=d/é?"}}', D);
go('urlquery/multi', '{{urlquery "a" 1}}', D);
go('html/pipe', '{{"<x>" | html}}', D);
// errors (parse)
const perr = [
  ['unknown-function', '{{nosuch 1}}'], ['unclosed-action', '{{.s'], ['unclosed-action-2', 'a{{if .t}}b'], ['unexpected-end', '{{end}}'], ['unexpected-else', '{{else}}'], ['unterminated-string', '{{"abc}}'], ['unterminated-raw', '{{`abc}}'], ['bad-char', '{{#}}'], ['unclosed-comment', '{{/* x'],
  ['comment-delim', '{{/* x */ }}'], ['define-eof', '{{define "a"}}x'], ['undefined-var', '{{$x}}'], ['var-out-of-scope', '{{with $x := 1}}{{end}}{{$x}}'], ['missing-if', '{{if}}{{end}}'], ['missing-range', '{{range}}{{end}}'], ['non-exec', '{{1 | 2}}'], ['unclosed-paren', '{{(1}}'], ['unexpected-rparen', '{{1)}}'],
  ['break-outside', '{{break}}'], ['double-else', '{{if 1}}{{else}}{{else}}{{end}}'], ['too-many-decl', '{{$a, $b := 1}}'], ['range-too-many', '{{range $a, $b, $c := .l}}{{end}}'], ['unexpected-dot', '{{"x".y}}'], ['template-no-name', '{{template .s}}'], ['bad-number', '{{3x}}'], ['unexpected-in-operand', '{{.s = 1}}'],
  ['second-line', 'line1\n{{nosuch}}'], ['multiple-define', '{{define "a"}}x{{end}}{{define "a"}}y{{end}}'], ['empty-command', '{{printf "%s" |}}'], ['colon', '{{$x : 1}}'],
];
perr.forEach(([n, t]) => {
  go(`parse-error/${n}`, t, D);
});
// errors (exec)
const eerr = [
  ['cmp-mixed', '{{eq 1 "a"}}'], ['cmp-int-float', '{{lt 1 1.5}}'], ['lt-bool', '{{lt true false}}'], ['len-int', '{{len 3}}'], ['len-args', '{{len 1 2}}'], ['index-range', '{{index .sl 5}}'], ['index-type', '{{index .sl "a"}}'], ['index-int', '{{index 1 0}}'], ['slice-bad', '{{slice .sl 2 1}}'], ['slice-int', '{{slice 1 0}}'],
  ['undefined-template', '{{template "nope"}}'], ['field-on-int', '{{.a.b}}'], ['field-on-string', '{{.s.x}}'], ['not-function', '{{.s 1}}'], ['nil-command', '{{nil}}'], ['printf-nonstring', '{{printf 1}}'], ['wrong-args-not', '{{not 1 2}}'], ['eq-missing', '{{eq 1}}'], ['and-no-args', '{{and}}'], ['range-int', '{{range $i, $e := 3}}{{end}}'], ['range-string', '{{range "abc"}}{{end}}'], ['error-line-col', 'ab\ncd {{len 3}}'], ['error-in-define', '{{define "T"}}\n  {{len 3}}{{end}}{{template "T"}}'], ['call-nil', '{{call .n}}'], ['html-in-template', '{{define "T"}}{{.x}}{{end}}{{template "T" 1}}'],
];
eerr.forEach(([n, t]) => {
  go(`exec-error/${n}`, t, D);
});

// ---- Alertmanager data model and function map (amtool) ----
const amCases = [
  ['data/receiver', '{{ .Receiver }}'], ['data/status', '{{ .Status }}'], ['data/externalURL', '{{ .ExternalURL }}'], ['data/alerts-len', '{{ len .Alerts }}'], ['data/firing-len', '{{ len .Alerts.Firing }} {{ len .Alerts.Resolved }}'],
  ['data/grouplabels-pairs', '{{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}'], ['data/commonlabels-names', '{{ .CommonLabels.Names }}'], ['data/commonlabels-values-join', '{{ .CommonLabels.Values.Join "," }}'], ['data/sortedpairs-names', '{{ .CommonLabels.SortedPairs.Names }}'],
  ['data/remove', '{{ range (.CommonLabels.Remove .GroupLabels.Names).SortedPairs }}{{ .Name }} {{ end }}'], ['data/remove-stringslice', '{{ (.CommonLabels.Remove (stringSlice "service")).Names }}'], ['data/label-field', '{{ range .Alerts }}{{ .Labels.severity }};{{ end }}'], ['data/label-missing', '[{{ .CommonLabels.nosuch }}]'], ['data/index-label', '{{ range .Alerts }}{{ index .Labels "zone" }};{{ end }}'],
  ['data/alert-fields', '{{ range .Alerts }}{{ .Status }} {{ .Fingerprint }} {{ .GeneratorURL }}|{{ end }}'], ['data/startsAt', '{{ range .Alerts }}{{ .StartsAt }}|{{ end }}'], ['data/endsAt', '{{ range .Alerts }}{{ .EndsAt }}|{{ end }}'], ['data/time-format', '{{ range .Alerts }}{{ .StartsAt.Format "2006-01-02T15:04:05Z07:00" }} {{ .StartsAt.Format "Jan _2 3:04PM .000" }}|{{ end }}'],
  ['data/time-unix', '{{ range .Alerts }}{{ .StartsAt.Unix }} {{ .EndsAt.IsZero }}|{{ end }}'], ['data/alerts-firing-range', '{{ range .Alerts.Firing }}{{ .Labels.zone }} {{ end }}'], ['data/index-alerts', '{{ (index .Alerts 0).Labels.alertname }}'], ['data/labels-len', '{{ range .Alerts }}{{ len .Labels }}{{ end }}'],
  ['data/range-kv', '{{ range $k, $v := .CommonLabels }}{{ $k }}:{{ $v }} {{ end }}'], ['data/if-eq-status', '{{ if eq .Status "firing" }}F{{ else }}R{{ end }}'], ['data/with-annotations', '{{ range .Alerts }}{{ with .Annotations.summary }}{{ . }}{{ else }}-{{ end }};{{ end }}'],
  ['data/missing-field', '{{ .Nope }}'], ['data/method-arg-error', '{{ .CommonLabels.Remove }}'], ['data/alert-missing-field', '{{ range .Alerts }}{{ .Nope }}{{ end }}'],
  ['func/toUpper', '{{ toUpper "abc é ß" }}'], ['func/toLower', '{{ toLower "ABC É" }}'], ['func/title', '{{ title "hello world foo-bar" }}'], ['func/join', '{{ join ", " .CommonLabels.Names }}'], ['func/join-pipe', '{{ .GroupLabels.Values | join "-" }}'],
  ['func/match', '{{ match "^High" "HighLatency" }} {{ match "low" "HighLatency" }} {{ match "a.c" "xxabcxx" }}'], ['func/match-bad', '{{ match "(" "x" }}'], ['func/reReplaceAll', '{{ reReplaceAll "(\\\\w+):(\\\\d+)" "$2/$1" "host:9100 db:5432" }}'], ['func/reReplaceAll-named', '{{ reReplaceAll "(?P<h>[a-z]+)-(?P<n>[0-9])" "${n}${h}" "abc-1 def-2" }}'],
  ['func/safeHtml-text', '{{ safeHtml "<b>x</b>" }}'], ['func/stringSlice', '{{ stringSlice "a" "b" "c" }}'], ['func/stringSlice-join', '{{ stringSlice "a" "b" | join "+" }}'], ['func/toUpper-wrongtype', '{{ toUpper 1 }}'], ['func/join-wrongtype', '{{ join "," "x" }}'], ['func/title-unicode', '{{ title "élan vital ñandú" }}'],
  ['func/printf-labels', '{{ printf "%s/%s" .GroupLabels.alertname .Receiver }}'], ['func/urlquery-receiver', '{{ .Receiver | urlquery }}'], ['func/toUpper-arity', '{{ toUpper "a" "b" }}'],
];
amCases.forEach(([n, t]) => {
  am(n, t, 'mixed');
});
am('data/html-labels-text', '{{ range .Alerts }}{{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}{{ end }}', 'html');
// html engine contexts
const htmlCases = [
  ['html/text', '<p>{{ .Receiver }}</p>'], ['html/attr', '<div title="{{ .Receiver }}">x</div>'], ['html/attr-single', "<div title='{{ .Receiver }}'>x</div>"], ['html/href', '<a href="{{ .ExternalURL }}">x</a>'], ['html/href-js', '<a href="{{ range .Alerts }}{{ .Annotations.link }}{{ end }}">x</a>'],
  ['html/href-query', '<a href="/x?q={{ .Receiver }}">x</a>'], ['html/href-query-urlquery', '<a href="/x?q={{ .Receiver | urlquery }}">x</a>'], ['html/href-generator', '{{ range .Alerts }}<a href="{{ .GeneratorURL }}">s</a>{{ end }}'], ['html/safeHtml', '<p>{{ safeHtml "<b>bold</b>" }}</p>'], ['html/safeHtml-attr', '<p title="{{ safeHtml "<b>bold</b>" }}">x</p>'],
  ['html/labels', '{{ range .Alerts }}{{ range .Labels.SortedPairs }}{{ .Name }} = {{ .Value }}<br>{{ end }}{{ end }}'], ['html/title', '<title>{{ template "__subject" . }}</title>'], ['html/comment-stripped', 'a<!-- hidden {{ .Receiver }} -->b'], ['html/plus', '<p>{{ range .Alerts }}{{ .Annotations.plus }}{{ end }}</p>'], ['html/html-func', '<p>{{ html .Receiver }}</p>'],
  ['html/alertmanagerURL', '<a href="{{ template "__alertmanagerURL" . }}">x</a>'], ['html/unquoted-attr', '<div title={{ .Receiver }}>x</div>'], ['html/data-url-attr', '<img src="{{ .ExternalURL }}/img.png">'],
];
htmlCases.forEach(([n, t]) => {
  am(n, t, 'html', 'html');
});

// ---- user template files (loaded after the defaults, like config `templates:`) ----
const amFiles = (name, files, tmpl, data = 'mixed', type = 'text') => {
  cases.push({ name, engine: 'amtool', tmpl, data, type, files });
};
const userFile = `{{ define "my.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}
{{ define "slack.default.title" }}overridden {{ template "my.title" . }}{{ end }}
{{ define "my.list" }}{{ range $i, $a := . }}{{ if $i }}, {{ end }}{{ $a.Labels.zone }}{{ end }}{{ end }}`;
amFiles('user/define', { 'user.tmpl': userFile }, '{{ template "my.title" . }}');
amFiles('user/override-default', { 'user.tmpl': userFile }, '{{ template "slack.default.title" . }}');
amFiles('user/override-used-by-default', { 'user.tmpl': userFile }, '{{ template "slack.default.fallback" . }}');
amFiles('user/list', { 'user.tmpl': userFile }, '{{ template "my.list" .Alerts }}|{{ template "my.list" .Alerts.Firing }}');
amFiles('user/two-files-later-wins', { 'a.tmpl': '{{ define "x" }}a{{ end }}', 'b.tmpl': '{{ define "x" }}b{{ end }}' }, '{{ template "x" . }}');
amFiles('user/inline-define-overrides', { 'a.tmpl': '{{ define "x" }}file{{ end }}' }, '{{ define "x" }}inline{{ end }}{{ template "x" . }}');
amFiles('user/file-top-level-template', { 'a.tmpl': 'top {{ .Receiver }}' }, '{{ template "a.tmpl" . }}');
amFiles('user/parse-error-line', { 'bad.tmpl': '{{ define "ok" }}x{{ end }}\n\n{{ define "bad" }}{{ nosuch . }}{{ end }}' }, 'x');
amFiles('user/parse-error-unclosed', { 'bad.tmpl': 'a\n{{ define "bad" }}{{ .X }' }, 'x');
amFiles('user/parse-error-eof', { 'bad.tmpl': '{{ define "bad" }}{{ if .X }}' }, 'x');
amFiles('user/exec-error-in-file', { 'e.tmpl': '{{ define "e" }}\n  {{ .Nope }}{{ end }}' }, '{{ template "e" . }}');
amFiles('user/duplicate-define', { 'd.tmpl': '{{ define "d" }}1{{ end }}{{ define "d" }}2{{ end }}' }, 'x');
amFiles('user/empty-define-keeps-default', { 'e.tmpl': '{{ define "__alertmanager" }}{{ end }}' }, '{{ template "__alertmanager" . }}');
amFiles('user/html-file', { 'h.tmpl': '{{ define "h" }}<b title="{{ .Receiver }}">{{ .Receiver }}</b>{{ end }}' }, '{{ template "h" . }}', 'html', 'html');

// ---- more language cases ----
go('more/index-missing-key', '{{index .m "zz"}}', D);
go('more/index-nested-slice', '{{index .l 0}}{{index .sl 2}}', D);
go('more/compare-strings-unicode', '{{lt "é" "z"}} {{lt "Z" "a"}} {{eq "日本" "日本"}}', D);
go('more/nested-template-vars', '{{define "T"}}{{$x := .}}{{range $.sl}}{{$x}}{{.}}{{end}}{{end}}{{template "T" .sl}}', D);
go('more/printf-nested', '{{printf "%v|%+v" .nested .nested}}', D);
go('more/print-map-float', '{{.m}} {{.f}} {{printf "%.3f" .f}}', D);
go('more/len-pipeline', '{{.sl | len | printf "%03d"}}', D);
go('more/not-not', '{{not (not .s)}} {{not .e}}', D);
go('more/and-values', '{{and .s .a}} {{or .e .z .F}}', D);
go('more/range-else-var', '{{range $i, $e := .el}}{{$i}}{{else}}empty{{end}}', D);
go('more/if-else-with-vars', '{{$v := "o"}}{{if .F}}{{$v = "a"}}{{else if .t}}{{$v = "b"}}{{end}}{{$v}}', D);
go('more/whitespace-only-trim', '{{- " x " -}}', D);
go('more/trim-newlines', 'a\n\n  {{- 1 -}}\n\n  b', D);
go('more/raw-multiline', '{{`a\nb`}}', D);
go('more/chained-paren-index', '{{(index .sl 1) | printf "[%s]"}}', D);
go('more/variable-chain', '{{$m := .m}}{{$m.a}}{{$m.b}}', D);
go('more/dollar-field', '{{$.s}}', D);
go('more/range-map-key-order', '{{range $k, $v := .keys}}{{$k}}{{end}}', { keys: { b: 1, a: 1, B: 1, _: 1, '10': 1, '9': 1 } });
go('more/html-nil', '{{html .n}}', D);
go('more/js-escapes-control', '{{js "a\tb\u0001"}}', D);
go('more/urlquery-unicode', '{{urlquery "日本 x"}}', D);
go('more/printf-percent-v-nil', '{{printf "%v %d %s" .n .n .n}}', D);
go('more/print-bool-int', '{{print true 1 false}}', D);
go('more/println-strings', '{{println "a" "b"}}', D);
go('more/slice-string-unicode', '{{slice "héllo" 0 3}}', D);
go('more/eq-multi-string', '{{eq .s "a" "b" "str"}}', D);
go('more/block-in-range', '{{range .sl}}{{block "B" .}}<{{.}}>{{end}}{{end}}', D);
go('more/template-in-if', '{{define "T"}}t{{end}}{{if .t}}{{template "T"}}{{end}}', D);
go('more/break-nested', '{{range .sl}}{{range $.l}}{{if eq . 2.0}}{{break}}{{end}}{{.}}{{end}};{{end}}', D);
go('more/continue-with-else', '{{range .l}}{{if eq . 1.0}}{{continue}}{{else}}{{.}}{{end}}{{end}}', D);
go('more/float-formats', '{{0.000001}} {{1e20}} {{1e21}} {{-0.5}} {{100.0}}', D);
go('more/int-formats', '{{-5}} {{+5}} {{007}} {{0x10}}', D);
go('more/char-formats', "{{'\\''}} {{'\\x41'}} {{'é'}} {{printf \"%c\" 'é'}}", D);
go('more/string-escape-octal', '{{"\\101\\x42\\u0043"}}', D);
go('exec-error/index-nil', '{{index nil 1}}', D);
go('exec-error/call-nonfunc', '{{call 1}}', D);
go('exec-error/slice-too-many', '{{slice .sl 1 2 3 4}}', D);
go('exec-error/slice-3-string', '{{slice "abc" 1 2 3}}', D);
go('exec-error/field-on-nil-chain', '{{.n.x}}', D);
go('exec-error/method-arg-to-field', '{{.s.x 1}}', D);
go('exec-error/printf-arity', '{{printf}}', D);
go('exec-error/range-over-bool', '{{range true}}{{end}}', D);
go('exec-error/not-arity', '{{not}}', D);
go('exec-error/le-incompatible', '{{le "a" 1}}', D);
go('parse-error/unexpected-keyword', '{{define}}', D);
go('parse-error/template-eof', '{{template "x"', D);
go('parse-error/bad-range-decl', '{{range $a, 1 := .l}}{{end}}', D);
go('parse-error/nested-define', '{{if 1}}{{define "x"}}{{end}}{{end}}', D);
go('parse-error/continue-outside', '{{continue}}', D);
go('parse-error/unclosed-action-multiline', '{{if 1\n\n', D);

export default cases;
