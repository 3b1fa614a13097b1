#!/usr/bin/env node
'use strict';
// Tocsin vs Alertmanager benchmark harness (issue 8). `npm run bench` for the full run,
// `npm run bench -- --quick` for the one-minute smoke run. See bench/README.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const servers = require('./lib/servers');
const report = require('./lib/report');
const { requireTs } = require('./lib/ts-require');
const { runOne, probeTocsin, PG_VARIANTS, baseTarget } = require('./lib/runner');
const { pgUnreachableReason } = require('./lib/pg');
const { ingest64, ingest256, ingestPg } = require('./lib/scenarios/ingest');
const notify = require('./lib/scenarios/notify');

const SCENARIOS = [
  ingest64,
  ingest256,
  require('./lib/scenarios/ingest-new'),
  require('./lib/scenarios/scale'),
  notify,
  require('./lib/scenarios/silences'),
  require('./lib/scenarios/inhibition'),
  require('./lib/scenarios/startup'),
  require('./lib/scenarios/cli-startup'),
  require('./lib/scenarios/live'),
  ingestPg,
  notify.notifyPg,
];

/** Every target: the two servers, and Tocsin on PostgreSQL with 1 and 3 replicas (only in scenarios declaring them). */
const ALL_TARGETS = ['tocsin', 'alertmanager', ...Object.keys(PG_VARIANTS)];
/**
 * Scenarios left out of --quick unless named in --only: the PostgreSQL rows start 4 extra Tocsin processes and
 * re-measure SQLite and Alertmanager next to them (about 40 s more on 2 cores).
 */
const FULL_ONLY = new Set([ingestPg.id, notify.notifyPg.id]);

const USAGE = `usage: npm run bench -- [options]
  --quick              one-minute smoke run (1 repetition, reduced sizes)
  --reps N             repetitions per target (default 3, quick 1)
  --only a,b           run only these scenarios (${SCENARIOS.map((s) => s.id).join(', ')}, templates, micro, ui)
  --targets a,b        ${ALL_TARGETS.join(',')} (default all; tocsin-pg* run Tocsin on PostgreSQL, only in ingest-pg, notify-pg)
  --json FILE          where to write the JSON (default bench/out/bench-<timestamp>.json)
  --markdown FILE      also write the results as markdown (e.g. bench/RESULTS.md)
  --tocsin-dir DIR     run Tocsin from DIR/bin/tocsin and DIR/dist (e.g. a built snapshot of one commit)
  --render FILE        run nothing: print (and with --markdown write) the results saved in a JSON file
  --help`;

function parseArgs(argv) {
  const opts = {
    quick: false,
    reps: null,
    only: null,
    targets: ALL_TARGETS,
    json: null,
    markdown: null,
    render: null,
    tocsinDir: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--quick':
        opts.quick = true;
        break;
      case '--reps':
        opts.reps = Number(value());
        if (!Number.isInteger(opts.reps) || opts.reps < 1) throw new Error('--reps must be a positive integer');
        break;
      case '--only':
        opts.only = value().split(',');
        break;
      case '--targets':
        opts.targets = value().split(',');
        for (const t of opts.targets) if (!ALL_TARGETS.includes(t)) throw new Error(`unknown target ${t}`);
        break;
      case '--json':
        opts.json = value();
        break;
      case '--markdown':
        opts.markdown = value();
        break;
      case '--tocsin-dir':
        opts.tocsinDir = value();
        break;
      case '--render':
        opts.render = value();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  opts.reps ??= opts.quick ? 1 : 3;
  if (opts.only) {
    const known = new Set([...SCENARIOS.map((s) => s.id), 'templates', 'micro', 'ui']);
    for (const id of opts.only) if (!known.has(id)) throw new Error(`unknown scenario ${id}`);
  }
  return opts;
}

const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function machineFacts(tocsinRoot) {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: tocsinRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // not a checkout: a snapshot may say which commit it is in a COMMIT file
    const f = path.join(tocsinRoot, 'COMMIT');
    if (fs.existsSync(f)) commit = fs.readFileSync(f, 'utf8').trim();
  }
  return {
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    node: process.version,
    alertmanager: servers.alertmanagerVersion(),
    commit,
  };
}

