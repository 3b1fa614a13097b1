/**
 * UI timing: the alerts page with 10k alerts in 1k groups, in real Chromium, against a real backend
 * (Alertmanager by default; `backend: 'tocsin'` runs bin/tocsin from dist/).
 *
 *   first screen  page.goto → first alert rows rendered (wall clock in the harness; target < 1 s)
 *   filter change Enter in the filter bar → list re-rendered for the new server-side filter (target < 300 ms)
 *
 * Called by the bench harness through `runUiBench({ quick })` (bench/lib/ts-require.js), or directly:
 *   node -e "require('./bench/lib/ts-require').requireTs('./bench/ui.ts').runUiBench({}).then(r => console.table(r))"
 */
import type { Page } from 'playwright-core';
import { type SeedAlert, launchChromium, postAlerts, startBackend } from '../test/ui/harness';

export interface UiBenchRow {
  name: string;
  ms: number;
  /** all samples, ms */
  samples: number[];
  target?: number;
}

export interface UiBenchOptions {
  quick?: boolean;
  /** 'alertmanager' (default), 'tocsin' or a URL of a running server */
  backend?: string;
  alerts?: number;
  groups?: number;
  reps?: number;
}

const CONFIG = `
route:
  receiver: default
  group_by: [group]
  group_wait: 1h
  group_interval: 1h
receivers:
  - name: default
`;

export function makeAlerts(n: number, groups: number): SeedAlert[] {
  const per = Math.max(1, Math.floor(n / groups));
  const out: SeedAlert[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      labels: {
        alertname: `Alert${i % per}`,
        group: `g${Math.floor(i / per)}`,
        instance: `host-${i}.example.com:9100`,
        job: 'node',
        severity: i % 3 === 0 ? 'critical' : 'warning',
        team: `team-${i % 7}`,
      },
      annotations: { summary: `Alert ${i} is firing`, description: `Something happened on host-${i}; see https://runbooks.example.com/${i}` },
      generatorURL: `http://prometheus.example.com/graph?g0.expr=up%7Binstance%3D%22host-${i}%22%7D`,
    });
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function waitRendered(page: Page, queryPart: string): Promise<void> {
  await page.waitForFunction(
    (q) => {
      const m = document.querySelector('main');
      return m?.getAttribute('data-state') === 'ready' && (m.getAttribute('data-query') ?? '').includes(q) && document.querySelector('.alert-row') !== null;
    },
    queryPart,
    { timeout: 30000, polling: 'raf' },
  );
}

export async function runUiBench(opts: UiBenchOptions = {}): Promise<UiBenchRow[]> {
  const n = opts.alerts ?? 10000;
  const groups = opts.groups ?? 1000;
  const reps = opts.reps ?? (opts.quick ? 2 : 5);
  const backend = await startBackend(CONFIG, { kind: opts.backend });
  const browser = await launchChromium();
  try {
    await postAlerts(backend.apiUrl, makeAlerts(n, groups));
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    // warm-up (first Chromium start, server caches)
    await page.goto(`${backend.uiUrl}?warm#/alerts`);
    await waitRendered(page, 'active=true');

    const first: number[] = [];
    const serverMs: number[] = [];
    const clientMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await page.goto(`${backend.uiUrl}?r=${i}#/alerts`);
      await waitRendered(page, 'active=true');
      first.push(performance.now() - t0);
      // split: the groups request (server + transfer) vs everything the page does itself
      const split = await page.evaluate(() => {
        const res = performance.getEntriesByType('resource').find((e) => e.name.includes('/alerts/groups')) as PerformanceResourceTiming | undefined;
        const mark = performance.getEntriesByName('tocsin:alerts-rendered')[0];
        return res && mark ? { server: res.responseEnd - res.startTime, total: mark.startTime } : null;
      });
      if (split) {
        serverMs.push(split.server);
        clientMs.push(split.total - split.server);
      }
    }
    const count = await page.evaluate(() => document.querySelector('.summary')?.textContent ?? '');
    if (!count.includes(`${groups} groups, ${n} alerts`)) throw new Error(`alerts page shows "${count}", expected ${groups} groups, ${n} alerts`);

    const filters = ['group="g500"', 'alertname="Alert3", severity="critical"', 'team=~"team-[12]"', 'instance="host-9999.example.com:9100"'];
    const filterMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      for (const f of filters) {
        await page.fill('#alert-filter', f);
        const expect = new URLSearchParams(f.split(', ').map((x) => ['filter', x])).toString();
        const t0 = performance.now();
        await page.press('#alert-filter', 'Enter');
        await waitRendered(page, expect);
        filterMs.push(performance.now() - t0);
      }
    }
    // back to everything (the full 10k response again)
    const clearMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      await page.fill('#alert-filter', 'group="g1"');
      await page.press('#alert-filter', 'Enter');
      await waitRendered(page, 'g1');
      await page.fill('#alert-filter', '');
      const t0 = performance.now();
      await page.press('#alert-filter', 'Enter');
      await page.waitForFunction(() => !(document.querySelector('main')?.getAttribute('data-query') ?? '').includes('filter') && document.querySelector('main')?.getAttribute('data-state') === 'ready', null, { polling: 'raf' });
      clearMs.push(performance.now() - t0);
    }
    // scroll to the middle of the list: time until the rows there are on screen
    const scrollMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      scrollMs.push(
        await page.evaluate(async (k) => {
          const sc = document.getElementById('alert-list')!;
          const t0 = performance.now();
          sc.scrollTop = (sc.scrollHeight * (k + 1)) / 7;
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          return performance.now() - t0;
        }, i),
      );
    }
    await ctx.close();
    return [
      { name: `alerts page first screen (${n} alerts / ${groups} groups)`, ms: median(first), samples: first, target: 1000 },
      { name: '  of which: GET /alerts/groups (server + transfer)', ms: median(serverMs), samples: serverMs },
      { name: '  of which: page load, parse and render', ms: median(clientMs), samples: clientMs },
      { name: 'filter change (narrowing, server-side)', ms: median(filterMs), samples: filterMs, target: 300 },
      { name: `filter cleared (all ${n} alerts again)`, ms: median(clearMs), samples: clearMs },
      { name: 'scroll jump to mid-list (2 frames)', ms: median(scrollMs), samples: scrollMs },
    ];
  } finally {
    await browser.close();
    await backend.stop();
  }
}
