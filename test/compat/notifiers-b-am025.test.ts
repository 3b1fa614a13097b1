/**
 * Tocsin's golden payloads of the part-B notifiers against request bodies recorded from the real Alertmanager
 * 0.25 for the same config and alerts (see test/fixtures/notifiers/partb-alertmanager-0.25/README.md).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIR = resolve(__dirname, '../fixtures/notifiers');
const read = (...p: string[]) => readFileSync(join(DIR, ...p), 'utf8');

describe('part-B goldens equal what Alertmanager 0.25 sent', () => {
  test.each([
    ['opsgenie', 'default-mixed.golden.json', 'default-mixed'],
    ['opsgenie', 'every-field-mixed.golden.json', 'every-field-mixed'],
    ['victorops', 'default-mixed.golden.json', 'default-mixed'],
    ['victorops', 'every-field-mixed.golden.json', 'every-field-mixed'],
    ['telegram', 'default-mixed.golden.json', 'default-mixed'],
    ['telegram', 'html-escaped.golden.json', 'html-escaped'],
    ['discord', 'default-mixed.golden.json', 'default-mixed'],
    ['webex', 'default-mixed.golden.json', 'default-mixed'],
    ['wechat', 'default-mixed.golden.json', 'default-mixed'],
    ['wechat', 'every-field-mixed.golden.json', 'every-field-mixed'],
    ['wechat', 'markdown-mixed.golden.json', 'markdown-mixed'],
    ['sns', 'every-field-mixed.golden.txt', 'every-field-mixed'],
  ])('%s %s', (integration, golden, recorded) => {
    expect(read(integration, golden)).toBe(read(integration, 'alertmanager-0.25', `${recorded}.body`));
  });

  test.each(['default-mixed', 'every-field-mixed', 'html-mixed'])('pushover %s (query string; 0.25 has no device, ttl, monospace)', (name) => {
    const ours = read('pushover', `${name}.golden.txt`)
      .split('\n')
      .filter((l) => !/^(device|ttl|monospace)=/.test(l))
      .join('\n');
    expect(ours).toBe(read('pushover', 'alertmanager-0.25', `${name}.body`));
  });

  test('known 0.25-vs-master differences are only those', () => {
    // sns: aws-sdk-go v1 writes an empty map as `MessageAttributes=`; v2 (master) writes nothing
    expect(read('sns', 'alertmanager-0.25', 'default-mixed.body')).toBe(read('sns', 'default-mixed.golden.txt').replace('&Subject=', '&MessageAttributes=&Subject='));
    // webex: master templates room_id
    expect(read('webex', 'alertmanager-0.25', 'every-field-mixed.body')).toBe(read('webex', 'every-field-mixed.golden.json').replace('"roomId":"room-api"', '"roomId":"room-{{ .CommonLabels.job }}"'));
    // telegram: the 0.25 run had no message_thread_id
    expect(read('telegram', 'alertmanager-0.25', 'every-field-mixed.body')).toBe(read('telegram', 'every-field-mixed.golden.json').replace('"message_thread_id":"42",', ''));
  });
});
