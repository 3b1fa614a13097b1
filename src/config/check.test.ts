import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfig } from './check';

describe('checkConfig()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-check-'));
  const good = join(dir, 'good.yml');
  const bad = join(dir, 'bad.yml');
  writeFileSync(good, "route:\n  receiver: default\nreceivers:\n  - name: default\ninhibit_rules:\n  - equal: [a]\ntemplates: ['*.tmpl']\n");
  writeFileSync(bad, 'route:\n  receiver: nobody\n  group_wait: 5x\nreceivers:\n  - name: default\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('prints amtool format for a valid file', async () => {
    const r = await checkConfig([good]);
    expect(r.ok).toBe(true);
    expect(r.output).toBe(
      `Checking '${good}'  SUCCESS\nFound:\n - global config\n - route\n - 1 inhibit rules\n - 1 receivers\n - 1 templates\n\n`,
    );
  });

  test('per-template lines come from the checkTemplates hook', async () => {
    const seen: string[] = [];
    const r = await checkConfig([good], {
      checkTemplates: async (glob) => {
        seen.push(glob);
        return 'template: x:1: unexpected EOF';
      },
    });
    expect(seen).toEqual([join(dir, '*.tmpl')]);
    expect(r.output).toContain(' - 1 templates\n  FAILED: template: x:1: unexpected EOF\n');
    expect(r.ok).toBe(false);
    expect(r.failed).toBe(1);
  });

  test('lists every located problem of a failing file and keeps going', async () => {
    const r = await checkConfig([bad, good]);
    expect(r.ok).toBe(false);
    expect(r.failed).toBe(1);
    expect(r.output).toBe(
      `Checking '${bad}'  FAILED: undefined receiver "nobody" used in route (and 1 more problem)\n` +
        `  ${bad}:2:13: undefined receiver "nobody" used in route (at route.receiver)\n` +
        '      hint: defined receivers: "default"\n' +
        `  ${bad}:3:15: not a valid duration string: "5x" (at route.group_wait)\n\n` +
        `Checking '${good}'  SUCCESS\nFound:\n - global config\n - route\n - 1 inhibit rules\n - 1 receivers\n - 1 templates\n\n`,
    );
  });
});