/**
 * Runs an in-process TypeScript bench of another area (Tocsin only; no server needed) from the benched
 * Tocsin tree: `fn({quick})` must return [{name, usPerOp}].
 */
async function runInProcess(relFile, fn, quick) {
  const file = path.join(servers.TARGETS.tocsin.root, relFile);
  if (!fs.existsSync(file)) return { na: `${relFile} does not exist yet` };
  try {
    const mod = requireTs(file);
    if (typeof mod[fn] !== 'function') return { na: `${relFile} exports no ${fn}()` };
    const res = await mod[fn]({ quick });
    const list = Array.isArray(res) ? res : Object.entries(res ?? {}).map(([name, usPerOp]) => ({ name, usPerOp }));
    return { rows: list.map((r) => ({ name: String(r.name), usPerOp: Number(r.usPerOp ?? r.us ?? r.value) })) };
  } catch (err) {
    return { na: `${fn}() failed: ${err.message.split('\n')[0]}` };
  }
}

/**
 * Issue 7's UI timing (bench/ui.ts): the alerts page with 10k alerts in 1k groups (quick: one repetition), first screen
 * and filter change, in real Chromium, once per target. Returns {rows: [{name, target, ms: {tocsin, alertmanager}}]}.
 */
async function runUiBench(targets, quick) {
  const file = path.join(servers.TARGETS.tocsin.root, 'bench/ui.ts');
  if (!fs.existsSync(file)) return { na: 'bench/ui.ts does not exist' };
  if (!fs.existsSync('/usr/bin/chromium')) return { na: 'no /usr/bin/chromium' };
  const byName = new Map();
  try {
    const mod = requireTs(file);
    for (const t of targets) {
      const rows = await mod.runUiBench({ quick, backend: t, ...(quick ? { reps: 1 } : {}) });
      for (const r of rows) {
        const row = byName.get(r.name) ?? { name: r.name, target: r.target ?? null, ms: {} };
        row.ms[t] = r.ms;
        byName.set(r.name, row);
      }
    }
  } catch (err) {
    return { na: `runUiBench() failed: ${err.message.split('\n')[0]}` };
  }
  return { rows: [...byName.values()], alerts: 10000, groups: 1000 };
}

