/**
 * Re-created from upstream inhibit_test.go and silence_test.go (reference §14.3, §14.4).
 * Silences go through the real API (POST /api/v2/silences, DELETE /api/v2/silence/{id}), set on the timeline.
 */
import { eq, re } from './support/fixtures';
import { describeScenarios, runScenario } from './support/run';
import { alert, between } from './support/timeline';

const inhibitConf = (rules: string) => `
route:
  receiver: default
  group_by: []
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1s
receivers:
  - name: default
    webhook_configs:
      - url: "{{wh}}"
inhibit_rules:
${rules}
`;
const jobDownRule = `  - source_match: {alertname: JobDown}
    target_match: {alertname: InstanceDown}
    equal: [job, zone]`;

const silenceConf = `
route: {receiver: default, group_by: [], group_wait: 1s, group_interval: 1s, repeat_interval: 1ms}
receivers: [{name: default, webhook_configs: [{url: "{{wh}}"}]}]
`;

describeScenarios('acceptance: inhibit', {
  'TestInhibiting': () =>
    runScenario({
      config: inhibitConf(jobDownRule),
      collectors: ['wh'],
      define({ am, tl, co }) {
        const t1 = () => alert('alertname', 'test1', 'job', 'testjob', 'zone', 'aa');
        const idAA = () => alert('alertname', 'InstanceDown', 'job', 'testjob', 'zone', 'aa');
        const idAB = () => alert('alertname', 'InstanceDown', 'job', 'testjob', 'zone', 'ab');
        const jd = () => alert('alertname', 'JobDown', 'job', 'testjob', 'zone', 'aa');
        tl.at(1, () => am.push(t1().active(1), idAA().active(1), idAB().active(1)));
        tl.at(2.2, () => am.push(jd().active(2.2)));
        tl.at(3.6, () => am.push(jd().active(2.2, 3.6)));
        co.wh!.want(between(2, 2.5), t1().active(1), idAA().active(1), idAB().active(1));
        co.wh!.want(between(3, 3.5), t1().active(1), idAB().active(1), jd().active(2.2));
        co.wh!.want(between(4, 4.5), t1().active(1), idAA().active(1), idAB().active(1), jd().active(2.2, 3.6));
      },
    }),

  'TestAlwaysInhibiting': () =>
    runScenario({
      config: inhibitConf(jobDownRule),
      collectors: ['wh'],
      define({ am, tl, co }) {
        const id = () => alert('alertname', 'InstanceDown', 'job', 'testjob', 'zone', 'aa');
        const jd = () => alert('alertname', 'JobDown', 'job', 'testjob', 'zone', 'aa');
        tl.at(1, () => am.push(id().active(1), jd().active(1)));
        tl.at(2.6, () => am.push(id().active(1, 2.6), jd().active(1, 2.6)));
        co.wh!.want(between(2, 2.5), jd().active(1));
        co.wh!.want(between(3, 3.5), id().active(1, 2.6), jd().active(1, 2.6));
      },
    }),

  'TestEmptyInhibitionRule: `- ` loads and nothing is sent': () =>
    runScenario({
      config: inhibitConf('  -'),
      collectors: ['wh'],
      define({ co }) {
        co.wh!.want(between(0, 1.5));
      },
    }),
});

describeScenarios('acceptance: silence', {
  'TestSilencing': () =>
    runScenario({
      config: silenceConf,
      collectors: ['wh'],
      define({ am, tl, co }) {
        const a = (n: string) => alert('alertname', n).active(1);
        tl.at(1, () => am.push(a('test1'), a('test2')));
        co.wh!.want(between(2, 2.5), a('test1'), a('test2'));
        tl.at(2.3, () => am.setSilence('s1', 2.5, 4.5, [eq('alertname', 'test1')]));
        co.wh!.want(between(3, 3.5), a('test2'));
        co.wh!.want(between(4, 4.5), a('test2'));
        co.wh!.want(between(5, 5.5), a('test1'), a('test2'));
      },
    }),

  'TestSilenceDelete': () =>
    runScenario({
      config: silenceConf,
      collectors: ['wh'],
      define({ am, tl, co }) {
        const a = (n: string) => alert('alertname', n).active(1);
        tl.at(1, () => am.push(a('test1'), a('test2')));
        tl.at(1.3, () => am.setSilence('s1', 1.5, 100, [re('alertname', '.+')]));
        tl.at(3.5, () => am.delSilence('s1'));
        co.wh!.want(between(2, 3.4));
        co.wh!.want(between(3.5, 4.5), a('test1'), a('test2'));
      },
    }),
});
