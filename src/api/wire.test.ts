import type { GettableAlert, GettableAlertStatus, GettableSilence } from '../wire/api';
import { gettableAlertJson } from './alerts';
import { gettableSilenceJson } from './silences';

/**
 * The JSON the server writes by hand has exactly the fields of the shared wire types that tocsinctl and the UI
 * read (src/wire/api.ts): the key lists are checked against the types at compile time.
 */
const ALERT_KEYS: Record<keyof GettableAlert, true> = {
  annotations: true, endsAt: true, fingerprint: true, receivers: true, startsAt: true, status: true, updatedAt: true, generatorURL: true, labels: true,
};
const STATUS_KEYS: Record<keyof GettableAlertStatus, true> = { inhibitedBy: true, mutedBy: true, silencedBy: true, state: true };
const SILENCE_KEYS: Record<keyof GettableSilence, true> = {
  id: true, status: true, updatedAt: true, annotations: true, comment: true, createdBy: true, endsAt: true, matchers: true, startsAt: true,
};

describe('server JSON and the shared wire types', () => {
  it('a gettable alert has the fields of GettableAlert', () => {
    const t = Date.parse('2026-01-01T00:00:00Z');
    const a = { labels: { alertname: 'A' }, annotations: {}, startsAt: t, endsAt: t + 1, updatedAt: t, generatorURL: 'http://x/', timeout: false, fingerprint: '0123456789abcdef' };
    const json = JSON.parse(gettableAlertJson(a, { state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [] }, ['r'])) as GettableAlert;
    expect(Object.keys(json).sort()).toEqual(Object.keys(ALERT_KEYS).sort());
    expect(Object.keys(json.status).sort()).toEqual(Object.keys(STATUS_KEYS).sort());
  });

  it('a gettable silence has the fields of GettableSilence', () => {
    const t = Date.parse('2026-01-01T00:00:00Z');
    const s = {
      id: '4a4a4a4a-4a4a-4a4a-4a4a-4a4a4a4a4a4a',
      matcherSets: [[{ type: '=', name: 'a', value: 'b' }]],
      startsAt: t,
      endsAt: t + 1,
      updatedAt: t,
      createdBy: 'me',
      comment: 'c',
      annotations: { k: 'v' },
    };
    const json = JSON.parse(gettableSilenceJson(s as never, 'active')) as GettableSilence;
    expect(Object.keys(json).sort()).toEqual(Object.keys(SILENCE_KEYS).sort());
  });
});
