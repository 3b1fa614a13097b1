/** Long help texts and examples, wrapped for 80 columns (upstream cli/*.go help constants, reworded). */
export const ROOT_HELP = `View and modify the current Alertmanager state, through the HTTP API v2 of
Alertmanager or Tocsin. Commands, flags and output follow amtool.

Flag defaults can be set in a YAML file mapping flag names to values, read from
(first wins per key): ~/.config/tocsin/tocsinctl.yml,
~/.config/amtool/config.yml, /etc/amtool/config.yml, and Debian's
~/.config/prometheus/amtool.yml and /etc/prometheus/amtool.yml. Useful keys:
alertmanager.url, author, require-comment, output, date.format,
http.config.file.`;

export const ROOT_EXAMPLES = `
Examples:
  $ tocsinctl --alertmanager.url=http://localhost:9093 alert
  $ tocsinctl silence add alertname=Foo -c 'maintenance' -d 2h
  $ tocsinctl -o json silence query > silences.json
  $ tocsinctl config routes test --config.file=alertmanager.yml team=db
`;

export const ALERT_QUERY_HELP = `View and search through current alerts.

Arguments are matchers that all must match (name=value, name!=value,
name=~regex, name!~regex). If the first argument is not a matcher it is taken
as the value of the alertname label. Without a state flag only active (not
silenced, not inhibited) alerts are shown.`;

export const ALERT_QUERY_EXAMPLES = `
Examples:
  $ tocsinctl alert query alertname=foo node=bar
  $ tocsinctl alert query foo node=bar        # alertname="foo"
  $ tocsinctl alert query 'alertname=~foo.*'
  $ tocsinctl alert query -s -i               # silenced and inhibited
  $ tocsinctl alert query -r 'team-.*' -o extended
`;

export const ALERT_ADD_EXAMPLES = `
Examples:
  $ tocsinctl alert add alertname=foo node=bar
  $ tocsinctl alert add foo node=bar \\
      --annotation=runbook='http://runbook.biz' \\
      --annotation=summary='summary of the alert'
  $ tocsinctl alert add foo --start=2026-01-02T15:04:05Z \\
      --end=2026-01-02T16:04:05Z
`;

export const SILENCE_ADD_HELP = `Add a new silence and print its ID.

Arguments are matchers; if the first one is not a matcher it is the value of
the alertname label. The silence starts now (or at --start) and lasts
--duration, unless --end is given. A comment is required unless
require-comment is false in the config file (or --no-require-comment).`;

export const SILENCE_ADD_EXAMPLES = `
Examples:
  $ tocsinctl silence add alertname=foo node=bar -c 'disk swap'
  $ tocsinctl silence add foo -d 2h -c 'deploy'
  $ tocsinctl silence add 'alertname=~foo.*' --end=2026-01-02T15:04:05Z -c x
`;

export const SILENCE_QUERY_HELP = `Query silences. By default non-expired silences are shown.

Arguments are matchers; a silence is listed when it contains an identical
matcher for each of them. --within shows silences that end within the given
Go duration (with --expired: that ended within it).`;

export const SILENCE_QUERY_EXAMPLES = `
Examples:
  $ tocsinctl silence query alertname=foo
  $ tocsinctl silence query --within 8h
  $ tocsinctl silence query --expired --within 2h
  $ tocsinctl silence query -q | tocsinctl silence expire
`;

export const SILENCE_EXPIRE_EXAMPLES = `
Examples:
  $ tocsinctl silence expire 9b8e5c1e-6f2b-4e8a-9a71-0d6c3ba4f2a1
  $ tocsinctl silence query -q alertname=foo | tocsinctl silence expire
`;

export const SILENCE_IMPORT_HELP = `Import silences from a JSON file (or stdin) as written by
\`silence query -o json\`. A silence whose ID the server does not know is
created as a new silence; --force always creates new ones. The IDs of the
created silences are printed; failures are reported on stderr.`;

export const SILENCE_IMPORT_EXAMPLES = `
Examples:
  $ tocsinctl silence query -o json foo > foo.json
  $ tocsinctl silence import foo.json
  $ cat foo.json | tocsinctl silence import --force -w 4
`;

export const SILENCE_UPDATE_EXAMPLES = `
Examples:
  $ tocsinctl silence update 9b8e5c1e-6f2b-4e8a-9a71-0d6c3ba4f2a1 -d 4h
  $ tocsinctl silence update <id> --end=2026-01-02T15:04:05Z -c 'longer'
`;

export const CONFIG_HELP = `View the running configuration. -o simple prints the config, -o extended
adds uptime and version info, -o json prints the whole status object.`;

export const ROUTES_HELP = `Print the routing tree of --config.file, or of the running server's
configuration (--config.file takes precedence over --alertmanager.url).`;

export const ROUTES_EXAMPLES = `
Examples:
  $ tocsinctl config routes --config.file=alertmanager.yml
  $ tocsinctl config routes show --alertmanager.url=http://localhost:9093
`;

export const ROUTES_TEST_HELP = `Print the receivers an alert with the given labels is routed to, in
routing-tree order, joined by commas.`;

export const ROUTES_TEST_EXAMPLES = `
Examples:
  $ tocsinctl config routes test --config.file=alertmanager.yml service=db
  $ tocsinctl config routes test --config.file=am.yml --tree team=x sev=page
  $ tocsinctl config routes test --config.file=am.yml \\
      --verify.receivers=team-DB-pager service=database
`;

