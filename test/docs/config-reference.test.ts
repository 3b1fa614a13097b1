/**
 * docs/configuration.md carries tables generated from the config schemas (scripts/gen-config-reference.ts);
 * this fails when a schema changed and the doc was not regenerated, and checks the generator sees what matters.
 */
import { readFileSync } from 'node:fs';
import { integrations } from '../../src/config/integrations';
import { DOC, generate, globalFallbacks, splice } from '../../scripts/gen-config-reference';

const REGENERATE = 'npx esbuild scripts/gen-config-reference.ts --bundle --platform=node --log-level=warning | node - --write';

describe('docs/configuration.md', () => {
  const doc = readFileSync(DOC, 'utf8');
  const generated = generate();

  test(`is up to date with the schemas (else run: ${REGENERATE})`, () => {
    expect(splice(doc, generated)).toBe(doc);
  });

  test('has a section for every integration, with its keys', () => {
    for (const spec of integrations) {
      const at = generated.indexOf(`#### ${spec.type}_configs\n`);
      expect(at).toBeGreaterThan(-1);
      for (const key of Object.keys(spec.schema.fields)) {
        if (key.endsWith('_file')) continue;
        expect(generated.slice(at)).toContain(`| \`${key}\``);
      }
    }
  });

  test('shows defaults, secret pairs, required keys and global fallbacks', () => {
    expect(generated).toContain('| `resolve_timeout` | duration | `5m` |');
    expect(generated).toContain('`api_key`, `api_key_file`');
    expect(generated).toContain('required (`missing name in receiver`)');
    expect(globalFallbacks('email').get('smarthost')).toBe('smtp_smarthost');
    expect(globalFallbacks('slack').get('api_url')).toBe('slack_api_url');
    expect(globalFallbacks('webhook').get('http_config')).toBe('http_config');
  });

  test('every link points at a heading of the document', () => {
    const anchors = new Set(
      [...doc.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 _-]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const links = [...doc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(50);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });
});
