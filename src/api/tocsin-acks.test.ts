import { decodeAckBody } from './tocsin-acks';

const NOW = Date.parse('2026-12-06T05:00:00Z');
const ok = { groupKey: '{}:{a="b"}', receiver: 'team', createdBy: 'alice', comment: 'on it' };

describe('POST /api/v2/tocsin/acks body', () => {
  test('a valid body, with and without endsAt', () => {
    expect(decodeAckBody(JSON.stringify(ok), NOW)).toEqual(ok);
    expect(decodeAckBody(JSON.stringify({ ...ok, endsAt: '2026-12-06T06:00:00Z' }), NOW)).toEqual({ ...ok, endsAt: NOW + 3600_000 });
  });

  test.each([
    ['not JSON', '{', 'body: not JSON'],
    ['an array', '[]', 'body: must be a JSON object'],
    ['no groupKey', JSON.stringify({ ...ok, groupKey: undefined }), 'groupKey: required'],
    ['empty receiver', JSON.stringify({ ...ok, receiver: ' ' }), 'receiver: must not be empty'],
    ['numeric createdBy', JSON.stringify({ ...ok, createdBy: 1 }), 'createdBy: must be a string'],
    ['no comment', JSON.stringify({ ...ok, comment: undefined }), 'comment: required'],
    ['bad endsAt', JSON.stringify({ ...ok, endsAt: 'tomorrow' }), 'endsAt: '],
    ['past endsAt', JSON.stringify({ ...ok, endsAt: '2026-12-06T04:00:00Z' }), 'endsAt: must be in the future'],
    ['unknown field', JSON.stringify({ ...ok, startsAt: 'x' }), 'startsAt: unknown field'],
  ])('%s: 400 naming the field', (_n, text, message) => {
    expect(() => decodeAckBody(text, NOW)).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining(message) }));
  });
});
