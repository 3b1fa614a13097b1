/**
 * Issue 16 acceptance on the compiled server (bin/tocsin) with basic auth on:
 * - `tocsinctl silence schedule add` creates a recurring silence; the real amtool (`amtool silence query`) sees
 *   the ordinary silence made for its next occurrence; `tocsinctl silence schedule delete` expires it, which
 *   amtool sees too.
 * - the silence audit trail survives kill -9: a silence POST answered, SIGKILL at once, restart, and
 *   GET /api/v2/tocsin/silences/{id}/audit shows the create with the author and the basic-auth user.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import type { SilenceAuditWire, SilenceScheduleWire } from '../../src/wire/silence-schedules';
import { ROOT } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const execFileP = promisify(execFile);
const AMTOOL = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';
const AUTH = `Basic ${Buffer.from('ops:s3cret').toString('base64')}`;

interface AmtoolSilence {
  id: string;
  status: { state: string };
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
}

describe('recurring silences and the audit trail on the real server', () => {
  let dir: string;
  let tocsin: TocsinProcess | undefined;
  let configFile: string;
  let webConfig: string;
  let httpConfig: string;
  const start = () => startTocsin({ configFile, storagePath: path.join(dir, 'data'), args: [`--web.config.file=${webConfig}`], readyHeaders: { Authorization: AUTH } });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-sched-'));
    configFile = path.join(dir, 'alertmanager.yml');
    writeFileSync(configFile, 'route:\n  receiver: default\nreceivers:\n  - name: default\n');
    webConfig = path.join(dir, 'web.yml');
    writeFileSync(webConfig, `basic_auth_users:\n  ops: ${await bcrypt.hash('s3cret', 4)}\n`);
    httpConfig = path.join(dir, 'http.yml');
    writeFileSync(httpConfig, 'basic_auth:\n  username: ops\n  password: s3cret\n');
    tocsin = await start();
  }, 120_000);
  afterAll(async () => {
    await tocsin?.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TZ: 'UTC', USER: 'e2e' });
  const amtool = async (...args: string[]) =>
    (await execFileP(AMTOOL, [`--alertmanager.url=${tocsin!.url}`, `--http.config.file=${httpConfig}`, ...args], { env: env(), timeout: 15_000 })).stdout;
  const tocsinctl = async (...args: string[]) =>
    (await execFileP(process.execPath, [path.join(ROOT, 'bin', 'tocsinctl'), `--alertmanager.url=${tocsin!.url}`, `--http.config.file=${httpConfig}`, ...args], { env: env(), timeout: 15_000 })).stdout;
  const api = (method: string, p: string, body?: unknown) =>
    fetch(`${tocsin!.url}${p}`, { method, headers: { Authorization: AUTH, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

  // the rule is leap days only, so its silence is pending whenever this runs (but on 29 February 02:00-04:00 in Berlin)
  it('amtool sees the silence a schedule made for its next occurrence; deleting the schedule expires it', async () => {
    const id = (
      await tocsinctl('silence', 'schedule', 'add', 'service=db', '--rrule=FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=2;BYMINUTE=0;BYSECOND=0', '--duration=2h', '--time-zone=Europe/Berlin', '--comment=weekly db maintenance', '--author=Ann')
    ).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await tocsinctl('silence', 'schedule', 'list');
    expect(listed).toContain(id);
    expect(listed).toContain('Europe/Berlin');
    const schedules = JSON.parse(await tocsinctl('-o', 'json', 'silence', 'schedule', 'list')) as SilenceScheduleWire[];
    const next = schedules[0]!.nextOccurrences[0]!;

    const seen = JSON.parse(await amtool('-o', 'json', 'silence', 'query', 'service=db')) as AmtoolSilence[];
    expect(seen.map((s) => [s.id, s.status.state, s.createdBy, s.startsAt, s.endsAt])).toEqual([[next.silenceID, 'pending', 'Ann', next.startsAt, next.endsAt]]);
    expect(seen[0]!.comment).toContain(id);
    // 29 February 02:00 in Berlin (winter time) is 01:00 UTC; 2 hours long
    expect(next.startsAt).toMatch(/^\d{4}-02-29T01:00:00(\.000)?Z$/);
    expect(Date.parse(next.endsAt) - Date.parse(next.startsAt)).toBe(2 * 3600_000);

    await tocsinctl('silence', 'schedule', 'delete', id);
    expect((await tocsinctl('silence', 'schedule', 'list', '-q')).trim()).toBe('');
    await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(await amtool('-o', 'json', 'silence', 'query', 'service=db'))).toEqual([]);
    const expired = JSON.parse(await amtool('-o', 'json', 'silence', 'query', '--expired', 'service=db')) as AmtoolSilence[];
    expect(expired.map((s) => [s.id, s.status.state])).toEqual([[next.silenceID, 'expired']]);
  }, 60_000);

  it('a silence POST answered before kill -9 has its audit entry, with the basic-auth user, after the restart', async () => {
    const now = Date.now();
    const r = await api('POST', '/api/v2/silences', {
      matchers: [{ name: 'job', value: 'api', isRegex: false, isEqual: true }],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3600_000).toISOString(),
      createdBy: 'Ann Example',
      comment: 'deploy',
    });
    expect(r.status).toBe(200);
    const { silenceID } = (await r.json()) as { silenceID: string };
    expect(await tocsin!.stop('SIGKILL')).toBeNull();
    tocsin = await start();
    const a = (await (await api('GET', `/api/v2/tocsin/silences/${silenceID}/audit`)).json()) as SilenceAuditWire;
    expect(a.events.map((e) => [e.action, e.user, e.silence.createdBy, e.silence.comment])).toEqual([['create', 'ops', 'Ann Example', 'deploy']]);
    // and the life goes on after the restart
    await amtool('silence', 'expire', silenceID);
    const b = (await (await api('GET', `/api/v2/tocsin/silences/${silenceID}/audit`)).json()) as SilenceAuditWire;
    expect(b.events.map((e) => [e.action, e.user])).toEqual([['create', 'ops'], ['expire', 'ops']]);
  }, 60_000);
});
