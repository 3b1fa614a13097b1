/**
 * Issue 3 acceptance: upstream's silence acceptance scenarios (test/with_api_v2/acceptance/silence_test.go,
 * TestSilencing and TestSilenceDelete) re-created on the REAL application (src/app App over HTTP, SQLite state)
 * with the real silences API: POST /api/v2/silences and DELETE /api/v2/silence/{id} on the timeline.
 * (test/acceptance/inhibit-silence.test.ts runs the first two through AppAlertmanager.setSilence/delSilence.)
 */
import type { AppAlertmanager } from '../acceptance/support/app-backend';
import { describeScenarios, runScenario } from '../acceptance/support/run';
import { alert, between } from '../acceptance/support/timeline';

const silenceConf = `
route: {receiver: default, group_by: [], group_wait: 1s, group_interval: 1s, repeat_interval: 1ms}
receivers: [{name: default, webhook_configs: [{url: "{{wh}}"}]}]
`;

type M = { name: string; value: string; isRegex: boolean; isEqual?: boolean };

/** POST /api/v2/silences on the app, times in seconds after the timeline base; resolves to the new ID. */
async function addSilence(am: AppAlertmanager, start: number, end: number, matchers: M[], id?: string): Promise<string> {
  const res = await fetch(`${am.url}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...(id ? { id } : {}),
      matchers,
      startsAt: new Date(am.base + start * 1000).toISOString(),
      endsAt: new Date(am.base + end * 1000).toISOString(),
      createdBy: 'acceptance',
      comment: 'acceptance',
    }),
  });
  if (res.status !== 200) throw new Error(`POST /api/v2/silences: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { silenceID: string }).silenceID;
}

async function deleteSilence(am: AppAlertmanager, id: string): Promise<void> {
  const res = await fetch(`${am.url}/api/v2/silence/${id}`, { method: 'DELETE' });
  if (res.status !== 200) throw new Error(`DELETE /api/v2/silence/${id}: ${res.status} ${await res.text()}`);
}

describeScenarios('acceptance on the real app: silences via the API', {
  TestSilencing: () =>
    runScenario({
      config: silenceConf,
      collectors: ['wh'],
      define({ am, tl, co }) {
        const app = am as AppAlertmanager;
        const a = (n: string) => alert('alertname', n).active(1);
        tl.at(1, () => app.push(a('test1'), a('test2')));
        co.wh!.want(between(2, 2.5), a('test1'), a('test2'));
        // pending at 2.3, active from 2.5 to 4.5
        tl.at(2.3, () => addSilence(app, 2.5, 4.5, [{ name: 'alertname', value: 'test1', isRegex: false, isEqual: true }]));
        co.wh!.want(between(3, 3.5), a('test2'));
        co.wh!.want(between(4, 4.5), a('test2'));
        co.wh!.want(between(5, 5.5), a('test1'), a('test2'));
      },
    }),

  TestSilenceDelete: () =>
    runScenario({
      config: silenceConf,
      collectors: ['wh'],
      define({ am, tl, co }) {
        const app = am as AppAlertmanager;
        const a = (n: string) => alert('alertname', n).active(1);
        let id: Promise<string> | undefined;
        tl.at(1, () => app.push(a('test1'), a('test2')));
        tl.at(1.3, () => (id = addSilence(app, 1.5, 100, [{ name: 'alertname', value: '.+', isRegex: true, isEqual: true }])));
        tl.at(3.5, async () => deleteSilence(app, await id!));
        co.wh!.want(between(2, 3.4));
        co.wh!.want(between(3.5, 4.5), a('test1'), a('test2'));
      },
    }),

  'update in place: shortening an active silence ends the muting at the new end': () =>
    runScenario({
      config: silenceConf,
      collectors: ['wh'],
      define({ am, tl, co }) {
        const app = am as AppAlertmanager;
        const a = () => alert('alertname', 'test1').active(1);
        const m: M[] = [{ name: 'alertname', value: 'test1', isRegex: false, isEqual: true }];
        let id: Promise<string> | undefined;
        tl.at(0.5, () => (id = addSilence(app, 0.6, 100, m)));
        tl.at(1, () => app.push(a()));
        // same ID, same matchers, earlier end: upstream updates an active silence in place
        tl.at(2.2, async () => {
          const old = await id!;
          const same = await addSilence(app, 0.6, 2.6, m, old);
          if (same !== old) throw new Error(`update created a new silence ${same} instead of editing ${old}`);
        });
        co.wh!.want(between(1, 2.5));
        co.wh!.want(between(3, 3.5), a());
      },
    }),
});