function printResults(results) {
  const m = results.machine;
  const mode = results.quick ? 'QUICK smoke run (numbers not judged)' : 'full run';
  console.log(`\nTocsin vs Alertmanager — ${mode}, ${results.reps} rep(s), ${results.elapsedS.toFixed(0)} s`);
  console.log(`${m.nproc} CPUs, ${m.memGiB} GiB, node ${m.node}, alertmanager ${m.alertmanager}, load ${m.loadavg}\n`);
  if (results.scenarios.some((sc) => !sc.targets)) console.log(report.renderConsole(results));
  const ha = report.renderHaConsole(results);
  if (ha) console.log(`\n${ha}`);
  for (const [key, title] of report.IN_PROCESS) {
    if (results[key]) console.log(`\n${report.renderInProcess(title, results[key], 'console')}`);
  }
  if (results.ui) console.log(`\n${report.renderUi(results.ui, 'console')}`);
  const notes = report.notesOf(results);
  if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}`);
}

function writeMarkdown(results, file) {
  fs.writeFileSync(file, report.renderMarkdown(results));
  console.log(`Markdown: ${file}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.render) {
    const results = JSON.parse(fs.readFileSync(opts.render, 'utf8'));
    printResults(results);
    if (opts.markdown) writeMarkdown(results, opts.markdown);
    return;
  }
  const t0 = performance.now();
  servers.ensureAlertmanager(log);
  if (opts.tocsinDir) servers.setTocsinRoot(opts.tocsinDir);
  const machine = machineFacts(servers.TARGETS.tocsin.root);
  const results = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    quick: opts.quick,
    reps: opts.reps,
    machine,
    targets: {},
    scenarios: [],
    templates: null,
    micro: null,
    ui: null,
  };
  const selected = SCENARIOS.filter((sc) => (opts.only ? opts.only.includes(sc.id) : !(opts.quick && FULL_ONLY.has(sc.id))));
  for (const t of ALL_TARGETS) results.targets[t] = { skipReason: null };
  for (const t of ALL_TARGETS) {
    if (!opts.targets.includes(t)) results.targets[t].skipReason = 'not selected (--targets)';
  }
  // Tocsin is probed when it runs in any form (on SQLite or as PostgreSQL replicas)
  const tocsinBroken = opts.targets.some((t) => baseTarget(t) === 'tocsin') ? await probeTocsin() : null;
  if (tocsinBroken) log(`Tocsin skipped: ${tocsinBroken}`);
  results.targets.tocsin.skipReason ??= tocsinBroken;
  const pgVariants = Object.keys(PG_VARIANTS).filter((t) => !results.targets[t].skipReason);
  if (pgVariants.length && selected.some((sc) => sc.targets?.some((t) => pgVariants.includes(t)))) {
    const why = tocsinBroken ?? (await pgUnreachableReason());
    for (const t of pgVariants) results.targets[t].skipReason = why;
    if (why) log(`PostgreSQL rows skipped: ${why}`);
  }
  const targets = opts.targets.filter((t) => !results.targets[t].skipReason);
  log(`targets: ${targets.join(', ') || 'none'}; ${opts.reps} repetition(s); ${opts.quick ? 'quick' : 'full'} mode`);

  for (const sc of selected) {
    const entry = { id: sc.id, title: sc.title, metrics: sc.metrics(opts.quick), runs: {} };
    if (sc.targets) Object.assign(entry, { targets: sc.targets, ratios: sc.ratios ?? [] });
    const scTargets = targets.filter((t) => (sc.targets ?? ['tocsin', 'alertmanager']).includes(t));
    for (const t of scTargets) entry.runs[t] = [];
    for (let rep = 1; rep <= opts.reps; rep++) {
      for (const t of scTargets) {
        const s = performance.now();
        const r = await runOne(sc, t, opts.quick);
        r.rep = rep;
        entry.runs[t].push(r);
        log(`${sc.id} rep ${rep} ${t}: ${r.error ? `ERROR ${r.error.split('\n')[0]}` : 'ok'} (${((performance.now() - s) / 1000).toFixed(1)} s)`);
      }
    }
    results.scenarios.push(entry);
  }
  if (!opts.only || opts.only.includes('templates')) {
    log('templates: runTemplateBench() from bench/templates.ts');
    results.templates = await runInProcess('bench/templates.ts', 'runTemplateBench', opts.quick);
  }
  if (!opts.only || opts.only.includes('micro')) {
    log('micro: runMicroBenches() from bench/micro/index.ts');
    results.micro = await runInProcess('bench/micro/index.ts', 'runMicroBenches', opts.quick);
  }
  if (!opts.only || opts.only.includes('ui')) {
    log('ui: runUiBench() from bench/ui.ts, in Chromium, against each target');
    results.ui = await runUiBench(
      targets.filter((t) => servers.TARGETS[t]),
      opts.quick,
    );
  }
  results.elapsedS = (performance.now() - t0) / 1000;
  results.machine.loadavgEnd = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

  printResults(results);

  const jsonPath = opts.json ?? path.join(__dirname, 'out', `bench-${results.date.replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nJSON: ${path.relative(process.cwd(), jsonPath)}`);
  if (opts.markdown) writeMarkdown(results, opts.markdown);
  // The harness is broken if Alertmanager (the reference) failed anywhere.
  const amFailed = results.scenarios.some((sc) => (sc.runs.alertmanager ?? []).some((r) => r.error));
  process.exitCode = amFailed ? 1 : 0;
}

main().catch((err) => {
  console.error(`bench: ${err.stack ?? err}`);
  servers.killAllSync();
  process.exitCode = 1;
});
