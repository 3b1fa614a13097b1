/**
 * Fuzz: the alertmanager.yml loader (startup, /-/reload, tocsinctl check-config) on mutated and generated files
 * loads or throws ConfigError with located problems; never another exception, never beyond a time budget.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadConfigString } from '../../src/config/loader';
import { ConfigError } from '../../src/types/errors';
import { expectOnly, fuzzParams } from './budget';

const BUDGET_MS = 2000;
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'config', 'conf.kitchen-sink.yml');
const KITCHEN = readFileSync(FIXTURE, 'utf8');

function loadsOrConfigError(text: string): void {
  const e = expectOnly(ConfigError, () => loadConfigString(text, FIXTURE), text, BUDGET_MS);
  for (const p of (e as ConfigError | undefined)?.problems ?? []) {
    expect(Number.isInteger(p.line) && Number.isInteger(p.column)).toBe(true);
    expect(typeof p.message).toBe('string');
  }
}

/** YAML-significant pieces to splice into a real file */
const PIECES = [':', ': ', '- ', ' ', '  ', '\n', '\n  ', '&a ', '*a', '<<: *a', '[', ']', '{', '}', ',', '"', "'", '|', '>', '!!str ', '!!int ', '~', '#', '? ', '0', '-1', '1e9', '99999999999999999999', '5m', '1y', 'null', 'true', 'yes', '\t', '"\\u0000"', '.*', '(', '=~', 'x', '😀', '%', '@', '---\n', '...\n'];

const mutated = fc
  .array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 3 })), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    let t = KITCHEN;
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins.join('') + t.slice(i + del);
    }
    return t;
  });

/** generated documents from the config's own vocabulary, so decoding gets past the first key */
const KEYS = ['route', 'receivers', 'receiver', 'routes', 'name', 'matchers', 'match', 'match_re', 'group_by', 'group_wait', 'group_interval', 'repeat_interval', 'continue', 'mute_time_intervals', 'active_time_intervals', 'time_intervals', 'inhibit_rules', 'source_matchers', 'target_matchers', 'equal', 'global', 'resolve_timeout', 'http_config', 'webhook_configs', 'email_configs', 'slack_configs', 'pagerduty_configs', 'url', 'to', 'api_url', 'send_resolved', 'max_alerts', 'templates', 'times', 'weekdays', 'start_time', 'end_time', 'location', 'basic_auth', 'oauth2', 'tls_config', 'proxy_url', 'payload', 'details', 'fields'];
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('5m', 'default', 'a="b"', 'http://x/', 'monday:friday', '09:00', 'Europe/Berlin', '.*', '(', '1y'));
const { doc } = fc.letrec((tie) => ({
  doc: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), tie('doc')),
}));
const generated = doc.map((d) => stringify({ route: { receiver: 'r' }, receivers: [{ name: 'r' }], ...(d as object) }));

describe('alertmanager.yml loader (fuzz)', () => {
  test('mutations of the kitchen-sink config: loaded or ConfigError, within the budget', () => {
    fc.assert(fc.property(mutated, loadsOrConfigError), fuzzParams(60));
  });

  test('documents generated from config keys: loaded or ConfigError, within the budget', () => {
    fc.assert(fc.property(generated, loadsOrConfigError), fuzzParams(200));
  });

  test('deep nesting (free-form lists, route trees; to 3000 levels): loaded or ConfigError, within the budget', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 180, max: 220 })), fc.boolean(), (depth, routes) => {
        loadsOrConfigError(
          routes
            ? `route: {receiver: r, routes: [${'{routes: ['.repeat(depth)}${']}'.repeat(depth)}]}\nreceivers: [{name: r}]\n`
            : `route: {receiver: r}\nreceivers: [{name: r}]\ntracing: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
        );
      }),
      fuzzParams(40),
    );
  });

  test('random anchor graphs (alias bombs of any shape, in any block): refused or loaded within the budget', () => {
    const graph = fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(graph, fc.constantFrom('tracing', 'routes', 'payload'), (levels, where) => {
        // anchor i is a list (or a route's child list) of aliases to earlier anchors
        const item = (i: number, refs: number[]) => {
          const aliases = refs.map((r) => (i === 0 ? 'x' : `*a${r % i}`));
          return where === 'routes' ? `&a${i} {receiver: r, routes: [${i === 0 ? '' : aliases.join(', ')}]}` : `&a${i} [${aliases.join(', ')}]`;
        };
        const body = levels.map((refs, i) => (where === 'routes' ? `    - ${item(i, refs)}` : `    k${i}: ${item(i, refs)}`)).join('\n');
        const text =
          where === 'routes'
            ? `route:\n  receiver: r\n  routes:\n${body.replace(/^ {4}/gm, '  ')}\nreceivers: [{name: r}]\n`
            : where === 'tracing'
              ? `route: {receiver: r}\nreceivers: [{name: r}]\ntracing:\n${body.replace(/^ {4}/gm, '  ')}\n`
              : `route: {receiver: r}\nreceivers:\n  - name: r\n    webhook_configs:\n      - url: http://x/\n        payload:\n${body.replace(/^ {4}/gm, '          ')}\n`;
        loadsOrConfigError(text);
      }),
      fuzzParams(60),
    );
  });

  test('arbitrary text: loaded or ConfigError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), loadsOrConfigError), fuzzParams(200));
  });
});
