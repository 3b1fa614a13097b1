/**
 * Fuzz: the POST /api/v2/alerts and /api/v2/silences body decoders (src/api, imported only) on arbitrary text and
 * JSON either decode or refuse with a 400/422 in go-swagger's words; they never throw, and answer within a budget.
 */
import fc from 'fast-check';
import { decodePostableAlerts, isRefusal } from '../../src/api/postable-alerts';
import { decodePostableSilence } from '../../src/api/silences';
import { fuzzParams, timed } from './budget';

const BUDGET_MS = 500;

/** Go time strings: valid RFC 3339 with random parts, and near misses */
const timeText = fc.oneof(
  fc.date({ min: new Date(-62135596800000), max: new Date(253402300799000), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }), fc.constantFrom('Z', '+01:00', '-23:59', '+24:00', '', 'z'), fc.constantFrom('', '.5', '.123456789', '.1234567891', ',5'))
    .map(([y, mo, d, z, frac]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T12:34:56${frac}${z}`),
  fc.string({ maxLength: 30 }),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });
const field = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: anyJson });
const labelSet = fc.dictionary(fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/), fc.string({ maxLength: 8 })), field(fc.string({ maxLength: 12 })), { maxKeys: 4 });

const alertLike = fc.record(
  { labels: field(labelSet), annotations: field(labelSet), startsAt: field(timeText), endsAt: field(timeText), generatorURL: field(fc.oneof(fc.webUrl(), fc.string({ maxLength: 20 }))) },
  { requiredKeys: [] },
);
const matcherLike = fc.record(
  { name: field(fc.oneof(fc.constant('job'), fc.string({ maxLength: 8 }))), value: field(fc.oneof(fc.constantFrom('.*', '(', 'a|b', '[z-a]'), fc.string({ maxLength: 8 }))), isRegex: field(fc.boolean()), isEqual: field(fc.boolean()) },
  { requiredKeys: [] },
);
const silenceLike = fc.record(
  { id: field(fc.uuid()), matchers: field(fc.array(field(matcherLike), { maxLength: 3 })), startsAt: field(timeText), endsAt: field(timeText), createdBy: field(fc.string({ maxLength: 8 })), comment: field(fc.string({ maxLength: 8 })), annotations: field(labelSet) },
  { requiredKeys: [] },
);

/** a body: structured JSON, arbitrary JSON, or broken text around JSON */
const body = (structured: fc.Arbitrary<unknown>) =>
  fc.oneof(
    structured.map((v) => JSON.stringify(v)),
    anyJson.map((v) => JSON.stringify(v)),
    fc.tuple(structured.map((v) => JSON.stringify(v)), fc.string({ maxLength: 6 }), fc.nat()).map(([j, junk, at]) => {
      const i = at % (j.length + 1);
      return j.slice(0, i) + junk + j.slice(i);
    }),
    fc.string({ maxLength: 40 }),
  );

const OPTS = { now: Date.UTC(2026, 0, 1), resolveTimeout: 300_000, labelNameMode: 'fallback' as const };

describe('API body decoders (fuzz)', () => {
  test('decodePostableAlerts: a batch or a 400/422 refusal, never an exception', () => {
    fc.assert(
      fc.property(body(fc.oneof(fc.array(alertLike, { maxLength: 3 }), alertLike)), (text) => {
        let r: ReturnType<typeof decodePostableAlerts> | undefined;
        const ms = timed(() => {
          r = decodePostableAlerts(text, OPTS);
        });
        expect(ms).toBeLessThan(BUDGET_MS);
        if (isRefusal(r!)) {
          expect([400, 422]).toContain(r.status);
          expect(typeof r.body.message).toBe('string');
        } else {
          expect(r!.valid.length + r!.errors.length).toBeGreaterThanOrEqual(0);
        }
      }),
      fuzzParams(400),
    );
  });

  test('decodePostableSilence: a silence or a 400/422 refusal, never an exception', () => {
    fc.assert(
      fc.property(body(silenceLike), (text) => {
        let r: ReturnType<typeof decodePostableSilence> | undefined;
        const ms = timed(() => {
          r = decodePostableSilence(text);
        });
        expect(ms).toBeLessThan(BUDGET_MS);
        if ('status' in r!) {
          expect([400, 422]).toContain(r.status);
          expect(typeof r.message).toBe('string');
        } else expect(r!.input).toBeDefined();
      }),
      fuzzParams(400),
    );
  });
});
