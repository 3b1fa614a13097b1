/**
 * The conversion of history events to upstream's event shape, for the events the app test does not produce:
 * expected values follow eventrecorder.proto and Go's protojson (uint64 and int64 as decimal strings, zero
 * values left out, enums by name, Timestamp RFC 3339 UTC trimmed to 0/3/6/9 fraction digits, Duration "Ns").
 */
import { createHash } from 'node:crypto';
import type { HistoryEvent } from '../../history/event';
import { parseMatchers } from '../../matchers/parse';
import type { Alert } from '../../types/alert';
import { durationJson, timestampJson, type UpstreamEventContext, upstreamEvents } from './upstream-event';

const ctx: UpstreamEventContext = { instance: 'am-0', hashAlert: (ls) => BigInt(Object.keys(ls).length), version: '1.2.3', buildContext: '(node=v20)' };
const T = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const alert: Alert = {
  labels: { alertname: 'Disk', severity: 'warning' },
  annotations: {},
  startsAt: Date.UTC(2026, 0, 2, 3, 0, 0),
  endsAt: Date.UTC(2026, 0, 2, 3, 4, 0),
  updatedAt: T,
  generatorURL: '',
  timeout: true,
  fingerprint: 'ffffffffffffffff',
};

describe('upstream event shape', () => {
  test('protojson scalars: Timestamp, Duration', () => {
    expect(timestampJson(T)).toBe('2026-01-02T03:04:05.678Z');
    expect(timestampJson(Date.UTC(2026, 0, 2))).toBe('2026-01-02T00:00:00Z');
    expect(timestampJson(0)).toBe('0001-01-01T00:00:00Z');
    expect(durationJson(14_400_000)).toBe('14400s');
    expect(durationJson(1500)).toBe('1.500s');
  });

  test('alert_resolved by resolve_timeout: GroupedAlert with details (resolved: true) and the group', () => {
    const e: HistoryEvent = {
      time: T,
      kind: 'alert_resolved',
      fingerprint: alert.fingerprint,
      labels: alert.labels,
      groupKey: '{}:{alertname="Disk"}',
      receiver: 'team',
      data: { by: 'resolve_timeout' },
      live: { alert, groupLabels: { alertname: 'Disk' } },
    };
    expect(upstreamEvents(e, ctx)).toEqual([
      {
        '@timestamp': '2026-01-02T03:04:05.678Z',
        instance: 'am-0',
        data: {
          alertResolved: {
            alert: {
              hash: '2',
              details: {
                fingerprint: '18446744073709551615',
                name: 'Disk',
                labels: { labels: [{ key: 'alertname', value: 'Disk' }, { key: 'severity', value: 'warning' }] },
                annotations: {},
                startsAt: '2026-01-02T03:00:00Z',
                endsAt: '2026-01-02T03:04:00Z',
                resolved: true,
              },
            },
            groupInfo: {
              groupKey: '{}:{alertname="Disk"}',
              groupLabels: { labels: [{ key: 'alertname', value: 'Disk' }] },
              groupId: createHash('sha256').update('{}:{alertname="Disk"}').digest('hex'),
              receiverName: 'team',
            },
          },
        },
      },
    ]);
  });

  test('inhibition_muted_alert: the rule (matchers by type, equal labels sorted, name), the muted alert, the inhibitor', () => {
    const rule = { name: 'crit-hides-warn', sourceMatchers: parseMatchers('severity="critical"'), targetMatchers: parseMatchers('severity=~"warn.*"'), equal: ['zone', 'cluster'] };
    const e: HistoryEvent = { time: T, kind: 'inhibition_muted_alert', fingerprint: '000000000000000a', labels: alert.labels, data: { inhibitedBy: '00000000000000ff' }, live: { inhibitRule: rule } };
    expect(upstreamEvents(e, ctx)[0]!.data).toEqual({
      inhibitionMutedAlert: {
        inhibitRules: [
          {
            sourceMatchers: [{ type: 'TYPE_EQUAL', name: 'severity', pattern: 'critical', rendered: 'severity="critical"' }],
            targetMatchers: [{ type: 'TYPE_REGEXP', name: 'severity', pattern: 'warn.*', rendered: 'severity=~"warn.*"' }],
            equalLabels: ['cluster', 'zone'],
            name: 'crit-hides-warn',
          },
        ],
        mutedAlert: { labels: { labels: [{ key: 'alertname', value: 'Disk' }, { key: 'severity', value: 'warning' }] }, fingerprint: '10' },
        inhibitingFingerprints: ['255'],
      },
    });
  });

  test('silence_updated, and silence_muted_alert once per muting silence', () => {
    const s = (id: string) => ({ id, matcherSets: [parseMatchers('job!="x"')], startsAt: T, endsAt: T + 3600_000, updatedAt: T, createdBy: 'ann', comment: '' });
    const up = upstreamEvents({ time: T, kind: 'silence_updated', silenceId: 'a', live: { silence: s('a') } }, ctx);
    const matcher = { type: 'TYPE_NOT_EQUAL', name: 'job', pattern: 'x', rendered: 'job!="x"' };
    // the empty comment is a zero value: left out
    expect(up[0]!.data).toEqual({
      silenceUpdated: {
        silence: { id: 'a', matchers: [matcher], startsAt: '2026-01-02T03:04:05.678Z', endsAt: '2026-01-02T04:04:05.678Z', updatedAt: '2026-01-02T03:04:05.678Z', createdBy: 'ann', matcherSets: [{ matchers: [matcher] }] },
      },
    });
    const muted = upstreamEvents({ time: T, kind: 'silence_muted_alert', fingerprint: '0000000000000001', labels: { a: 'b' }, silenceId: 'a', live: { silences: [s('a'), s('b')] } }, ctx);
    expect(muted.map((m) => (m.data as { silenceMutedAlert: { silence: { id: string } } }).silenceMutedAlert.silence.id)).toEqual(['a', 'b']);
  });

  test('a failed notification attempt and Tocsin-only kinds are not upstream events', () => {
    expect(upstreamEvents({ time: T, kind: 'notification', receiver: 'r', groupKey: 'g', data: { outcome: 'failure', integration: 'webhook', index: 0 } }, ctx)).toEqual([]);
    expect(upstreamEvents({ time: T, kind: 'config_reload', data: { success: true } }, ctx)).toEqual([]);
    expect(upstreamEvents({ time: T, kind: 'flush_skipped', receiver: 'r', groupKey: 'g' }, ctx)).toEqual([]);
  });

  test('a notification through the second integration: index as an int64 string', () => {
    const e: HistoryEvent = {
      time: T,
      kind: 'notification',
      receiver: 'r',
      groupKey: 'g',
      data: { outcome: 'success', integration: 'slack', index: 1, reason: 'all alerts resolved', firing: [], resolved: [alert.fingerprint] },
      live: { alerts: [alert], groupLabels: {}, repeatInterval: 3_600_000 },
    };
    const n = (upstreamEvents(e, ctx)[0]!.data as { notification: Record<string, unknown> }).notification;
    expect(n.integration).toEqual({ name: 'slack', index: '1' });
    expect(n.reason).toBe('NOTIFY_REASON_ALL_ALERTS_RESOLVED');
    expect(n.resolvedAlerts).toEqual([{ hash: '2' }]);
    expect(n.firingAlerts).toBeUndefined();
    expect(n.repeatInterval).toBe('3600s');
  });
});
