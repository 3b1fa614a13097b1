/**
 * `tocsinctl import alertmanager-storage` argument handling, in process: PostgreSQL (--tocsin.storage.url) is
 * refused because it does not exist in Tocsin yet, a directory and --from-url together are refused, a missing
 * directory is named, and -o json prints the report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tocsinctl } from './harness';

const FIXTURE = join(__dirname, '../fixtures/alertmanager-0.25-storage');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await tocsinctl(undefined, args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-cmd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('tocsinctl import alertmanager-storage', () => {
  test('--tocsin.storage.url is refused: PostgreSQL storage does not exist yet', async () => {
    const r = await run(['import', 'alertmanager-storage', FIXTURE, '--tocsin.storage.url=postgres://localhost/tocsin']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--tocsin.storage.url: PostgreSQL storage does not exist in Tocsin yet.*--storage.path/);
  });

  test('a directory and --from-url together, or neither, are refused', async () => {
    const both = await run(['import', 'alertmanager-storage', FIXTURE, '--from-url=http://127.0.0.1:1', `--storage.path=${dir}`]);
    expect(both).toMatchObject({ code: 1, out: '' });
    expect(both.err).toMatch(/either an Alertmanager storage directory or --from-url, not both/);
    const neither = await run(['import', 'alertmanager-storage', `--storage.path=${dir}`]);
    expect(neither.err).toMatch(/missing the Alertmanager storage directory/);
  });

  test('a directory that is not Alertmanager\'s: one error line, exit 1', async () => {
    const r = await run(['import', 'alertmanager-storage', dir, `--storage.path=${join(dir, 't')}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tocsinctl: error: import: .* is not an Alertmanager storage directory/);
  });

  test('-o json prints the report', async () => {
    const r = await run(['-o', 'json', 'import', 'alertmanager-storage', FIXTURE, `--storage.path=${dir}`]);
    expect(r).toMatchObject({ code: 0, err: '' });
    const rep = JSON.parse(r.out) as { silences: { imported: number }; nflog: { file: boolean }; into: string };
    expect(rep.into).toBe(join(dir, 'tocsin.db'));
    expect(rep.nflog.file).toBe(true);
    // the fixture's long silences are within retention for a year; the expired one and the entry may be past it
    expect(rep.silences.imported).toBeGreaterThanOrEqual(2);
  });
});
