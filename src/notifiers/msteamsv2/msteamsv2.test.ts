import { join, resolve } from 'node:path';
import { runNotifierContract } from '../contract';
import { goMarshal } from '../../types/go-json';
import { FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, recordingLogger, rendererFor } from '../testing/fixtures';
import { MSTeamsV2Notifier } from './notifier';
import { buildMSTeamsV2Message } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/msteamsv2');
const SECRET = 'workflows/triggers/manual/paths/invoke?sig=s3cr3tSig';

function teams(item: Record<string, unknown>, o: { userAgent?: string; logger?: ReturnType<typeof recordingLogger>['logger']; timeout?: number } = {}) {
  return new MSTeamsV2Notifier(integrationConfig('msteamsv2', item), {
    userAgent: o.userAgent ?? 'Alertmanager/test',
    logger: o.logger ?? recordingLogger().logger,
    render: (ctx, alerts) => rendererFor(ctx, alerts),
    ...(o.timeout ? { timeout: o.timeout } : {}),
  });
}
const everyField = (url: string) => ({ webhook_url: `${url}/${SECRET}`, title: '{{ .Status }} & {{ .GroupLabels.alertname }}', text: '{{ .CommonAnnotations.summary }}' });

runNotifierContract({
  name: 'msteamsv2',
  create: ({ url, userAgent, timeout, logger }) => teams({ webhook_url: `${url}/${SECRET}` }, { userAgent, logger, timeout }),
  secrets: ['s3cr3tSig'],
  expectRequest: (r) => expect(r.url).toBe(`/${SECRET}`),
  goldens: [
    { name: 'defaults, firing', file: join(GOLDEN, 'default-firing.golden.json'), alerts: FIRING },
    { name: 'defaults, resolved', file: join(GOLDEN, 'default-resolved.golden.json'), alerts: RESOLVED },
    { name: 'defaults, mixed', file: join(GOLDEN, 'default-mixed.golden.json'), alerts: MIXED },
    { name: 'every field, mixed', file: join(GOLDEN, 'every-field-mixed.golden.json'), alerts: MIXED, create: ({ url, userAgent, logger }) => teams(everyField(url), { userAgent, logger }) },
    { name: 'every field, resolved', file: join(GOLDEN, 'every-field-resolved.golden.json'), alerts: RESOLVED, create: ({ url, userAgent, logger }) => teams(everyField(url), { userAgent, logger }) },
  ],
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
