/**
 * `tocsinctl ack add|list|delete` against the whole app in-process (real HTTP, real SQLite file).
 */
import type { CliIo } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';

let h: Harness;
beforeAll(async () => {
  h = await startApp({ config: 'route: {receiver: team, group_by: [service], group_wait: 1h}\nreceivers: [{name: team}]\n' });
  expect((await postAlerts(h.url, [{ labels: { alertname: 'Disk', service: 'db' } }])).status).toBe(200);
});
afterAll(() => h.close());

async function ctl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    readStdin: async () => '',
    stdinIsTTY: true,
    home: '/nonexistent',
    user: 'carol',
    now: () => new Date(),
    configPaths: [],
  };
  const code = await runCli([`--alertmanager.url=${h.url}`, ...args], io);
  return { code, out, err };
}

const GROUP = '{}:{service="db"}';

test('add prints the ID; list shows it in amtool-like tables and as JSON; delete ends it', async () => {
  expect(await ctl('ack', 'add', GROUP, '--receiver', 'team')).toMatchObject({ code: 1, err: expect.stringContaining('--comment') });
  const added = await ctl('ack', 'add', GROUP, '-r', 'team', '-c', 'disk swap', '-d', '2h');
  expect(added.code).toBe(0);
  const id = added.out.trim();
  expect(id).toMatch(/^[0-9a-f-]{36}$/);

  const simple = await ctl('ack', 'list');
  expect(simple.out.split('\n')[0]).toMatch(/^ID\s+Group Key\s+Receiver\s+Ends At\s+Created By\s+Comment\s*$/);
  expect(simple.out).toContain(`${id}  ${GROUP}  team`);
  expect(simple.out).toMatch(/carol\s+disk swap/);
  expect((await ctl('ack', 'list', '-q')).out).toBe(`${id}\n`);
  const json = JSON.parse((await ctl('ack', 'list', '-o', 'json')).out) as { ackID: string; createdBy: string; endsAt?: string }[];
  expect(json).toEqual([expect.objectContaining({ ackID: id, createdBy: 'carol', endsAt: expect.any(String) })]);
  expect((await ctl('ack', 'list', '--receiver', 'other', '-q')).out).toBe('');

  const unknown = await ctl('ack', 'add', '{}:{service="web"}', '-r', 'team', '-c', 'x');
  expect(unknown.code).not.toBe(0);
  expect(unknown.err).toContain('groupKey');

  expect((await ctl('ack', 'delete', id)).code).toBe(0);
  expect((await ctl('ack', 'list', '-q')).out).toBe('');
  const all = await ctl('ack', 'list', '--all', '-o', 'extended');
  expect(all.out.split('\n')[0]).toMatch(/End Reason/);
  expect(all.out).toMatch(new RegExp(`${id}.*deleted`));
});
