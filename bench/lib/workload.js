'use strict';
// Alerts, silences and configurations used by the scenarios. Everything is deterministic given
// its arguments, so both servers receive the same data.

/** 10 labels (one of them `group`, `groups` distinct values) and 2 annotations, like a Prometheus alert. */
function makeAlert(i, { groups = 1000, startsAt, endsAt, extraLabels } = {}) {
  const labels = {
    alertname: `BenchAlert${i % 20}`,
    group: `g${i % groups}`,
    instance: `host-${i}`,
    job: `job-${i % 50}`,
    severity: i % 3 === 0 ? 'critical' : 'warning',
    cluster: `c${i % 1000}`,
    namespace: `ns-${i % 100}`,
    pod: `pod-${i}-abcdef`,
    service: `svc-${i % 200}`,
    region: `region-${i % 4}`,
    ...extraLabels,
  };
  return {
    labels,
    annotations: {
      summary: `Instance host-${i} is misbehaving`,
      description: `Benchmark alert number ${i}: the value has been above the threshold for more than 5 minutes.`,
    },
    startsAt,
    endsAt,
    generatorURL: `http://prometheus.example:9090/graph?g0.expr=bench_metric%7Bi%3D%22${i}%22%7D&g0.tab=1`,
  };
}

/** Splits alerts into JSON bodies of `batch` alerts each. */
function toBodies(alerts, batch) {
  const bodies = [];
  for (let i = 0; i < alerts.length; i += batch) bodies.push(JSON.stringify(alerts.slice(i, i + batch)));
  return bodies;
}

/**
 * `count` firing alerts from index `from`, as Prometheus sends them: startsAt `startedMsAgo` in the
 * past and endsAt in the future.
 */
function firingAlerts(
  count,
  { from = 0, groups = 1000, extraLabels, endsInMs = 60 * 60 * 1000, startedMsAgo = 60_000 } = {},
) {
  const now = Date.now();
  const startsAt = new Date(now - startedMsAgo).toISOString();
  const endsAt = new Date(now + endsInMs).toISOString();
  const out = new Array(count);
  for (let k = 0; k < count; k++) {
    const extra = typeof extraLabels === 'function' ? extraLabels(from + k) : extraLabels;
    out[k] = makeAlert(from + k, { groups, startsAt, endsAt, extraLabels: extra });
  }
  return out;
}

/**
 * `count` silences, half equality (`instance="host-k"`), half regex (`instance=~"host-k|nohost-k"`);
 * silence k matches exactly alert k (for k < number of alerts).
 */
function silences(count) {
  const now = Date.now();
  const startsAt = new Date(now - 1000).toISOString();
  const endsAt = new Date(now + 2 * 60 * 60 * 1000).toISOString();
  const out = [];
  for (let k = 0; k < count; k++) {
    const regex = k >= count / 2;
    out.push({
      matchers: [
        { name: 'instance', value: regex ? `host-${k}|nohost-${k}` : `host-${k}`, isRegex: regex, isEqual: true },
        { name: 'job', value: regex ? 'job-.*' : `job-${k % 50}`, isRegex: regex, isEqual: true },
      ],
      startsAt,
      endsAt,
      createdBy: 'bench',
      comment: `benchmark silence ${k}`,
    });
  }
  return out;
}

/**
 * Config used by every scenario: one route grouping by `group`, a receiver without integrations
 * (or a webhook to `webhookUrl`), optional inhibit rule source role=source -> role=target equal [cluster].
 */
function configYaml({ groupWait = '30s', groupInterval = '5m', webhookUrl, inhibit = false } = {}) {
  const lines = [
    'global:',
    '  resolve_timeout: 5m',
    'route:',
    '  receiver: bench',
    "  group_by: ['group']",
    `  group_wait: ${groupWait}`,
    `  group_interval: ${groupInterval}`,
    '  repeat_interval: 4h',
    'receivers:',
    '  - name: bench',
  ];
  if (webhookUrl) {
    lines.push('    webhook_configs:', `      - url: '${webhookUrl}'`, '        send_resolved: false');
  }
  if (inhibit) {
    lines.push(
      'inhibit_rules:',
      '  - source_matchers: [\'role="source"\']',
      '    target_matchers: [\'role="target"\']',
      '    equal: [cluster]',
    );
  }
  return `${lines.join('\n')}\n`;
}

module.exports = { makeAlert, toBodies, firingAlerts, silences, configYaml };
