import { Formatter } from './formatters';
import { formatMatcher } from './strings';
import { alignColumns } from './tabwriter';

describe('alignColumns()', () => {
  test('pads tab-terminated cells to the widest cell plus 2, keeps trailing padding like Go tabwriter', () => {
    const out = alignColumns('ID\tMatchers\tComment\t\nabc\tx="1"\tlong comment\t');
    expect(out).toBe('ID   Matchers  Comment       \nabc  x="1"     long comment  ');
  });
  test('a line without a cell in a column ends that column block', () => {
    const out = alignColumns('Cluster Status:\tdisabled\nNode Name:\t\n\nAddress\tName\n1.2.3.4:9094\tn1\t\n');
    expect(out).toBe('Cluster Status:  disabled\nNode Name:       \n\nAddress       Name\n1.2.3.4:9094  n1  \n');
  });
  test('counts code points, not UTF-16 units', () => {
    expect(alignColumns('🙂\tx\nab\ty')).toBe('🙂   x\nab  y');
  });
});

describe('formatMatcher()', () => {
  test.each([
    [{ name: 'foo', value: 'bar', isRegex: false, isEqual: true }, 'foo="bar"'],
    [{ name: 'foo', value: 'bar', isRegex: false, isEqual: false }, 'foo!="bar"'],
    [{ name: 'foo', value: 'b.*', isRegex: true }, 'foo=~"b.*"'],
    [{ name: 'foo', value: 'b', isRegex: true, isEqual: false }, 'foo!~"b"'],
    [{ name: 'foo', value: 'a"b\\c\nd', isRegex: false, isEqual: true }, 'foo="a\\"b\\\\c\\nd"'],
    [{ name: 'foo bar', value: 'baz', isRegex: false, isEqual: true }, '"foo bar"="baz"'],
  ])('%j', (m, want) => {
    expect(formatMatcher(m)).toBe(want);
  });
});

describe('Formatter', () => {
  const sil = (id: string, endsAt: string) => ({
    id,
    status: { state: 'active' as const },
    updatedAt: '2026-01-01T00:00:00.000Z',
    comment: 'c',
    createdBy: 'me',
    startsAt: '2026-01-01T00:00:00.000Z',
    endsAt,
    matchers: [
      { name: 'a', value: 'b', isRegex: false, isEqual: true },
      { name: 'c', value: 'd', isRegex: true, isEqual: true },
    ],
  });
  const f = (output: 'simple' | 'extended' | 'json') =>
    new Formatter({ output, dateFormat: '2006-01-02 15:04:05 MST', timeZone: 'UTC' });

  test('silences: simple sorts by endsAt, extended shows the matcher list', () => {
    const list = [sil('id-2', '2026-01-03T00:00:00.000Z'), sil('id-1', '2026-01-02T00:00:00.000Z')];
    expect(f('simple').silences(list)).toBe(
      'ID    Matchers      Ends At                  Created By  Comment  \n' +
        'id-1  a="b" c=~"d"  2026-01-02 00:00:00 UTC  me          c        \n' +
        'id-2  a="b" c=~"d"  2026-01-03 00:00:00 UTC  me          c        \n',
    );
    expect(f('extended').silences(list).split('\n')[1]).toBe(
      'id-1  {a="b",c=~"d"}  2026-01-01 00:00:00 UTC  2026-01-02 00:00:00 UTC  2026-01-01 00:00:00 UTC  me          c        ',
    );
  });

  test('json puts keys in the order of the go-swagger structs, whatever the server sent', () => {
    const out = f('json').silences([sil('id-1', '2026-01-02T00:00:00.000Z')]);
    expect(Object.keys(JSON.parse(out)[0])).toEqual([
      'id',
      'status',
      'updatedAt',
      'comment',
      'createdBy',
      'endsAt',
      'matchers',
      'startsAt',
    ]);
    expect(out).toContain('{"isEqual":true,"isRegex":false,"name":"a","value":"b"}');
  });

  test('cluster extended sorts peers by address and port', () => {
    const out = f('extended').cluster({
      name: 'n0',
      status: 'ready',
      peers: [
        { name: 'b', address: '10.0.0.2:9094' },
        { name: 'a', address: '10.0.0.10:9094' },
        { name: 'c', address: '10.0.0.2:100' },
      ],
    });
    expect(out).toBe(
      'Cluster Status:  ready\nNode Name:       n0\n\nAddress         Name\n10.0.0.2:100    c  \n10.0.0.2:9094   b  \n10.0.0.10:9094  a  \n',
    );
  });
});

describe('Formatter dates', () => {
  test('a timestamp prints in the zone it carries (amtool does not convert to local time)', () => {
    const f = new Formatter({ output: 'simple', dateFormat: '2006-01-02 15:04:05 MST' });
    const alert = (startsAt: string) => ({
      labels: { alertname: 'a' },
      annotations: {},
      startsAt,
      endsAt: startsAt,
      updatedAt: startsAt,
      fingerprint: 'f',
      receivers: [],
      status: { state: 'active' as const, silencedBy: [], inhibitedBy: [] },
    });
    expect(f.alerts([alert('2026-01-02T03:04:05.000Z')])).toContain('2026-01-02 03:04:05 UTC');
    expect(f.alerts([alert('2026-01-02T03:04:05.000+01:30')])).toContain('2026-01-02 03:04:05 +0130');
  });
});
