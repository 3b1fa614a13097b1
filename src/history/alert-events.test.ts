import type { Alert } from '../types/alert';
import { AlertCreated, expandEvents, recordAlertGrouped, recordAlertPut } from './alert-events';
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

describe('recordAlertGrouped', () => {
  it('gives a first-seen alert grouped in the same run of the event loop the time it was created; other groupings keep their time', async () => {
    const s = sink();
    const other = { ...base, fingerprint: 'f2' };
    recordAlertPut(s, undefined, base, 1000);
    recordAlertGrouped(s, base, '{}:{}', 'pager', 1002);
    // an alert not first seen in this run
    recordAlertGrouped(s, other, '{}:{}', 'pager', 1002);
    await new Promise((r) => setImmediate(r));
    // the same alert grouped again later (another route): its own time
    recordAlertGrouped(s, base, '{}:{team="db"}', 'mail', 1005);
    expect(expandEvents(s.events).map((e) => `${e.kind}:${e.fingerprint}:${e.receiver ?? ''}@${e.time}`)).toEqual([
      'alert_created:f1:@1000',
      'alert_grouped:f1:pager@1000',
      'alert_grouped:f2:pager@1002',
      'alert_grouped:f1:mail@1005',
    ]);
  });
});

describe('AlertCreated', () => {
  it("records a new alert and its first grouping in the same run as one object, expanded into both events", () => {
    const s = sink();
    recordAlertPut(s, undefined, base, 1000);
    recordAlertGrouped(s, base, '{}:{}', 'pager', 1001, { alertname: 'Disk' });
    expect(s.events).toHaveLength(1);
    const created = s.events[0]!;
    expect(created).toBeInstanceOf(AlertCreated);
    const [c, g, ...rest] = expandEvents(s.events);
    expect(rest).toEqual([]);
    expect(c).toBe(created);
    expect({ kind: c!.kind, time: c!.time, fingerprint: c!.fingerprint, labels: c!.labels, data: c!.data, groupKey: c!.groupKey, receiver: c!.receiver }).toEqual({
      kind: 'alert_created',
      time: 1000,
      fingerprint: 'f1',
      labels: { alertname: 'Disk' },
      data: { startsAt: 1000 },
      groupKey: undefined,
      receiver: undefined,
    });
    expect(c!.live?.alert).toBe(base);
    expect(g).toEqual({ time: 1000, kind: 'alert_grouped', fingerprint: 'f1', labels: { alertname: 'Disk' }, groupKey: '{}:{}', receiver: 'pager', live: { alert: base, groupLabels: { alertname: 'Disk' } } });
  });

  it('leaves a batch without such events as it is', () => {
    const events = [{ time: 1, kind: 'alert_changed' as const, fingerprint: 'f1' }];
    expect(expandEvents(events)).toBe(events);
  });
});
