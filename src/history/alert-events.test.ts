import type { Alert } from '../types/alert';
import { recordAlertPut } from './alert-events';
import type { HistoryEvent } from './event';

function sink(): { events: HistoryEvent[]; record(e: HistoryEvent): void; committed(): Promise<void> } {
  const events: HistoryEvent[] = [];
  return { events, record: (e) => events.push(e), committed: async () => undefined };
}

const base: Alert = {
  labels: { alertname: 'Disk' },
  annotations: { summary: 'full' },
  startsAt: 1000,
  endsAt: 1000 + 300_000,
  updatedAt: 1000,
  generatorURL: '',
  timeout: false,
  fingerprint: 'f1',
};

describe('recordAlertPut', () => {
  it('records first seen, annotation changes and client resolution; not a re-send with a later endsAt', () => {
    const s = sink();
    recordAlertPut(s, undefined, base, 1000);
    // Prometheus re-sends every evaluation with endsAt moved forward: no event
    recordAlertPut(s, base, { ...base, endsAt: base.endsAt + 60_000, updatedAt: 61_000 }, 61_000);
    recordAlertPut(s, base, { ...base, annotations: { summary: 'fuller' } }, 62_000);
    recordAlertPut(s, base, { ...base, endsAt: 63_000 }, 63_000);
    // resolved again: nothing new
    recordAlertPut(s, { ...base, endsAt: 63_000 }, { ...base, endsAt: 63_000 }, 64_000);
    // fires again after resolving: first seen again
    recordAlertPut(s, { ...base, endsAt: 63_000 }, { ...base, startsAt: 65_000, endsAt: 0 }, 65_000);
    expect(s.events.map((e) => `${e.kind}@${e.time}`)).toEqual(['alert_created@1000', 'alert_changed@62000', 'alert_resolved@63000', 'alert_created@65000']);
    expect(s.events[2]).toMatchObject({ fingerprint: 'f1', labels: { alertname: 'Disk' }, data: { by: 'endsAt' } });
  });

  it('records nothing for an alert that arrives already resolved', () => {
    const s = sink();
    recordAlertPut(s, undefined, { ...base, endsAt: 500 }, 1000);
    expect(s.events).toEqual([]);
  });
});
