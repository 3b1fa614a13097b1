'use strict';
// Aggregates repetitions (median, min, max), computes Tocsin/Alertmanager ratios and renders the
// console table and the markdown for bench/RESULTS.md.
const { spread } = require('./stats');

const TARGET_ORDER = ['tocsin', 'alertmanager'];
const LABEL = { tocsin: 'Tocsin', alertmanager: 'Alertmanager', 'tocsin-pg1': 'Tocsin PG ×1', 'tocsin-pg3': 'Tocsin PG ×3' };
/** Column titles of the HA table (scenarios that declare their own `targets`). */
const HA_LABEL = { tocsin: 'Tocsin SQLite', 'tocsin-pg1': 'Tocsin PG ×1', 'tocsin-pg3': 'Tocsin PG ×3', alertmanager: 'Alertmanager' };

function fmt(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1000) return String(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

/**
 * One cell per (metric, target): {kind: 'value', median, min, max, n} | {kind: 'na', text}.
 * `runs` is the list of {values, error} of one target for one scenario.
 */
function aggregateCell(metricKey, runs, skipReason) {
  if (skipReason) return { kind: 'na', text: `skipped` };
  if (!runs || runs.length === 0) return { kind: 'na', text: 'not run' };
  const nums = [];
  let naReason = null;
  let error = null;
  for (const r of runs) {
    if (r.error) {
      error ??= r.error;
      continue;
    }
    const v = r.values?.[metricKey];
    if (typeof v === 'number') nums.push(v);
    else if (v && typeof v === 'object' && 'na' in v) naReason ??= v.na;
  }
  const s = spread(nums);
  if (s) return { kind: 'value', ...s };
  if (naReason) return { kind: 'na', text: `n/a (${naReason})` };
  if (error) return { kind: 'na', text: `error: ${error.split('\n')[0].slice(0, 80)}` };
  return { kind: 'na', text: 'n/a' };
}

function cellText(cell, targetLabel) {
  if (cell.kind !== 'value') {
    return cell.text.startsWith('n/a (') ? `n/a (${targetLabel}: ${cell.text.slice(5)}` : cell.text;
  }
  return cell.n > 1 ? `${fmt(cell.median)} (${fmt(cell.min)}–${fmt(cell.max)})` : fmt(cell.median);
}

/** Rows of {scenario, metric, unit, better, cells{target}, ratio} (scenarios with their own `targets` excepted). */
function buildRows(results) {
  const rows = [];
  for (const sc of results.scenarios) {
    if (sc.targets) continue;
    for (const m of sc.metrics) {
      const cells = {};
      for (const t of TARGET_ORDER) cells[t] = aggregateCell(m.key, sc.runs[t], results.targets[t]?.skipReason);
      const a = cells.tocsin;
      const b = cells.alertmanager;
      let ratio = null;
      if (m.better !== 'info' && a.kind === 'value' && b.kind === 'value' && b.median !== 0) ratio = a.median / b.median;
      rows.push({ scenario: sc.title, metric: m.label, unit: m.unit, better: m.better, cells, ratio });
    }
  }
  return rows;
}

/**
 * Rows of the HA table: scenarios that declare `targets` (Tocsin on SQLite, on PostgreSQL with 1 and 3 replicas,
 * Alertmanager) and `ratios` [{num, den, label}]: {scenario, metric, unit, better, targets, cells{target},
 * ratios[{label, value}]}.
 */
function buildHaRows(results) {
  const rows = [];
  for (const sc of results.scenarios) {
    if (!sc.targets) continue;
    for (const m of sc.metrics) {
      const cells = {};
      for (const t of sc.targets) cells[t] = aggregateCell(m.key, sc.runs[t], results.targets[t]?.skipReason);
      const ratios = (sc.ratios ?? []).map(({ num, den, label }) => {
        const a = cells[num];
        const b = cells[den];
        const ok = m.better !== 'info' && a?.kind === 'value' && b?.kind === 'value' && b.median !== 0;
        return { label, value: ok ? a.median / b.median : null };
      });
      rows.push({ scenario: sc.title, metric: m.label, unit: m.unit, better: m.better, targets: sc.targets, cells, ratios });
    }
  }
  return rows;
}

/** The HA rows as {header, body} of strings; null when no scenario has its own targets. */
function haTableData(results) {
  const rows = buildHaRows(results);
  if (!rows.length) return null;
  const targets = rows[0].targets;
  const ratioLabels = [...new Set(rows.flatMap((r) => r.ratios.map((x) => x.label)))];
  const header = ['scenario', 'metric', 'unit', ...targets.map((t) => HA_LABEL[t] ?? t), ...ratioLabels];
  const body = rows.map((r) => [
    r.scenario,
    `${r.metric} ${betterHint(r.better)}`.trim(),
    r.unit,
    ...targets.map((t) => (r.cells[t] ? cellText(r.cells[t], HA_LABEL[t] ?? t) : '')),
    ...ratioLabels.map((l) => {
      const v = r.ratios.find((x) => x.label === l)?.value;
      return typeof v === 'number' ? v.toFixed(2) : '';
    }),
  ]);
  return { header, body };
}

function betterHint(b) {
  if (b === 'higher') return '↑';
  if (b === 'lower') return '↓';
  return '';
}

function tableData(results) {
  const header = ['scenario', 'metric', 'unit', 'Tocsin median (min–max)', 'Alertmanager median (min–max)', 'T/AM'];
  const body = buildRows(results).map((r) => [
    r.scenario,
    `${r.metric} ${betterHint(r.better)}`.trim(),
    r.unit,
    cellText(r.cells.tocsin, 'Tocsin'),
    cellText(r.cells.alertmanager, 'Alertmanager'),
    r.ratio === null ? '' : r.ratio.toFixed(2),
  ]);
  return { header, body };
}

function renderConsole(results) {
  return consoleTable(tableData(results));
}

/** The HA table for the console, or '' when there is none. */
function renderHaConsole(results) {
  const data = haTableData(results);
  return data ? `${HA_TITLE}\n${consoleTable(data)}` : '';
}

function consoleTable({ header, body }) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cols) => cols.map((c, i) => c.padEnd(widths[i])).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last = null;
  for (const r of body) {
    const shown = [...r];
    if (r[0] === last) shown[0] = '';
    last = r[0];
    out.push(line(shown));
  }
  return out.join('\n');
}