export const CHECK_CONFIG_EXAMPLES = `
Examples:
  $ tocsinctl check-config alertmanager.yml
  $ cat alertmanager.yml | tocsinctl check-config
`;

export const TEMPLATE_RENDER_EXAMPLES = `
Examples:
  $ tocsinctl template render --template.glob='/etc/alertmanager/*.tmpl' \\
      --template.text='{{ template "slack.default.title" . }}'
  $ tocsinctl template render --template.glob=my.tmpl \\
      --template.text='{{ .Status }}' --template.data=data.json
`;

export const CLUSTER_EXAMPLES = `
Examples:
  $ tocsinctl cluster show -o extended
`;

export const COMPLETION_EXAMPLES = `
Examples:
  $ tocsinctl completion bash > /etc/bash_completion.d/tocsinctl
  $ tocsinctl completion zsh > "\${fpath[1]}/_tocsinctl"
`;

export const CONFIG_EXAMPLES = `
Examples:
  $ tocsinctl config show
  $ tocsinctl config show -o json | jq -r .config.original
  $ tocsinctl config routes --config.file=alertmanager.yml
`;

export const ALERT_EXAMPLES = `
Examples:
  $ tocsinctl alert                       # same as: alert query
  $ tocsinctl alert query -s -o extended
  $ tocsinctl alert add foo severity=page --annotation=summary='on fire'
`;

export const SILENCE_EXAMPLES = `
Examples:
  $ tocsinctl silence                     # same as: silence query
  $ tocsinctl silence add foo -c 'deploy' -d 30m
  $ tocsinctl silence query -q foo | tocsinctl silence expire
`;

export const TEMPLATE_EXAMPLES = `
Examples:
  $ tocsinctl template render --template.glob='*.tmpl' \\
      --template.text='{{ template "email.default.subject" . }}'
`;

export const IMPORT_AM_STORAGE_HELP = `Import an Alertmanager's state into Tocsin's store (SQLite, or PostgreSQL
below), to switch without losing a silence or re-sending a notification. Run it with Tocsin stopped (it
refuses a store a server has open) and after stopping Alertmanager (it writes its 'silences' and 'nflog' snapshots on
shutdown). Every silence (ID, matchers, times, author, comment, annotations,
expired ones still within Alertmanager's retention) and every notification-log
entry is imported, in one transaction: a directory that is not Alertmanager's,
or a damaged snapshot, imports nothing. Tocsin then treats the groups
Alertmanager notified as notified (same group keys, alerts compared by
Alertmanager's hash) until their repeat_interval.
--from-url imports only the silences of a running Alertmanager (API v2).
With --tocsin.storage.url, --tocsin.storage.url-file or $TOCSIN_STORAGE_URL
it imports into the PostgreSQL database of a replica cluster instead (checked
and staged the same way first, so a bad directory writes nothing; state
PostgreSQL already holds in a newer version is kept; refused while replicas
run on the database). The URL's password is shown as <secret>.`;

export const IMPORT_EXAMPLES = `
Examples:
  # both servers stopped; Alertmanager's --storage.path, then Tocsin's
  $ tocsinctl import alertmanager-storage /var/lib/prometheus/alertmanager \\
      --storage.path=/var/lib/tocsin
  # only the silences, from a running Alertmanager
  $ tocsinctl import alertmanager-storage --from-url=http://localhost:9093 \\
      --storage.path=/var/lib/tocsin
  # into the PostgreSQL database of a replica cluster (URL in a file)
  $ tocsinctl import alertmanager-storage /var/lib/prometheus/alertmanager \\
      --tocsin.storage.url-file=/etc/tocsin/storage-url
`;

export const HISTORY_HELP = `Show the history of alerts, notifications and silences (Tocsin only), newest first.

Every alert fired, grouped, silenced, inhibited and resolved, every notification attempt with its outcome, flushes that sent nothing and why, silences created, updated and expired, config reloads and restarts.`;

export const HISTORY_EXAMPLES = `
Examples:
  $ tocsinctl history --since 2h
  $ tocsinctl history DiskFull instance=db1
  $ tocsinctl history --receiver pager --kind notification -o extended
  $ tocsinctl history --fingerprint 353eae6a3b60c986 -o json
`;

export const ACK_HELP = `Acknowledge alert groups (Tocsin only).

An acknowledged group gets no repeat notification until a new alert joins it,
an alert in it changes (annotations, firing or resolved) or the ack ends;
resolved notifications still go out. An ack also stops the group's escalation
(tocsin.yml).`;

export const ACK_ADD_HELP = `Acknowledge an alert group on a receiver: no repeat notification until the
group changes or the ack ends. Prints the ack ID.`;

export const ACK_ADD_EXAMPLES = `
Examples:
  $ tocsinctl ack add '{}:{service="db"}' --receiver team -c "disk swap"
  $ tocsinctl ack add '{}:{service="db"}' -r team -c "looking" --duration 2h
`;

export const ACK_LIST_EXAMPLES = `
Examples:
  $ tocsinctl ack list
  $ tocsinctl ack list --receiver team --all -o extended
`;

export const ACK_DELETE_EXAMPLES = `
Examples:
  $ tocsinctl ack delete $(tocsinctl ack list -q --receiver team)
`;

export const ACK_EXAMPLES = `
Examples:
  $ tocsinctl ack add '{}:{service="db"}' -r team -c "disk swap under way"
  $ tocsinctl ack add '{}:{service="db"}' -r team -c "looking" -d 2h
  $ tocsinctl ack list --receiver team -o extended
  $ tocsinctl ack delete 5b8d2c1e-...
`;
