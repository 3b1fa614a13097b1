import { join, resolve } from 'node:path';
import { runNotifierContract } from '../contract';
import { EXTERNAL_URL, FIRING, integrationConfig, MIXED, RESOLVED } from '../testing/fixtures';
import { WebhookNotifier } from './notifier';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/webhook');
const SECRET = 'hook-secret-7f3a';

runNotifierContract({
  name: 'webhook',
  create: ({ url, userAgent, timeout, logger }) =>
    new WebhookNotifier(integrationConfig('webhook', { url: `${url}/hook/${SECRET}`, timeout: `${timeout}ms` }), { externalURL: EXTERNAL_URL, userAgent, logger }),
  secrets: [SECRET],
  expectRequest: (r) => expect(r.url).toBe(`/hook/${SECRET}`),
  goldens: [
    { name: 'firing', file: join(GOLDEN, 'firing.golden.json'), alerts: FIRING },
    { name: 'resolved', file: join(GOLDEN, 'resolved.golden.json'), alerts: RESOLVED },
    { name: 'mixed', file: join(GOLDEN, 'mixed.golden.json'), alerts: MIXED },
  ],
});