function renderMarkdownTable({ header, body }) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  const out = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of body) out.push(`| ${r.map(esc).join(' | ')} |`);
  return out.join('\n');
}

function notesOf(results) {
  const notes = [];
  for (const t of Object.keys(results.targets)) {
    const sr = results.targets[t]?.skipReason;
    if (sr) notes.push(`${LABEL[t] ?? t} skipped in every scenario: ${sr}`);
  }
  for (const sc of results.scenarios) {
    for (const t of Object.keys(sc.runs)) {
      const seen = new Set();
      for (const r of sc.runs[t] ?? []) {
        for (const n of [...(r.notes ?? []), ...(r.error ? [`error: ${r.error.split('\n')[0]}`] : [])]) {
          if (seen.has(n)) continue;
          seen.add(n);
          notes.push(`${sc.title}, ${LABEL[t]}: ${n}`);
        }
      }
    }
  }
  return notes;
}

function renderMarkdown(results) {
  const m = results.machine;
  const lines = [
    '# Tocsin benchmark results',
    '',
    ...(results.targets.tocsin?.skipReason
      ? [`**Alertmanager-only numbers: Tocsin was not measured (${results.targets.tocsin.skipReason}).**`, '']
      : []),
    `- Date: ${results.date}`,
    `- Command: \`${results.command}\``,
    `- Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memGiB} GiB RAM, load average at start ${m.loadavg}${m.loadavgEnd ? `, at end ${m.loadavgEnd}` : ''} (the machine is shared)`,
    `- Node ${m.node}; Alertmanager ${m.alertmanager}; Tocsin commit ${m.commit}`,
    `- Repetitions: ${results.reps} per target, alternating Tocsin and Alertmanager; each repetition starts a fresh server on 127.0.0.1 with empty storage.`,
    `- Mode: ${results.quick ? 'quick (smoke run, reduced sizes, numbers not judged)' : 'full'}`,
    '',
    'Cells are the median over repetitions with (min–max). T/AM = Tocsin median / Alertmanager median; ↑ higher is better, ↓ lower is better.',
    'Server CPU and RSS are read from /proc/<pid>/stat and /proc/<pid>/status (VmHWM = peak); generator CPU is the harness process (process.cpuUsage) as a percentage of one core: near 100% means the load generator, not the server, was the limit.',
    '',
    ...(results.scenarios.some((sc) => !sc.targets) ? [renderMarkdownTable(tableData(results)), ''] : []),
  ];
  const ha = haTableData(results);
  if (ha) lines.push(`## ${HA_TITLE}`, '', HA_INTRO, '', renderMarkdownTable(ha), '');
  for (const [key, title] of IN_PROCESS) {
    if (results[key]) lines.push(`## ${title}`, '', renderInProcess(title, results[key], 'md'), '');
  }
  if (results.ui) lines.push('## 8. Web UI in Chromium (bench/ui.ts)', '', renderUi(results.ui, 'md'), '');
  const notes = notesOf(results);
  if (notes.length) lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

const HA_TITLE = '9. HA on PostgreSQL (issue 13): Tocsin on SQLite, on PostgreSQL with 1 and 3 replicas, Alertmanager';
const HA_INTRO = [
  'Each PostgreSQL repetition creates a fresh database on the machine\'s server (127.0.0.1:5432), starts 1 or 3 Tocsin',
  'processes on it (`--tocsin.storage.url`), waits until the replicas list each other as peers, and drops the database',
  'after. The load generator posts every batch to every replica, as Prometheus does: a batch counts once all replicas',
  'accepted it. Targets: PG1/AM ingest ≥ 1.00; PG3/PG1 ingest ≥ 0.70. Notify: every alert exactly once at the sink.',
].join(' ');

/** In-process benches of other areas (Tocsin only): [results key, title]. */
const IN_PROCESS = [
  ['templates', '7. Templates (Tocsin only, bench/templates.ts)'],
  ['micro', 'Micro benchmarks (Tocsin only, bench/micro)'],
];

function renderInProcess(title, t, mode) {
  if (t.na) return mode === 'md' ? `n/a (${t.na})` : `${title}: n/a (${t.na})`;
  const rows = t.rows.map((r) => [r.name, fmt(r.usPerOp)]);
  if (mode === 'md') {
    return ['| operation | µs per op |', '|---|---|', ...rows.map((r) => `| ${r[0]} | ${r[1]} |`)].join('\n');
  }
  const w = Math.max(9, ...rows.map((r) => r[0].length));
  return [title, `${'operation'.padEnd(w)}  µs/op`, ...rows.map((r) => `${r[0].padEnd(w)}  ${r[1]}`)].join('\n');
}

/** The UI timing table (bench/ui.ts through run.js): one row per measure, a column per target. */
function renderUi(ui, mode) {
  const title = '8. Web UI in Chromium (bench/ui.ts)';
  if (ui.na) return mode === 'md' ? `n/a (${ui.na})` : `${title}: n/a (${ui.na})`;
  const head = ['measure', 'target', 'Tocsin ms', 'Alertmanager ms', 'T/AM'];
  const rows = ui.rows.map((r) => {
    const t = r.ms.tocsin;
    const a = r.ms.alertmanager;
    return [
      r.name,
      r.target ? `< ${r.target}` : '',
      t === undefined ? 'n/a' : fmt(t),
      a === undefined ? 'n/a' : fmt(a),
      t !== undefined && a ? (t / a).toFixed(2) : '',
    ];
  });
  const sub = `${ui.alerts} alerts in ${ui.groups} groups`;
  if (mode === 'md') {
    return [sub, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  }
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(w[i])).join('  ');
  return [`${title}, ${sub}`, line(head), ...rows.map(line)].join('\n');
}

module.exports = { renderUi, fmt, aggregateCell, buildRows, buildHaRows, renderConsole, renderHaConsole, renderMarkdown, renderInProcess, IN_PROCESS, notesOf };
