import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from './context';
import { buildProgram, runCli } from './program';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback API that records requests and answers with `handler`. */
async function fakeApi(
  handler: (req: Seen, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void>; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    seen,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const STATUS = {
  cluster: { status: 'disabled', peers: [] },
  config: { original: 'route: {}\n' },
  uptime: '2026-01-01T00:00:00.000Z',
  versionInfo: { branch: 'b', buildDate: 'd', buildUser: 'u', goVersion: 'g', revision: 'r', version: '0.27.0' },
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function run(args: string[], extra: Partial<CliIo> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    readStdin: async () => '',
    stdinIsTTY: true,
    home: '/nonexistent',
    user: 'tester',
    now: () => new Date('2026-01-01T00:00:00Z'),
    timeZone: 'UTC',
    configPaths: [],
    ...extra,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('API client behaviour', () => {
  test('URL path prefix, user info as basic auth, query parameters of alert query', async () => {
    const api = await fakeApi((req, res) => (req.url.includes('/status') ? json(res, 200, STATUS) : json(res, 200, [])));
    try {
      const url = api.url.replace('http://', 'http://u%40x:p%3Aw@');
      const r = await run([`--alertmanager.url=${url}/prefix/`, 'alert', 'query', '-s', '-r', 'team-.*', 'foo', 'a!=b']);
      expect(r).toEqual({ code: 0, out: 'Alertname  Starts At  Summary  State  \n', err: '' });
      const q = api.seen.find((s) => s.url.includes('/alerts'));
      expect(q?.url.startsWith('/prefix/api/v2/alerts?')).toBe(true);
      const p = new URLSearchParams(q?.url.split('?')[1]);
      expect(p.get('silenced')).toBe('true');
      expect(p.get('active')).toBe('false');
      expect(p.get('receiver')).toBe('team-.*');
      expect(p.getAll('filter')).toEqual(['alertname="foo"', 'a!=b']);
      expect(q?.headers.authorization).toBe(`Basic ${Buffer.from('u@x:p:w').toString('base64')}`);
      expect(api.seen[0]?.url).toBe('/prefix/api/v2/status'); // the version check
    } finally {
      await api.close();
    }
  });

  test('a malformed URL is reported without its credentials', async () => {
    const r = await run(['--alertmanager.url=http://user:hunter2@[::1', 'alert']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('tocsinctl: error: invalid URL for --alertmanager.url: "http://<redacted>@[::1"\n');
  });

  test('--no-version-check skips GET /status; a 400 is one line naming status and message', async () => {
    const api = await fakeApi((_req, res) => json(res, 400, 'bad "filter"'));
    try {
      const r = await run([`--alertmanager.url=${api.url}`, '--no-version-check', 'silence', 'query']);
      expect(api.seen.map((s) => s.url)).toEqual(['/api/v2/silences']);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`tocsinctl: error: GET ${api.url}/api/v2/silences: 400 Bad Request: bad "filter"\n`);
      const v = await run([`--alertmanager.url=${api.url}`, '--no-version-check', '-v', 'silence', 'query']);
      expect(v.err.split('\n')[0]).toBe(`GET ${api.url}/api/v2/silences -> 400`);
    } finally {
      await api.close();
    }
  });

  test('--timeout aborts a server that never answers', async () => {
    const api = await fakeApi(() => {
      /* never answer */
    });
    try {
      const t0 = Date.now();
      const r = await run([`--alertmanager.url=${api.url}`, '--timeout=200ms', '--no-version-check', 'cluster']);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`tocsinctl: error: GET ${api.url}/api/v2/status: no answer within the --timeout of 200ms\n`);
    } finally {
      await api.close();
    }
  });

  test('--http.config.file: bearer token from a file; exclusive with URL credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsinctl-test-'));
    const api = await fakeApi((_req, res) => json(res, 200, STATUS));
    try {
      writeFileSync(join(dir, 'token'), 's3cret\n');
      writeFileSync(join(dir, 'http.yml'), 'authorization:\n  credentials_file: token\n');
      const r = await run([`--alertmanager.url=${api.url}`, `--http.config.file=${join(dir, 'http.yml')}`, 'cluster']);
      expect(r.code).toBe(0);
      expect(api.seen.every((s) => s.headers.authorization === 'Bearer s3cret')).toBe(true);
      const both = await run([
        `--alertmanager.url=${api.url.replace('//', '//a:b@')}`,
        `--http.config.file=${join(dir, 'http.yml')}`,
        'cluster',
      ]);
      expect(both.err).toBe('tocsinctl: error: basic authentication and http.config.file are mutually exclusive\n');
      expect(both.err).not.toContain('s3cret');
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('redirects are followed as Go does (POST becomes GET on 303); follow_redirects: false stops; at most 10', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsinctl-test-'));
    const api = await fakeApi((req, res) => {
      if (req.url.startsWith('/old/')) {
        res.writeHead(req.method === 'POST' ? 303 : 307, { location: req.url.replace('/old/', '/') });
        res.end();
      } else if (req.url.startsWith('/loop/')) {
        res.writeHead(302, { location: req.url });
        res.end();
      } else if (req.url.startsWith('/api/v2/status')) {
        json(res, 200, STATUS);
      } else {
        json(res, 200, []);
      }
    });
    try {
      const r = await run([`--alertmanager.url=${api.url}/old`, 'alert', 'query']);
      expect(r).toEqual({ code: 0, out: 'Alertname  Starts At  Summary  State  \n', err: '' });
      expect(api.seen.map((s) => `${s.method} ${s.url.split('?')[0]}`)).toEqual([
        'GET /old/api/v2/status',
        'GET /api/v2/status',
        'GET /old/api/v2/alerts',
        'GET /api/v2/alerts',
      ]);
      api.seen.length = 0;
      await run([`--alertmanager.url=${api.url}/old`, '--no-version-check', 'alert', 'add', 'a']);
      expect(api.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /old/api/v2/alerts', 'GET /api/v2/alerts']);
      writeFileSync(join(dir, 'http.yml'), 'follow_redirects: false\n');
      const stopped = await run([`--alertmanager.url=${api.url}/old`, `--http.config.file=${join(dir, 'http.yml')}`, 'alert', 'query']);
      expect(stopped.code).toBe(1);
      expect(stopped.err).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/old\/api\/v2\/alerts\?\S+: 307 Temporary Redirect/);
      const loop = await run([`--alertmanager.url=${api.url}/loop`, '--no-version-check', 'alert', 'query']);
      expect(loop.err).toMatch(/^tocsinctl: error: cannot reach Alertmanager: GET \S+: stopped after 10 redirects\n$/);
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('silence add posts the matchers, times and author; prints the ID', async () => {
    const api = await fakeApi((req, res) =>
      req.url.endsWith('/status') ? json(res, 200, STATUS) : json(res, 200, { silenceID: 'abc' }),
    );
    try {
      const r = await run([
        `--alertmanager.url=${api.url}`,
        'silence',
        'add',
        'Disk full',
        'team=~"a|b"',
        '-c',
        'why',
        '-d',
        '1d2h',
        '--annotation=k=v',
      ]);
      expect(r).toEqual({ code: 0, out: 'abc\n', err: '' });
      const post = JSON.parse(api.seen.find((s) => s.method === 'POST')?.body ?? '{}');
      expect(post).toEqual({
        matchers: [
          { name: 'alertname', value: 'Disk full', isRegex: false, isEqual: true },
          { name: 'team', value: 'a|b', isRegex: true, isEqual: true },
        ],
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2026-01-02T02:00:00.000Z',
        createdBy: 'tester',
        comment: 'why',
        annotations: { k: 'v' },
      });
    } finally {
      await api.close();
    }
  });
});

describe('silence import', () => {
  test('an unknown ID (404) is created as a new silence; --force never sends IDs', async () => {
    let n = 0;
    const api = await fakeApi((req, res) => {
      if (req.url.endsWith('/status')) return json(res, 200, STATUS);
      const body = JSON.parse(req.body);
      if (body.id) return json(res, 404, 'silence not found');
      json(res, 200, { silenceID: `new-${++n}` });
    });
    try {
      const sil = (id: string) => ({
        id,
        status: { state: 'active' },
        updatedAt: '2026-01-01T00:00:00.000Z',
        matchers: [{ name: 'a', value: id, isRegex: false, isEqual: true }],
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2026-01-02T00:00:00.000Z',
        createdBy: 'x',
        comment: 'y',
      });
      const input = JSON.stringify([sil('old-1'), sil('old-2')]);
      const r = await run([`--alertmanager.url=${api.url}`, 'silence', 'import', '-w', '1'], { readStdin: async () => input });
      expect(r).toEqual({ code: 0, out: 'new-1\nnew-2\n', err: '' });
      const posts = api.seen.filter((s) => s.method === 'POST').map((s) => JSON.parse(s.body));
      expect(posts.map((p) => p.id)).toEqual(['old-1', undefined, 'old-2', undefined]);
      expect(Object.keys(posts[1]).sort()).toEqual(['comment', 'createdBy', 'endsAt', 'matchers', 'startsAt']);
      api.seen.length = 0;
      const f = await run([`--alertmanager.url=${api.url}`, 'silence', 'import', '--force'], { readStdin: async () => input });
      expect(f.code).toBe(0);
      expect(api.seen.filter((s) => s.method === 'POST').map((s) => JSON.parse(s.body).id)).toEqual([undefined, undefined]);
    } finally {
      await api.close();
    }
  });
});

describe('config file defaults', () => {
  test('flags come from the first file that sets them; command-line flags win; legacy comment_required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsinctl-test-'));
    const api = await fakeApi((req, res) =>
      req.url.endsWith('/status') ? json(res, 200, STATUS) : json(res, 200, { silenceID: 'id1' }),
    );
    try {
      const first = join(dir, 'tocsinctl.yml');
      const second = join(dir, 'amtool.yml');
      writeFileSync(first, `author: alice\noutput: json\n`);
      writeFileSync(second, `alertmanager.url: ${api.url}\nauthor: bob\ncomment_required: false\n`);
      const r = await run(['silence', 'add', 'foo'], { configPaths: [first, second] });
      expect(r).toMatchObject({ code: 0, out: 'id1\n' });
      const post = JSON.parse(api.seen.find((s) => s.method === 'POST')?.body ?? '{}');
      expect(post.createdBy).toBe('alice');
      const r2 = await run(['silence', 'add', 'foo', '--author=carol', '--require-comment'], {
        configPaths: [first, second],
      });
      expect(r2.err).toBe('tocsinctl: error: comment required by config\n');
      const c = await run(['cluster'], { configPaths: [first, second] });
      expect(c.out).toBe('{"peers":[],"status":"disabled"}\n'); // output: json from the file
      writeFileSync(first, 'output: yaml\n');
      const bad = await run(['cluster'], { configPaths: [first, second] });
      expect(bad.err).toBe("tocsinctl: error: config file: output: 'yaml' is not one of simple, extended, json\n");
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('help and completion', () => {
  const all = (cmd: Command, path: string[] = []): string[][] => [
    path,
    ...cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => all(c, [...path, c.name()])),
  ];
  const program = buildProgram(
    {
      out: () => undefined,
      err: () => undefined,
      readStdin: async () => '',
      stdinIsTTY: true,
      home: '/x',
      user: 'u',
      now: () => new Date(),
    },
    { exitCode: 0 },
  );

  test.each(all(program).map((p) => [p.join(' ') || '(root)', p]))('%s --help fits 80 columns', async (_n, path) => {
    const r = await run([...(path as string[]), '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: tocsinctl');
    for (const line of r.out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(r.out).toContain('Examples:');
  });

  test('unknown flag: one error line and exit 1', async () => {
    const r = await run(['alert', '--bogus']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tocsinctl: error: unknown option '--bogus'/);
  });

  test.each(['bash', 'zsh'])('completion %s lists commands and flags; completions/ is up to date', async (shell) => {
    const r = await run(['completion', shell]);
    expect(r.code).toBe(0);
    const file = join(__dirname, '../../completions', shell === 'bash' ? 'tocsinctl.bash' : '_tocsinctl');
    expect(readFileSync(file, 'utf8')).toBe(r.out); // regenerate: tocsinctl completion <shell> > <file>
    for (const w of ['alert', 'silence', 'check-config', 'routes', '--alertmanager.url', '--verify.receivers', '--expired']) {
      expect(r.out).toContain(w);
    }
  });

  (existsSync('/usr/bin/zsh') ? test : test.skip)('zsh completion offers subcommands, flags, values, files', () => {
    const driver = join(__dirname, '../../test/cli/zsh-completion-driver.zsh');
    const file = join(__dirname, '../../completions/_tocsinctl');
    const complete = (...words: string[]): string => execFileSync('zsh', [driver, file, ...words]).toString();
    expect(complete('tocsinctl', 'sil')).toContain('silence:Add, expire or view silences.');
    expect(complete('tocsinctl', 'config', 'routes', 'test', '--')).toMatch(/--verify\.receivers:.*--tree:/);
    expect(complete('tocsinctl', 'config', 'routes', 'test', '--')).toContain('--alertmanager.url:');
    expect(complete('tocsinctl', '-o', '')).toContain('COMPADD simple extended json');
    expect(complete('tocsinctl', 'silence', 'import', '')).toContain('FILES');
  });

  test('bash completion completes subcommands, flags and flag values', () => {
    const file = join(__dirname, '../../completions/tocsinctl.bash');
    const complete = (words: string[]): string =>
      execFileSync('bash', [
        '-c',
        `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tocsinctl; echo "\${COMPREPLY[*]}"`,
      ])
        .toString()
        .trim();
    expect(complete(['tocsinctl', 'sil'])).toBe('silence');
    expect(complete(['tocsinctl', 'silence', 'q'])).toBe('query');
    expect(complete(['tocsinctl', 'config', 'routes', 'test', '--v'])).toBe(
      '--verify.receivers --version --verbose --version-check',
    );
    expect(complete(['tocsinctl', 'alert', '-o', 'j'])).toBe('json');
  });
});
