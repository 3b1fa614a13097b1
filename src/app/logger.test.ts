import { createLogger, jsonLineToLogfmt } from './logger';

describe('logger', () => {
  it('writes logfmt lines: time, level, msg, then fields, quoting where needed', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'logfmt', write: (l) => lines.push(l) });
    log.info({ file: 'a b.yml', n: 3, ok: true }, 'Completed loading');
    log.debug('hidden');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^time=\d{4}-\d\d-\d\dT[\d:.]+Z level=info msg="Completed loading" file="a b\.yml" n=3 ok=true\n$/);
  });
  it('writes JSON lines with --log.format=json', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
    log.debug({ k: 'v' }, 'm');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'debug', msg: 'm', k: 'v' });
  });
  it('renders errors by message and escapes quotes', () => {
    expect(jsonLineToLogfmt('{"level":"error","msg":"x","err":{"type":"Error","message":"bad \\"thing\\"","stack":"..."}}')).toBe(
      'level=error msg=x err="bad \\"thing\\""\n',
    );
  });
});
