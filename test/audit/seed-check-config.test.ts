/**
 * Issue 2 acceptance: "the seed article's alertmanager.yml yields all of its errors in one `tocsinctl
 * check-config` run, each with line and column. A test pins the list." This runs the built CLI
 * (bin/tocsinctl, dist/) as a user would, on the copy in test/fixtures (checked equal to ../shared/seed when that
 * is present), and pins its whole output. Debian's amtool stops at the first problem (line 32); Tocsin reports
 * all four in one run.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from '../helpers/build';

const run = promisify(execFile);
const FIXTURE = 'test/fixtures/config/seed-alertmanager.yml';
const SHARED_SEED = path.resolve(ROOT, '..', 'shared', 'seed', 'alertmanager.yml');

async function exec(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(cmd, args, { cwd: ROOT, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('tocsinctl check-config on the seed article config', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  test('the fixture is the seed article file', () => {
    if (!existsSync(SHARED_SEED)) return; // CI has only the copy
    expect(readFileSync(path.join(ROOT, FIXTURE), 'utf8')).toBe(readFileSync(SHARED_SEED, 'utf8'));
  });

  test('one run lists all four problems with file:line:column, path and hint, and exits 1', async () => {
    const r = await exec(process.execPath, [path.join(ROOT, 'bin', 'tocsinctl'), 'check-config', FIXTURE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tocsinctl: error: failed to validate 1 file(s)\n');
    expect(r.stdout.split('\n')).toEqual([
      `Checking '${FIXTURE}'  FAILED: undefined receiver "slack-monitoring" used in route (and 3 more problems)`,
      `  ${FIXTURE}:22:17: undefined receiver "slack-monitoring" used in route (at route.routes[1].receiver)`,
      '      hint: defined receivers: "team-ops", "pagerduty", "ml-oncall"',
      `  ${FIXTURE}:30:21: undefined receiver "ml-platform-slack" used in route (at route.routes[2].routes[0].receiver)`,
      '      hint: defined receivers: "team-ops", "pagerduty", "ml-oncall"',
      `  ${FIXTURE}:32:11: field inhibit_rules not found in route (at route.routes[2].routes[0].inhibit_rules)`,
      '      hint: inhibit_rules is a top-level key: inhibition rules cannot be nested in a route; move this block to the top level of the file',
      `  ${FIXTURE}:42:9: no Slack API URL nor App token set either inline or in a file (at receivers[0].slack_configs[0])`,
      '      hint: set api_url (or api_url_file) here, or slack_api_url in the global block',
      '',
      '',
    ]);
  });

  test('the real amtool rejects the same file (it reports only the first problem)', async () => {
    const r = await exec('/usr/bin/amtool', ['check-config', FIXTURE]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('line 32: field inhibit_rules not found');
  });
});
