/**
 * HTML templates against the real Go engine (Debian's amtool 0.25, `template render --template.type=html`):
 * templates that end outside text fail with html/template's ErrEndContext text, and an action's value takes the
 * context html/template "nudges" it into (attribute name, unquoted attribute value).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TemplateError } from '../types/errors';
import { TemplateSet } from './template-set';

const FILE = '{{ define "open" }}<a href="{{ end }}';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tocsin-html-'));
  writeFileSync(path.join(dir, 'x.tmpl'), FILE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const set = TemplateSet.fromSources([{ name: 'x.tmpl', text: FILE }], { includeDefaults: false });

/** What amtool prints for the template: its output, or its error line without the `amtool: error: ` prefix. */
function amtool(text: string): string {
  const r = spawnSync('amtool', ['template', 'render', `--template.glob=${dir}/x.tmpl`, '--template.type=html', `--template.text=${text}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : `ERROR ${r.stderr.replace(/^amtool: error: /, '').trim()}`;
}

function ours(text: string): string {
  try {
    return set.renderHtml(text, {});
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return `ERROR ${e.message}`;
  }
}

describe('HTML templates that end in a non-text context fail as in Go', () => {
  test.each([
    '<a',
    '</a',
    '<a b ',
    '<a href',
    '<a style=',
    '<a {{ "b" }}',
    '<a href="x',
    "<a href='x?y",
    '<a href=x',
    '<div class=x',
    '<script src="x',
    '<title>x',
    '<textarea>',
    '<style>',
    '<!-- x',
    '{{ template "open" . }}',
  ])('%j: same error text as amtool', (text) => {
    const want = amtool(text);
    expect(want).toMatch(/^ERROR html\/template: ends in a non-text context: \{state/);
    expect(ours(text)).toBe(want);
  });

  test('inside <script> and on* attributes (JS is not parsed): an error too, with stateJS', () => {
    expect(amtool('<script>var x = "a')).toContain('{stateJSDqStr delimNone urlPartNone jsCtxRegexp attrNone elementScript <nil>}');
    expect(ours('<script>var x = "a')).toBe('ERROR html/template: ends in a non-text context: {stateJS delimNone urlPartNone jsCtxRegexp attrNone elementScript <nil>}');
    expect(ours('<a onclick="x')).toBe('ERROR html/template: ends in a non-text context: {stateJS delimDoubleQuote urlPartNone jsCtxRegexp attrScript elementNone <nil>}');
  });

  test('a template that ends in text renders; a named one names itself in the error', () => {
    expect(ours('<p title="{{ "a" }}">ok</p><!-- c --><a href=x>')).toBe(amtool('<p title="{{ "a" }}">ok</p><!-- c --><a href=x>'));
    expect(ours('<p>ok</p>')).toBe('<p>ok</p>');
    expect(() => set.executeHtmlTemplate('open', {})).toThrow('html/template:open: ends in a non-text context: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}');
    // text templates have no contexts
    expect(set.renderText('<a href="x', {})).toBe('<a href="x');
  });
});

describe('an action takes the context html/template nudges it into', () => {
  test.each([
    '<a href={{ "javascript:alert(1)" }}>',
    '<a title={{ "a b" }} href={{ "javascript:alert(1)" }}>',
    '<a href={{ "http://x/a b?c d" }}>',
    '<a onclick={{ "x" }}>',
    '<a {{ "b" }}="c">',
    '<a b {{ "c" }}>',
    '<a {{ "href" }}="c">',
  ])('%j: same output as amtool', (text) => {
    expect(ours(text)).toBe(amtool(text));
  });
});
