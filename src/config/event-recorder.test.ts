import { ConfigError } from '../types/errors';
import { loadConfigString } from './loader';

const BASE = 'route: {receiver: r}\nreceivers: [{name: r}]\n';

function problems(block: string): string[] {
  try {
    loadConfigString(BASE + block, '/etc/am/alertmanager.yml');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    throw e;
  }
  return [];
}

describe('event_recorder (upstream eventrecorder.Config)', () => {
  test('decodes every output kind upstream documents, with paths resolved against the config file', () => {
    const { config } = loadConfigString(
      `${BASE}event_recorder:
  file_outputs:
    - path: events.jsonl
  webhook_outputs:
    - url: https://user:pw@sink.example/hook?token=x
      timeout: 5s
      workers: 1
      max_retries: 5
      retry_backoff: 1s
      batch: true
      batch_max_events: 10
      batch_max_bytes: 2048
      batch_flush_interval: 250ms
      http_config: {authorization: {credentials: tok}}
  stdout_outputs:
    - {}
`,
      '/etc/am/alertmanager.yml',
    );
    const er = config.event_recorder!;
    expect(er.file_outputs).toEqual([{ path: '/etc/am/events.jsonl' }]);
    expect(er.stdout_outputs).toHaveLength(1);
    const w = er.webhook_outputs![0]!;
    expect(w.url!.reveal()).toBe('https://user:pw@sink.example/hook?token=x');
    expect(w).toMatchObject({ timeout: 5000, workers: 1, max_retries: 5, retry_backoff: 1000, batch: true, batch_max_events: 10, batch_max_bytes: 2048, batch_flush_interval: 250 });
    expect(w.http_config?.authorization?.credentials?.reveal()).toBe('tok');
  });

  test('an empty stdout item (`- `) is one stdout output, as yaml.v2 decodes it', () => {
    const { config } = loadConfigString(`${BASE}event_recorder:\n  stdout_outputs:\n    -\n`, 'am.yml');
    expect(config.event_recorder!.stdout_outputs).toHaveLength(1);
  });

  test('upstream validation messages, located at file:line:column', () => {
    expect(problems('event_recorder:\n  file_outputs:\n    - {}\n')).toEqual(['5:7 event_recorder file output requires a path']);
    expect(problems('event_recorder:\n  webhook_outputs:\n    - timeout: 1s\n')).toEqual(['5:7 event_recorder webhook output requires a url']);
    expect(problems('event_recorder:\n  webhook_outputs:\n    - url: http://x/h\n      batch_max_events: 5\n')).toEqual(['5:7 event_recorder webhook batch settings require batch: true']);
    expect(problems('event_recorder:\n  webhook_outputs:\n    - url: http://x/h\n      batch: true\n      batch_max_bytes: -1\n')).toEqual(['5:7 event_recorder webhook batch settings cannot be negative']);
    expect(problems('event_recorder:\n  webhook_outputs:\n    - url: ftp://x/h\n')).toEqual(['5:12 unsupported scheme "ftp" for URL']);
    expect(problems('event_recorder:\n  file_output:\n    - path: x\n')[0]).toMatch(/^4:3 field file_output not found/);
  });

  test('kafka_outputs are refused with a clear error at the entry', () => {
    const [p, ...rest] = problems('event_recorder:\n  kafka_outputs:\n    - brokers: [k:9092]\n      topic: am\n');
    expect(rest).toEqual([]);
    expect(p).toBe('5:7 event_recorder kafka outputs are not supported by Tocsin');
  });
});
