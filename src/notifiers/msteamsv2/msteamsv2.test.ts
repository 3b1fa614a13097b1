import { resolve } from 'node:path';
import { runNotifierContract, standardGoldens } from '../contract';
import { goMarshal } from '../../go/json';
import { integrationConfig, MIXED, notifyContext, RESOLVED, templatedDeps, type TestDepsOptions } from '../testing/fixtures';
import { MSTeamsV2Notifier } from './notifier';
import { buildMSTeamsV2Message } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/msteamsv2');
const SECRET = 'workflows/triggers/manual/paths/invoke?sig=s3cr3tSig';

function teams(item: Record<string, unknown>, o: TestDepsOptions = {}) {
  return new MSTeamsV2Notifier(integrationConfig('msteamsv2', item), templatedDeps(o));
}
const everyField = (url: string) => ({ webhook_url: `${url}/${SECRET}`, title: '{{ .Status }} & {{ .GroupLabels.alertname }}', text: '{{ .CommonAnnotations.summary }}' });

runNotifierContract({
  name: 'msteamsv2',
  create: ({ url, userAgent, timeout, logger }) => teams({ webhook_url: `${url}/${SECRET}` }, { userAgent, logger, timeout }),
  secrets: ['s3cr3tSig'],
  expectRequest: (r) => expect(r.url).toBe(`/${SECRET}`),
  goldens: standardGoldens(GOLDEN, ({ url, userAgent, logger }) => teams(everyField(url), { userAgent, logger })),
});

describe('buildMSTeamsV2Message', () => {
  const r = { text: (s: string) => s };
  const now = notifyContext().now;
  test('the heading is Attention when firing, Good when resolved; contentUrl is null', () => {
    expect(goMarshal(buildMSTeamsV2Message({ title: 'T', text: 'X' }, r, MIXED, now))).toBe(
      '{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.2","body":[{"type":"TextBlock","text":"T","weight":"Bolder","size":"Medium","wrap":true,"style":"heading","color":"Attention"},{"type":"TextBlock","text":"X","wrap":true}],"msteams":{"width":"full"}}}]}',
    );
    expect(goMarshal(buildMSTeamsV2Message({}, r, RESOLVED, now))).toContain('"text":"","weight":"Bolder","size":"Medium","wrap":true,"style":"heading","color":"Good"}');
  });
});
