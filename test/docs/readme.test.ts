/**
 * The README's amtool table must list every command and flag of docs/tocsinctl.md's full status table (issue 6),
 * and its relative links must point at files and headings that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function anchors(md: string): Set<string> {
  return new Set(
    [...md.matchAll(/^#+ (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^a-z0-9 _-]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** The code spans of the command and flag columns of a markdown table section. */
function tableTokens(md: string, heading: string): string[] {
  const start = md.indexOf(heading);
  expect(start).toBeGreaterThan(-1);
  const rows = md
    .slice(start)
    .split('\n')
    .filter((l) => l.startsWith('| '))
    .slice(2);
  const out: string[] = [];
  for (const row of rows) {
    const cells = row.split(/(?<!\\)\|/).slice(1, 3);
    for (const c of cells) for (const m of c.matchAll(/`([^`]+)`/g)) out.push(m[1]!);
  }
  return out;
}

describe('README.md', () => {
  test('lists every amtool command and flag of docs/tocsinctl.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'tocsinctl.md'), 'utf8');
    const theirs = tableTokens(doc, '## Status of every amtool command and flag');
    expect(theirs.length).toBeGreaterThan(40);
    const section = readme.slice(readme.indexOf('## amtool and tocsinctl'), readme.indexOf('## Flags'));
    // a token is a command (`silence add`) or a flag list (`-i/--inhibited`, `--help-long`): compare single names
    const names = new Set(theirs.flatMap((t) => t.split(/[\s,/|]+/).filter((n) => /^-|^[a-z]/.test(n) && !n.includes('('))));
    const missing = [...names].filter((n) => !section.includes(n));
    expect(missing).toEqual([]);
  });

  test('relative links point at existing files and headings', () => {
    const own = anchors(readme);
    const bad: string[] = [];
    for (const [, link] of readme.matchAll(/\]\(([^)]+)\)/g)) {
      if (/^https?:/.test(link!)) continue;
      const [file, hash] = link!.split('#');
      if (!file) {
        if (!own.has(hash!)) bad.push(link!);
        continue;
      }
      if (!existsSync(join(ROOT, file))) bad.push(link!);
      else if (hash && !anchors(readFileSync(join(ROOT, file), 'utf8')).has(hash)) bad.push(link!);
    }
    expect(bad).toEqual([]);
  });

  test('names all 18 integrations in its table', () => {
    const types = ['webhook', 'email', 'pagerduty', 'opsgenie', 'wechat', 'slack', 'victorops', 'pushover', 'sns', 'telegram', 'discord', 'webex', 'msteams', 'msteamsv2', 'jira', 'incidentio', 'rocketchat', 'mattermost'];
    for (const t of types) expect(readme).toContain(`| \`${t}_configs\` |`);
  });
});
