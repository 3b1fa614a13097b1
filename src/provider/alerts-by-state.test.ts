import { Registry } from 'prom-client';
import type { Alert } from '../types/alert';
import { fingerprint } from '../types/fingerprint';
import { AlertMarker } from '../types/marker';
import { registerAlertsByState } from './alerts-by-state';

const T = Date.UTC(2026, 0, 1);

function alert(name: string, endsAt = T + 3600_000): Alert {
  const labels = { alertname: name };
  return { labels, annotations: {}, startsAt: T - 1000, endsAt, updatedAt: T, generatorURL: '', timeout: false, fingerprint: fingerprint(labels) };
}

describe('registerAlertsByState()', () => {
  test('the state of the last flush where the marker has one, the state now for the others; resolved alerts not counted', async () => {
    const alerts = [alert('flushed-active'), alert('flushed-silenced'), alert('new-a'), alert('new-b'), alert('new-suppressed'), alert('resolved', T - 1)];
    const marker = new AlertMarker();
    marker.setSilenced(alerts[0]!.fingerprint, []);
    marker.setSilenced(alerts[1]!.fingerprint, ['some-silence']);
    const asked: string[] = [];
    const registry = new Registry();
    registerAlertsByState(registry, {
      alerts: { all: () => alerts.values() },
      marker,
      clock: { now: () => T, setTimer: () => ({ cancel() {} }) },
      stateNow: (a) => {
        asked.push(a.labels.alertname!);
        return a.labels.alertname === 'new-suppressed' ? 'suppressed' : 'active';
      },
    });
    const text = await registry.getSingleMetricAsString('alertmanager_alerts');
    expect(text).toContain('alertmanager_alerts{state="active"} 3');
    expect(text).toContain('alertmanager_alerts{state="suppressed"} 2');
    expect(text).toContain('alertmanager_alerts{state="unprocessed"} 0');
    expect(asked).toEqual(['new-a', 'new-b', 'new-suppressed']);
  });
});
